import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, effect, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar, MatSnackBarModule } from '@angular/material/snack-bar';
import { firstValueFrom } from 'rxjs';
import { Exemption, NETWORK_CATEGORIES, OrgUnitSummary, Page, PersonSummary, RequirementsList, TrainingRequirement } from '@dxtrain/shared/contracts';
import { currentYear } from '../../core/download';
import { I18n } from '../../core/i18n';
import { COMPLIANCE_I18N } from './compliance.i18n';

/** Yearly training requirements (with contradictions reported) and exemptions, for admins and organisers. */
@Component({
  selector: 'dx-requirements',
  imports: [FormsModule, MatFormFieldModule, MatInputModule, MatSelectModule, MatButtonModule, MatSnackBarModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="page">
      <h1>{{ L().requirementsTitle }}</h1>
      <p class="muted">{{ L().requirementsHint }}</p>
      <div class="filters">
        <mat-form-field class="narrow">
          <mat-label>{{ L().year }}</mat-label>
          <input matInput type="number" data-testid="req-year" [ngModel]="year()" (ngModelChange)="year.set(+$event || year())" />
        </mat-form-field>
      </div>
      @if (error()) {
        <p class="error" role="alert" data-testid="req-error">{{ error() }}</p>
      }
      <h2>{{ L().rules }}</h2>
      @if ((list()?.conflicts ?? []).length) {
        <div class="error" data-testid="req-conflicts">
          <strong>{{ L().conflicts }}</strong>
          @for (c of list()?.conflicts ?? []; track c.ruleIds[0] + c.ruleIds[1]) {
            <div>{{ c.message }}</div>
          }
        </div>
      }
      <table class="data" data-testid="req-table">
        <thead><tr><th>{{ L().unit }}</th><th>{{ L().category }}</th><th>{{ L().position }}</th><th>{{ L().minPeriods }}</th><th>{{ L().deadline }}</th><th>{{ L().active }}</th><th></th></tr></thead>
        <tbody>
          @for (r of list()?.items ?? []; track r.id) {
            <tr data-testid="req-row">
              <td>{{ r.orgUnitName }}</td>
              <td>{{ r.networkCategory ? L().categories[r.networkCategory] : L().anyCategory }}</td>
              <td>{{ r.position ?? L().anyPosition }}</td>
              <td>{{ r.minPeriods ?? '—' }}</td>
              <td>{{ i18n.day(r.deadline) }}</td>
              <td>{{ r.active ? '✓' : '' }}</td>
              <td>
                @if (r.active) {
                  <button mat-button (click)="deactivate(r)">{{ L().deactivate }}</button>
                }
              </td>
            </tr>
          } @empty {
            <tr><td colspan="7" class="muted">{{ list() ? L().noRules : L().loading }}</td></tr>
          }
        </tbody>
      </table>
      <div class="filters">
        <mat-form-field>
          <mat-label>{{ L().unit }}</mat-label>
          <mat-select data-testid="req-unit" [(ngModel)]="form.orgUnitId">
            @for (u of units(); track u.id) {
              <mat-option [value]="u.id">{{ u.name }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
        <mat-form-field>
          <mat-label>{{ L().category }}</mat-label>
          <mat-select [(ngModel)]="form.networkCategory">
            <mat-option [value]="''">{{ L().anyCategory }}</mat-option>
            @for (c of categories; track c) {
              <mat-option [value]="c">{{ L().categories[c] }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
        <mat-form-field>
          <mat-label>{{ L().position }}</mat-label>
          <input matInput [(ngModel)]="form.position" />
        </mat-form-field>
        <mat-form-field class="narrow">
          <mat-label>{{ L().minPeriods }}</mat-label>
          <input matInput type="number" min="1" data-testid="req-periods" [(ngModel)]="form.minPeriods" />
        </mat-form-field>
        <button mat-flat-button data-testid="req-add" (click)="addRule()">{{ L().addRule }}</button>
      </div>

      <h2>{{ L().exemptions }}</h2>
      <table class="data" data-testid="exemption-table">
        <thead><tr><th>{{ L().person }}</th><th>{{ L().reason }}</th><th></th></tr></thead>
        <tbody>
          @for (e of exemptions(); track e.id) {
            <tr data-testid="exemption-row">
              <td>{{ e.fullName }} <span class="muted">{{ e.staffCode }}</span></td>
              <td>{{ e.reason }}</td>
              <td><button mat-button (click)="removeExemption(e)">{{ L().remove }}</button></td>
            </tr>
          } @empty {
            <tr><td colspan="3" class="muted">{{ L().noExemptions }}</td></tr>
          }
        </tbody>
      </table>
      <div class="filters">
        <mat-form-field class="wide">
          <mat-label>{{ L().exemptionReason }}</mat-label>
          <input matInput data-testid="exemption-reason" [(ngModel)]="exemptionReason" />
        </mat-form-field>
        <mat-form-field>
          <mat-label>{{ L().findPerson }}</mat-label>
          <input matInput data-testid="exemption-person" [ngModel]="personQ()" (ngModelChange)="searchPeople($event)" />
        </mat-form-field>
        @for (p of people(); track p.id) {
          <button mat-stroked-button data-testid="exemption-add" (click)="addExemption(p)">{{ fmt(L().addExemption, { name: p.fullName }) }}</button>
        }
      </div>
    </div>
  `,
  styles: ['.narrow { width: 140px; } .wide { min-width: 320px; flex: 1; }'],
})
export class RequirementsComponent {
  protected readonly i18n = inject(I18n);
  protected readonly L = computed(() => this.i18n.pick(COMPLIANCE_I18N));
  private readonly http = inject(HttpClient);
  private readonly snack = inject(MatSnackBar);
  protected readonly categories = NETWORK_CATEGORIES;
  protected readonly year = signal(currentYear());
  protected readonly list = signal<RequirementsList | null>(null);
  protected readonly exemptions = signal<Exemption[]>([]);
  protected readonly units = signal<OrgUnitSummary[]>([]);
  protected readonly error = signal<string | null>(null);
  protected readonly personQ = signal('');
  protected readonly people = signal<PersonSummary[]>([]);
  private readonly reload = signal(0);
  protected form = { orgUnitId: '', networkCategory: '', position: '', minPeriods: null as number | null };
  protected exemptionReason = '';
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    firstValueFrom(this.http.get<OrgUnitSummary[]>('/api/org-units'))
      .then((u) => {
        this.units.set(u);
        this.form.orgUnitId ||= u[0]?.id ?? '';
      })
      .catch((e) => this.error.set(this.i18n.error(e)));
    effect(() => {
      this.reload();
      const year = String(this.year());
      firstValueFrom(this.http.get<RequirementsList>('/api/compliance/requirements', { params: { year } }))
        .then((l) => this.list.set(l))
        .catch((e) => this.error.set(this.i18n.error(e)));
      firstValueFrom(this.http.get<Exemption[]>('/api/compliance/exemptions', { params: { year } }))
        .then((l) => this.exemptions.set(l))
        .catch((e) => this.error.set(this.i18n.error(e)));
    });
  }

  async addRule(): Promise<void> {
    const body: Record<string, unknown> = { year: this.year(), orgUnitId: this.form.orgUnitId };
    if (this.form.networkCategory) body['networkCategory'] = this.form.networkCategory;
    if (this.form.position.trim()) body['position'] = this.form.position.trim();
    if (this.form.minPeriods) body['minPeriods'] = Number(this.form.minPeriods);
    try {
      await firstValueFrom(this.http.post<TrainingRequirement>('/api/compliance/requirements', body));
      this.snack.open(this.L().ruleSaved, undefined, { duration: 3000 });
      this.error.set(null);
      this.reload.update((n) => n + 1);
    } catch (e) {
      this.error.set(this.i18n.error(e));
    }
  }

  async deactivate(r: TrainingRequirement): Promise<void> {
    try {
      await firstValueFrom(this.http.patch(`/api/compliance/requirements/${r.id}`, { active: false }));
      this.reload.update((n) => n + 1);
    } catch (e) {
      this.error.set(this.i18n.error(e));
    }
  }

  searchPeople(value: string): void {
    this.personQ.set(value);
    clearTimeout(this.timer);
    if (value.trim().length < 2) return this.people.set([]);
    this.timer = setTimeout(() => {
      firstValueFrom(this.http.get<Page<PersonSummary>>('/api/staff', { params: { q: value, pageSize: '5' } }))
        .then((r) => this.people.set(r.items))
        .catch((e) => this.error.set(this.i18n.error(e)));
    }, 250);
  }

  async addExemption(p: PersonSummary): Promise<void> {
    try {
      await firstValueFrom(this.http.post('/api/compliance/exemptions', { personId: p.id, year: this.year(), reason: this.exemptionReason }));
      this.people.set([]);
      this.personQ.set('');
      this.error.set(null);
      this.reload.update((n) => n + 1);
    } catch (e) {
      this.error.set(this.i18n.error(e));
    }
  }

  async removeExemption(e: Exemption): Promise<void> {
    try {
      await firstValueFrom(this.http.delete(`/api/compliance/exemptions/${e.id}`));
      this.reload.update((n) => n + 1);
    } catch (err) {
      this.error.set(this.i18n.error(err));
    }
  }

  protected fmt(text: string, params: Record<string, string | number>): string {
    return text.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''));
  }
}
