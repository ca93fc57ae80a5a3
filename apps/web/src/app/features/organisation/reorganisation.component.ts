import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatExpansionModule } from '@angular/material/expansion';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { firstValueFrom } from 'rxjs';
import { ApiError, ErrorCode, ReorganisationPlanSummary, ReorganisationReport, ReorgImpact, ReorgRowIssue, reorgIssueText } from '@dxtrain/shared/contracts';
import { download } from '../../core/download';
import { I18n } from '../../core/i18n';
import { dmy, dmyHm, fill, ORGANISATION_I18N } from './organisation.i18n';

const MAX_BYTES = 5 * 1024 * 1024;
const MAX_NAME = 255;
/** Items of an impact list shown before "show more". */
const LIST_STEP = 50;

type Totals = ReorganisationReport['totals'];
const TOTAL_KEYS: ReadonlyArray<keyof Totals> = ['created', 'closed', 'split', 'moved', 'abolished', 'people'];

/**
 * Reorganisation plans (admins): download the template, check a plan (dry run: refused rows, or the changes
 * and their effects on other data), apply it in one go, and the history of applied plans.
 */
@Component({
  selector: 'dx-reorganisation',
  imports: [FormsModule, MatButtonModule, MatCheckboxModule, MatExpansionModule, MatFormFieldModule, MatIconModule, MatInputModule, MatProgressBarModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: [
    '.intro { max-width: 900px; } .field { display: flex; flex-direction: column; gap: 4px; margin-bottom: 12px; } .field .label { font-size: 14px; }',
    '.name { width: min(420px, 100%); } .hint { font-size: 12px; } .ok { color: #1c5d2a; font-weight: 600; }',
    '.counts { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 8px; margin: 0 0 12px; }',
    '.counts div { background: #f5f7fb; padding: 8px; border-radius: 8px; } .counts dt { font-size: 12px; color: #555; } .counts dd { margin: 0; font-size: 22px; }',
    '.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; margin-bottom: 12px; } .scroll table.data { min-width: 640px; }',
    /* Wide tables scroll instead of hiding their columns on small screens. */
    '.scroll table.data th, .scroll table.data td { display: table-cell; }',
    'mat-expansion-panel { margin-bottom: 8px; } .panel-counts { font-size: 13px; } h4 { margin: 12px 0 4px; }',
    '.apply { border: 1px solid #e0e0e0; border-radius: 8px; padding: 12px; margin: 12px 0; max-width: 900px; }',
  ],
  template: `
    <div class="page">
      <h1>{{ L().title }}</h1>
      <p class="intro muted" data-testid="reorg-intro">{{ L().intro }}</p>
      <p>
        <button mat-stroked-button type="button" data-testid="reorg-template" (click)="template()"><mat-icon>download</mat-icon> {{ L().template }}</button>
      </p>

      <mat-form-field class="name">
        <mat-label>{{ L().planName }}</mat-label>
        <input matInput name="planName" data-testid="reorg-name" [maxlength]="maxName" [(ngModel)]="planName" [disabled]="busy() !== null" (ngModelChange)="nameError.set(null)" />
        @if (nameError()) {
          <mat-hint class="error" role="alert" data-testid="reorg-name-error">{{ nameError() }}</mat-hint>
        } @else {
          <mat-hint>{{ L().planNameHint }}</mat-hint>
        }
      </mat-form-field>

      <div class="field">
        <span class="label" id="reorg-file-label">{{ L().file }}</span>
        <div class="filters">
          <input #picker id="reorg-file" type="file" hidden accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" data-testid="reorg-file" (change)="pick(picker.files); picker.value = ''" />
          <button mat-stroked-button type="button" id="reorg-file-button" aria-labelledby="reorg-file-label reorg-file-button" aria-describedby="reorg-file-name reorg-file-error" [disabled]="busy() !== null" (click)="picker.click()">{{ L().chooseFile }}</button>
          <span id="reorg-file-name" data-testid="reorg-file-name">{{ file()?.name ?? L().fileHint }}</span>
        </div>
        @if (fileError()) {
          <span id="reorg-file-error" class="error hint" role="alert" data-testid="reorg-file-error">{{ fileError() }}</span>
        }
      </div>

      <div class="filters">
        <button mat-flat-button type="button" data-testid="reorg-check" [disabled]="busy() !== null" (click)="check()">{{ L().check }}</button>
        @if (report()) {
          <button mat-button type="button" data-testid="reorg-restart" [disabled]="busy() !== null" (click)="reset()">{{ L().restart }}</button>
        }
      </div>
      @if (busy()) {
        <p>{{ busy() === 'checking' ? L().checking : L().applying }}</p>
        <mat-progress-bar mode="indeterminate" />
      }
      @if (error()) {
        <p class="error" role="alert" data-testid="reorg-error">{{ error() }}</p>
      }
      @if (success()) {
        <p class="ok" role="status" data-testid="reorg-applied">{{ success() }}</p>
      }

      @if (report(); as r) {
        @if (!r.valid) {
          <p class="error" role="alert" data-testid="reorg-invalid">{{ fmt(L().invalid, { count: i18n.number(r.issues.length) }) }}</p>
          <h2>{{ L().issues }}</h2>
          <div class="scroll" tabindex="0" role="region" [attr.aria-label]="L().title">
            <table class="data" data-testid="reorg-issues">
              <thead><tr><th scope="col">{{ L().row }}</th><th scope="col">{{ L().column }}</th><th scope="col">{{ L().message }}</th></tr></thead>
              <tbody>
                @for (issue of r.issues; track $index) {
                  <tr data-testid="reorg-issue">
                    <td>{{ issue.row ? issue.row : L().wholeFile }}</td>
                    <td>{{ issue.column }}</td>
                    <td>{{ issueText(issue) }}</td>
                  </tr>
                }
              </tbody>
            </table>
          </div>
        } @else {
          @if (!r.applied) {
            <p data-testid="reorg-valid">{{ fmt(L().valid, { rows: i18n.number(r.rows) }) }}</p>
          }
          <h2>{{ L().totals }}</h2>
          <dl class="counts" data-testid="reorg-totals">
            @for (k of totalKeys; track k) {
              <div><dt>{{ totalLabel(k) }}</dt><dd [attr.data-testid]="'reorg-total-' + k">{{ i18n.number(r.totals[k]) }}</dd></div>
            }
          </dl>

          <h2>{{ L().changes }}</h2>
          <div class="scroll" tabindex="0" role="region" [attr.aria-label]="L().title">
            <table class="data" data-testid="reorg-changes">
              <thead>
                <tr>
                  <th scope="col">{{ L().row }}</th><th scope="col">{{ L().action }}</th><th scope="col">{{ L().effectiveDate }}</th><th scope="col">{{ L().unit }}</th>
                  <th scope="col">{{ L().targets }}</th><th scope="col">{{ L().people }}</th><th scope="col">{{ L().subUnits }}</th>
                </tr>
              </thead>
              <tbody>
                @for (c of r.changes; track $index) {
                  <tr data-testid="reorg-change">
                    <td>{{ c.row }}</td>
                    <td><span class="badge">{{ L().actions[c.action] }}</span></td>
                    <td>{{ day(c.effectiveDate) }}</td>
                    <td>{{ c.unit.code }} — {{ c.unit.name }}<br /><span class="muted">{{ i18n.kind(c.unit.kind) }}</span></td>
                    <td>
                      @for (t of c.targets; track t.code; let last = $last) {
                        <span [title]="t.code">{{ t.name }}</span>@if (!last) {<br />}
                      } @empty {
                        —
                      }
                    </td>
                    <td>{{ i18n.number(c.people) }}</td>
                    <td>{{ i18n.number(c.subUnits) }}</td>
                  </tr>
                } @empty {
                  <tr><td colspan="7" class="muted">—</td></tr>
                }
              </tbody>
            </table>
          </div>

          <h2>{{ L().impacts }}</h2>
          @for (impact of impacts(); track impact.area) {
            <mat-expansion-panel [attr.data-testid]="'reorg-impact-' + impact.area">
              <mat-expansion-panel-header>
                <mat-panel-title>{{ L().areas[impact.area] }}</mat-panel-title>
                <mat-panel-description class="panel-counts">
                  @if (impact.changed.length) {
                    <span class="badge">{{ L().changed }}: {{ i18n.number(impact.changed.length) }}</span>
                  }
                  @if (impact.review.length) {
                    <span class="badge warn">{{ L().review }}: {{ i18n.number(impact.review.length) }}</span>
                  }
                  @if (impact.undecided.length) {
                    <span class="badge warn">{{ L().undecided }}: {{ i18n.number(impact.undecided.length) }}</span>
                  }
                </mat-panel-description>
              </mat-expansion-panel-header>
              <ng-template matExpansionPanelContent>
                @if (impact.changed.length) {
                  <h4>{{ L().changed }}</h4>
                  <div class="scroll" tabindex="0" role="region" [attr.aria-label]="L().title">
                    <table class="data" data-testid="reorg-impact-changed">
                      <thead><tr><th scope="col">{{ L().item }}</th><th scope="col">{{ L().from }}</th><th scope="col">{{ L().to }}</th></tr></thead>
                      <tbody>
                        @for (x of shown(impact, 'changed'); track $index) {
                          <tr><td>{{ x.label }}</td><td>{{ x.from }}</td><td>{{ x.to }}</td></tr>
                        }
                      </tbody>
                    </table>
                  </div>
                  @if (hidden(impact, 'changed'); as n) {
                    <button mat-button type="button" (click)="more(impact, 'changed')">{{ fmt(L().more, { count: i18n.number(n) }) }}</button>
                  }
                }
                @for (list of reasonLists; track list) {
                  @if (impact[list].length) {
                    <h4>{{ L()[list] }}</h4>
                    <div class="scroll" tabindex="0" role="region" [attr.aria-label]="L().title">
                      <table class="data" [attr.data-testid]="'reorg-impact-' + list">
                        <thead><tr><th scope="col">{{ L().item }}</th><th scope="col">{{ L().reason }}</th></tr></thead>
                        <tbody>
                          @for (x of shown(impact, list); track $index) {
                            <tr><td>{{ x.label }}</td><td>{{ x.reason }}</td></tr>
                          }
                        </tbody>
                      </table>
                    </div>
                    @if (hidden(impact, list); as n) {
                      <button mat-button type="button" (click)="more(impact, list)">{{ fmt(L().more, { count: i18n.number(n) }) }}</button>
                    }
                  }
                }
              </ng-template>
            </mat-expansion-panel>
          } @empty {
            <p class="muted">{{ L().noImpacts }}</p>
          }

          @if (!r.applied) {
            <section class="apply" data-testid="reorg-apply-section">
              <mat-checkbox data-testid="reorg-confirm" [disabled]="busy() !== null" [ngModel]="confirmed()" (ngModelChange)="confirmed.set($event)">{{ L().confirm }}</mat-checkbox>
              <div class="filters">
                <button mat-flat-button type="button" data-testid="reorg-apply" [disabled]="!confirmed() || busy() !== null" (click)="apply()">{{ L().apply }}</button>
              </div>
            </section>
          }
        }
      }

      <h2>{{ L().history }}</h2>
      <div class="scroll" tabindex="0" role="region" [attr.aria-label]="L().title">
        <table class="data" data-testid="reorg-history">
          <thead>
            <tr><th scope="col">{{ L().name }}</th><th scope="col">{{ L().appliedAt }}</th><th scope="col">{{ L().appliedBy }}</th><th scope="col">{{ L().rows }}</th><th scope="col">{{ L().result }}</th></tr>
          </thead>
          <tbody>
            @for (p of history(); track p.id) {
              <tr data-testid="reorg-history-row">
                <td>{{ p.name }}</td>
                <td>{{ dateTime(p.appliedAt) }}</td>
                <td>{{ p.appliedBy === 'system' ? L().systemUser : p.appliedBy }}</td>
                <td>{{ i18n.number(p.rows) }}</td>
                <td>{{ totalsText(p.totals) }}</td>
              </tr>
            } @empty {
              <tr><td colspan="5" class="muted">{{ historyLoaded() ? L().noHistory : L().loading }}</td></tr>
            }
          </tbody>
        </table>
      </div>
    </div>
  `,
})
export class ReorganisationComponent {
  protected readonly i18n = inject(I18n);
  protected readonly L = computed(() => this.i18n.pick(ORGANISATION_I18N));
  private readonly http = inject(HttpClient);
  protected readonly totalKeys = TOTAL_KEYS;
  protected readonly reasonLists = ['review', 'undecided'] as const;
  protected readonly maxName = MAX_NAME;

  protected planName = '';
  protected readonly file = signal<File | null>(null);
  protected readonly report = signal<ReorganisationReport | null>(null);
  /** Impacts with something to show. */
  protected readonly impacts = computed(() => (this.report()?.impacts ?? []).filter((i) => i.changed.length || i.review.length || i.undecided.length));
  protected readonly busy = signal<'checking' | 'applying' | null>(null);
  protected readonly confirmed = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly fileError = signal<string | null>(null);
  protected readonly nameError = signal<string | null>(null);
  protected readonly success = signal<string | null>(null);
  protected readonly history = signal<ReorganisationPlanSummary[]>([]);
  protected readonly historyLoaded = signal(false);
  /** How many items of each impact list are shown ("area:list"). */
  private readonly limits = signal<Record<string, number>>({});

  constructor() {
    void this.loadHistory();
  }

  pick(files: FileList | null): void {
    const f = files?.[0] ?? null;
    this.fileError.set(null);
    this.error.set(null);
    this.success.set(null);
    // A new file must be checked again before it can be applied.
    this.report.set(null);
    this.confirmed.set(false);
    if (f && f.size > MAX_BYTES) {
      this.file.set(null);
      this.fileError.set(this.L().fileTooLarge);
      return;
    }
    this.file.set(f);
  }

  async check(): Promise<void> {
    const form = this.form();
    if (!form) return;
    this.busy.set('checking');
    this.error.set(null);
    this.success.set(null);
    this.report.set(null);
    this.confirmed.set(false);
    this.limits.set({});
    try {
      this.report.set(await firstValueFrom(this.http.post<ReorganisationReport>('/api/reorganisations/check', form)));
    } catch (e) {
      this.showError(e);
    } finally {
      this.busy.set(null);
    }
  }

  async apply(): Promise<void> {
    const form = this.form();
    if (!form || !this.confirmed()) return;
    this.busy.set('applying');
    this.error.set(null);
    this.success.set(null);
    try {
      const r = await firstValueFrom(this.http.post<ReorganisationReport>('/api/reorganisations', form));
      this.report.set(r);
      this.confirmed.set(false);
      this.success.set(this.fmt(this.L().applied, { name: r.name }));
      await this.loadHistory();
    } catch (e) {
      const refused = e instanceof HttpErrorResponse && (e.error as ApiError | null)?.code === ErrorCode.ReorganisationInvalid;
      if (refused) {
        // The tree changed since the check: show the refused rows again, in the user's language.
        this.busy.set(null);
        await this.check();
      }
      this.showError(e);
    } finally {
      this.busy.set(null);
    }
  }

  reset(): void {
    this.report.set(null);
    this.file.set(null);
    this.planName = '';
    this.confirmed.set(false);
    this.error.set(null);
    this.fileError.set(null);
    this.nameError.set(null);
    this.success.set(null);
  }

  async template(): Promise<void> {
    const lang = this.i18n.lang();
    try {
      await download(this.http, `/api/reorganisations/template.xlsx?lang=${lang}`, lang === 'en' ? 'reorganisation-plan.xlsx' : 'ke-hoach-sap-xep.xlsx');
      this.error.set(null);
    } catch (e) {
      this.error.set(this.i18n.error(await jsonBody(e)));
    }
  }

  private async loadHistory(): Promise<void> {
    try {
      this.history.set(await firstValueFrom(this.http.get<ReorganisationPlanSummary[]>('/api/reorganisations')));
    } catch (e) {
      this.error.set(this.i18n.error(e));
    } finally {
      this.historyLoaded.set(true);
    }
  }

  /** The upload, or null with the reason shown next to the field. */
  private form(): FormData | null {
    const file = this.file();
    const name = this.planName.trim();
    this.fileError.set(file ? null : this.L().noFile);
    this.nameError.set(name.length > MAX_NAME ? this.L().planNameTooLong : null);
    if (!file || this.nameError()) return null;
    const form = new FormData();
    form.append('file', file, file.name);
    if (name) form.append('name', name);
    return form;
  }

  /** The app's message; a field's own problem also goes next to the field. */
  private showError(e: unknown): void {
    const body = (e as { error?: ApiError } | null)?.error;
    for (const d of body?.details ?? []) {
      if (d.field === 'file') this.fileError.set(body?.code === ErrorCode.ValidationFailed ? this.L().noFile : this.i18n.error(e));
      if (d.field === 'name') this.nameError.set(this.L().planNameTooLong);
    }
    if (body?.code === ErrorCode.FileTooLarge) this.fileError.set(this.L().fileTooLarge);
    this.error.set(this.i18n.error(e));
  }

  protected issueText(issue: ReorgRowIssue): string {
    return reorgIssueText(issue, this.i18n.lang());
  }

  protected totalLabel(k: keyof Totals): string {
    const L = this.L();
    return { created: L.totalCreated, closed: L.totalClosed, split: L.totalSplit, moved: L.totalMoved, abolished: L.totalAbolished, people: L.totalPeople }[k];
  }

  /** "2 tạo mới · 3 sáp nhập · 120 cán bộ" (non-zero only). */
  protected totalsText(t: Totals): string {
    const parts = TOTAL_KEYS.filter((k) => t[k] > 0).map((k) => `${this.i18n.number(t[k])} ${this.L().totalsShort[k]}`);
    return parts.length ? parts.join(' · ') : '—';
  }

  protected shown<K extends 'changed' | 'review' | 'undecided'>(impact: ReorgImpact, list: K): ReorgImpact[K] {
    const limit = this.limits()[`${impact.area}:${list}`] ?? LIST_STEP;
    return impact[list].slice(0, limit) as ReorgImpact[K];
  }

  protected hidden(impact: ReorgImpact, list: 'changed' | 'review' | 'undecided'): number {
    return Math.max(0, impact[list].length - (this.limits()[`${impact.area}:${list}`] ?? LIST_STEP));
  }

  protected more(impact: ReorgImpact, list: 'changed' | 'review' | 'undecided'): void {
    const key = `${impact.area}:${list}`;
    this.limits.update((l) => ({ ...l, [key]: (l[key] ?? LIST_STEP) + 500 }));
  }

  protected day(value: string): string {
    return dmy(value);
  }
  protected dateTime(value: string): string {
    return dmyHm(value);
  }
  protected fmt(text: string, params: Record<string, string | number>): string {
    return fill(text, params);
  }
}

/** An error whose body came back as a Blob (downloads), with its JSON body read. */
async function jsonBody(e: unknown): Promise<unknown> {
  if (!(e instanceof HttpErrorResponse) || !(e.error instanceof Blob)) return e;
  try {
    return { error: JSON.parse(await e.error.text()) };
  } catch {
    return e;
  }
}
