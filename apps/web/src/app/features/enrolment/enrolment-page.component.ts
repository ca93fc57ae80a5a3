import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar, MatSnackBarModule } from '@angular/material/snack-bar';
import { MatTabsModule } from '@angular/material/tabs';
import { firstValueFrom } from 'rxjs';
import { AudienceRule, CourseSummary, EnrolmentItem, EnrolmentStatus, NetworkCategory, OrgUnitSummary, Page, PersonSummary } from '@dxtrain/shared/contracts';
import { currentYear } from '../../core/download';
import { I18n } from '../../core/i18n';
import { ENROLMENT_I18N } from './enrolment.i18n';
import { ImportHistoryComponent, ImportWizardComponent } from './import-wizard.component';


/** Published courses, for the pickers. */
export async function loadCourses(http: HttpClient): Promise<CourseSummary[]> {
  const page = await firstValueFrom(http.get<Page<CourseSummary>>('/api/courses', { params: { pageSize: '200' } }));
  return page.items;
}

/** Enrolments of a course and year, with filters, manual enrolment and withdrawal. */
@Component({
  selector: 'dx-enrolment-list',
  imports: [FormsModule, MatFormFieldModule, MatInputModule, MatSelectModule, MatButtonModule, MatSnackBarModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="filters">
      <mat-form-field>
        <mat-label>{{ L().course }}</mat-label>
        <mat-select data-testid="enrolment-course" [ngModel]="courseId()" (ngModelChange)="courseId.set($event); page.set(1)">
          <mat-option [value]="''">{{ L().allCourses }}</mat-option>
          @for (c of courses(); track c.id) {
            <mat-option [value]="c.id">{{ c.code }} — {{ c.title }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
      <mat-form-field class="narrow">
        <mat-label>{{ L().year }}</mat-label>
        <input matInput type="number" min="2000" max="2100" data-testid="enrolment-year" [ngModel]="year()" (ngModelChange)="year.set(+$event || year()); page.set(1)" />
      </mat-form-field>
      <mat-form-field>
        <mat-label>{{ L().status }}</mat-label>
        <mat-select [ngModel]="status()" (ngModelChange)="status.set($event); page.set(1)">
          <mat-option [value]="''">{{ L().all }}</mat-option>
          @for (s of statuses; track s) {
            <mat-option [value]="s">{{ L().statuses[s] }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
      <mat-form-field>
        <mat-label>{{ L().search }}</mat-label>
        <input matInput data-testid="enrolment-search" [ngModel]="q()" (ngModelChange)="onSearch($event)" />
      </mat-form-field>
    </div>

    <div class="filters">
      <mat-form-field class="wide">
        <mat-label>{{ L().choosePerson }}</mat-label>
        <input matInput data-testid="enrol-person-search" [ngModel]="personQ()" (ngModelChange)="searchPeople($event)" />
      </mat-form-field>
      @for (p of people(); track p.id) {
        <button mat-stroked-button data-testid="enrol-person" (click)="enrol(p)">{{ L().enrol }}: {{ p.fullName }} ({{ p.staffCode }})</button>
      }
    </div>

    @if (error()) {
      <p class="error" role="alert" data-testid="enrolment-error">{{ error() }}</p>
    }
    <table class="data" data-testid="enrolment-table">
      <thead>
        <tr><th>{{ L().person }}</th><th>{{ L().course }}</th><th>{{ L().status }}</th><th>{{ L().unit }}</th><th>{{ L().source }}</th><th>{{ L().dueDate }}</th><th></th></tr>
      </thead>
      <tbody>
        @for (e of result()?.items ?? []; track e.id) {
          <tr data-testid="enrolment-row">
            <td>{{ e.fullName }}<br /><span class="muted">{{ e.staffCode }}</span></td>
            <td>{{ e.courseCode }} · {{ e.trainingYear }}</td>
            <td><span class="badge" [class.ok]="e.status === 'completed'" [class.warn]="e.status === 'withdrawn'">{{ L().statuses[e.status] }}</span></td>
            <td>{{ e.orgUnitName }}</td>
            <td>{{ L().sources[e.source] }}</td>
            <td>{{ i18n.day(e.dueDate) }}</td>
            <td>
              @if (e.status === 'enrolled' || e.status === 'in_progress') {
                <button mat-button data-testid="enrolment-withdraw" (click)="withdraw(e)">{{ L().withdraw }}</button>
              }
            </td>
          </tr>
        } @empty {
          <tr><td colspan="7" class="muted">{{ result() ? L().noResults : L().loading }}</td></tr>
        }
      </tbody>
    </table>
    @if (result(); as r) {
      <div class="filters">
        <button mat-button [disabled]="page() <= 1" (click)="page.set(page() - 1)">{{ L().previous }}</button>
        <span data-testid="enrolment-total">{{ fmt(L().pageOf, { page: r.page, pages: pages(r), total: i18n.number(r.total) }) }}</span>
        <button mat-button [disabled]="page() >= pages(r)" (click)="page.set(page() + 1)">{{ L().next }}</button>
      </div>
    }
  `,
  styles: ['.narrow { width: 120px; } .wide { min-width: 280px; flex: 1; }'],
})
export class EnrolmentListComponent {
  readonly courses = input<CourseSummary[]>([]);
  protected readonly i18n = inject(I18n);
  protected readonly L = computed(() => this.i18n.pick(ENROLMENT_I18N));
  private readonly http = inject(HttpClient);
  private readonly snack = inject(MatSnackBar);
  protected readonly statuses = Object.values(EnrolmentStatus);
  protected readonly courseId = signal('');
  protected readonly year = signal(currentYear());
  protected readonly status = signal<EnrolmentStatus | ''>('');
  protected readonly q = signal('');
  private readonly debouncedQ = signal('');
  protected readonly page = signal(1);
  protected readonly result = signal<Page<EnrolmentItem> | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly personQ = signal('');
  protected readonly people = signal<PersonSummary[]>([]);
  private readonly reload = signal(0);
  private timer: ReturnType<typeof setTimeout> | undefined;
  private personTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    effect(() => {
      this.reload();
      const params: Record<string, string> = { page: String(this.page()), pageSize: '25', year: String(this.year()) };
      if (this.courseId()) params['courseId'] = this.courseId();
      if (this.status()) params['status'] = this.status();
      if (this.debouncedQ().trim()) params['q'] = this.debouncedQ();
      firstValueFrom(this.http.get<Page<EnrolmentItem>>('/api/enrolments', { params }))
        .then((r) => (this.result.set(r), this.error.set(null)))
        .catch((e) => this.error.set(this.i18n.error(e)));
    });
  }

  protected fmt(text: string, params: Record<string, string | number>): string {
    return text.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''));
  }

  onSearch(value: string): void {
    this.q.set(value);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => (this.debouncedQ.set(value), this.page.set(1)), 250);
  }

  searchPeople(value: string): void {
    this.personQ.set(value);
    clearTimeout(this.personTimer);
    if (value.trim().length < 2) return this.people.set([]);
    this.personTimer = setTimeout(() => {
      firstValueFrom(this.http.get<Page<PersonSummary>>('/api/staff', { params: { q: value, pageSize: '5' } }))
        .then((r) => this.people.set(r.items))
        .catch((e) => this.error.set(this.i18n.error(e)));
    }, 250);
  }

  async enrol(p: PersonSummary): Promise<void> {
    if (!this.courseId()) return this.error.set(this.L().chooseCourseFirst);
    try {
      await firstValueFrom(this.http.post('/api/enrolments', { personId: p.id, courseId: this.courseId(), year: this.year() }));
      this.snack.open(this.fmt(this.L().enrolDone, { name: p.fullName }), undefined, { duration: 3000 });
      this.people.set([]);
      this.personQ.set('');
      this.error.set(null);
      this.reload.update((n) => n + 1);
    } catch (e) {
      this.error.set(this.i18n.error(e));
    }
  }

  async withdraw(e: EnrolmentItem): Promise<void> {
    if (!confirm(this.fmt(this.L().withdrawConfirm, { name: e.fullName }))) return;
    try {
      await firstValueFrom(this.http.post(`/api/enrolments/${e.id}/withdraw`, {}));
      this.reload.update((n) => n + 1);
    } catch (err) {
      this.error.set(this.i18n.error(err));
    }
  }

  pages(r: Page<EnrolmentItem>): number {
    return Math.max(1, Math.ceil(r.total / r.pageSize));
  }
}

/** Audience rules: "everyone in subtree X (category C, position P) takes course K in year Y". */
@Component({
  selector: 'dx-audience-rules',
  imports: [FormsModule, MatFormFieldModule, MatInputModule, MatSelectModule, MatButtonModule, MatSnackBarModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <p class="muted">{{ L().ruleHint }}</p>
    <div class="filters">
      <mat-form-field>
        <mat-label>{{ L().course }}</mat-label>
        <mat-select data-testid="rule-course" [(ngModel)]="courseId">
          @for (c of courses(); track c.id) {
            <mat-option [value]="c.id">{{ c.code }} — {{ c.title }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
      <mat-form-field>
        <mat-label>{{ L().ruleUnit }}</mat-label>
        <mat-select data-testid="rule-unit" [(ngModel)]="unitId">
          @for (u of units(); track u.id) {
            <mat-option [value]="u.id">{{ u.name }} ({{ u.code }})</mat-option>
          }
        </mat-select>
      </mat-form-field>
      <mat-form-field>
        <mat-label>{{ L().ruleCategory }}</mat-label>
        <mat-select data-testid="rule-category" [(ngModel)]="category">
          <mat-option [value]="''">{{ L().anyCategory }}</mat-option>
          @for (c of i18n.categories(); track c) {
            <mat-option [value]="c">{{ i18n.category(c) }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
      <mat-form-field>
        <mat-label>{{ L().rulePosition }}</mat-label>
        <input matInput maxlength="200" [(ngModel)]="position" />
      </mat-form-field>
      <mat-form-field style="width: 120px">
        <mat-label>{{ L().year }}</mat-label>
        <input matInput type="number" min="2000" max="2100" [(ngModel)]="year" />
      </mat-form-field>
      <mat-form-field style="width: 170px">
        <mat-label>{{ L().dueDate }}</mat-label>
        <input matInput type="date" [(ngModel)]="dueDate" />
      </mat-form-field>
      <button mat-flat-button data-testid="rule-add" [disabled]="!courseId || !unitId" (click)="add()">{{ L().ruleAdd }}</button>
    </div>
    @if (error()) {
      <p class="error" role="alert">{{ error() }}</p>
    }
    <table class="data" data-testid="rule-table">
      <thead>
        <tr><th>{{ L().course }}</th><th>{{ L().ruleUnit }}</th><th>{{ L().ruleCategory }}</th><th>{{ L().year }}</th><th>{{ L().ruleMatching }}</th><th>{{ L().status }}</th><th></th></tr>
      </thead>
      <tbody>
        @for (r of rules(); track r.id) {
          <tr data-testid="rule-row">
            <td>{{ r.courseCode }}</td>
            <td>{{ r.orgUnitName }}@if (r.position) {<br /><span class="muted">{{ r.position }}</span>}</td>
            <td>{{ r.networkCategory ? i18n.category(r.networkCategory) : L().anyCategory }}</td>
            <td>{{ r.trainingYear }}</td>
            <td>{{ i18n.number(r.matching ?? 0) }}</td>
            <td>{{ r.active ? L().ruleActive : L().ruleInactive }}</td>
            <td><button mat-button (click)="toggle(r)">{{ r.active ? L().ruleDeactivate : L().ruleActivate }}</button></td>
          </tr>
        } @empty {
          <tr><td colspan="7" class="muted">{{ L().noResults }}</td></tr>
        }
      </tbody>
    </table>
  `,
})
export class AudienceRulesComponent {
  readonly courses = input<CourseSummary[]>([]);
  protected readonly i18n = inject(I18n);
  protected readonly L = computed(() => this.i18n.pick(ENROLMENT_I18N));
  private readonly http = inject(HttpClient);
  private readonly snack = inject(MatSnackBar);
  protected readonly rules = signal<AudienceRule[]>([]);
  protected readonly units = signal<OrgUnitSummary[]>([]);
  protected readonly error = signal<string | null>(null);
  protected courseId = '';
  protected unitId = '';
  protected category: NetworkCategory | '' = '';
  protected position = '';
  protected year = currentYear();
  protected dueDate = '';

  constructor() {
    void this.load();
    void this.loadUnits();
  }

  private async load(): Promise<void> {
    try {
      this.rules.set(await firstValueFrom(this.http.get<AudienceRule[]>('/api/audience-rules')));
    } catch (e) {
      this.error.set(this.i18n.error(e));
    }
  }

  private async loadUnits(): Promise<void> {
    try {
      const tops = await firstValueFrom(this.http.get<OrgUnitSummary[]>('/api/org-units'));
      const all: OrgUnitSummary[] = [];
      for (const top of tops) all.push(...(await firstValueFrom(this.http.get<OrgUnitSummary[]>(`/api/org-units/${top.id}/subtree`))));
      this.units.set(all.filter((u) => !u.validTo));
    } catch (e) {
      this.error.set(this.i18n.error(e));
    }
  }

  async add(): Promise<void> {
    try {
      await firstValueFrom(
        this.http.post('/api/audience-rules', {
          courseId: this.courseId,
          orgUnitId: this.unitId,
          ...(this.category ? { networkCategory: this.category } : {}),
          ...(this.position.trim() ? { position: this.position } : {}),
          year: Number(this.year),
          ...(this.dueDate ? { dueDate: this.dueDate } : {}),
        }),
      );
      this.snack.open(this.L().ruleSaved, undefined, { duration: 4000 });
      this.error.set(null);
      await this.load();
    } catch (e) {
      this.error.set(this.i18n.error(e));
    }
  }

  async toggle(r: AudienceRule): Promise<void> {
    try {
      await firstValueFrom(this.http.patch(`/api/audience-rules/${r.id}`, { active: !r.active }));
      await this.load();
    } catch (e) {
      this.error.set(this.i18n.error(e));
    }
  }
}

/** /enrolment: the organiser's and unit manager's enrolment workspace. */
@Component({
  selector: 'dx-enrolment-page',
  imports: [MatTabsModule, EnrolmentListComponent, AudienceRulesComponent, ImportWizardComponent, ImportHistoryComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="page">
      <h1>{{ L().title }}</h1>
      @if (error()) {
        <p class="error" role="alert">{{ error() }}</p>
      }
      <mat-tab-group [selectedIndex]="tab()" (selectedIndexChange)="tab.set($event)" dynamicHeight>
        <mat-tab [label]="L().tabEnrolments"><dx-enrolment-list [courses]="courses()" /></mat-tab>
        <mat-tab [label]="L().tabImport"><ng-template matTabContent><dx-import-wizard [courses]="courses()" /></ng-template></mat-tab>
        <mat-tab [label]="L().tabRules"><ng-template matTabContent><dx-audience-rules [courses]="courses()" /></ng-template></mat-tab>
        <mat-tab [label]="L().tabHistory"><ng-template matTabContent><dx-import-history /></ng-template></mat-tab>
      </mat-tab-group>
    </div>
  `,
})
export class EnrolmentPageComponent {
  protected readonly i18n = inject(I18n);
  protected readonly L = computed(() => this.i18n.pick(ENROLMENT_I18N));
  private readonly http = inject(HttpClient);
  protected readonly courses = signal<CourseSummary[]>([]);
  protected readonly error = signal<string | null>(null);
  protected readonly tab = signal(0);

  constructor() {
    loadCourses(this.http)
      .then((c) => this.courses.set(c))
      .catch((e) => this.error.set(this.i18n.error(e)));
  }
}
