import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, effect, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import {
  ComplianceExportJob,
  ComplianceExportFormat,
  ComplianceExportKind,

  CoverageReport,
  CoverageRow,
  CoverageTrend,
  ErrorCode,
  NETWORK_CATEGORIES,
  Page,
  UntrainedPerson,
  UntrainedReason,
} from '@dxtrain/shared/contracts';
import { Auth } from '../../core/auth';
import { currentYear, download } from '../../core/download';
import { I18n } from '../../core/i18n';
import { COMPLIANCE_I18N } from './compliance.i18n';
import { TrendChartComponent } from './trend-chart.component';

type Crumb = { unitId: string; name: string };

/** Colour of a coverage bar: red under 60%, amber under 90%, green from 90%. */
export function coverageColour(rate: number | null): string {
  if (rate === null) return '#bdbdbd';
  return rate >= 0.9 ? '#2e7d32' : rate >= 0.6 ? '#e08a00' : '#c62828';
}

/**
 * The 2030 target dashboard: key figures against the targets, the trend chart, the drill-down through
 * the organisation tree (scoped by the api to the caller's grants), the untrained list and exports.
 */
@Component({
  selector: 'dx-dashboard',
  imports: [FormsModule, MatFormFieldModule, MatSelectModule, MatButtonModule, MatIconModule, MatProgressBarModule, RouterLink, TrendChartComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="page">
      <div class="filters">
        <h1>{{ L().title }}</h1>
        <span class="spacer"></span>
        <mat-form-field class="narrow">
          <mat-label>{{ L().year }}</mat-label>
          <mat-select data-testid="dashboard-year" [ngModel]="year()" (ngModelChange)="year.set($event); page.set(1)">
            @for (y of years(); track y) {
              <mat-option [value]="y">{{ y }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
        @if (canEditRules()) {
          <a mat-stroked-button routerLink="/dashboard/requirements" data-testid="dashboard-requirements">{{ L().navRequirements }}</a>
        }
      </div>

      <nav class="crumbs" data-testid="dashboard-crumbs">
        @for (c of crumbs(); track c.unitId; let last = $last) {
          @if (last) {
            <strong>{{ c.name }}</strong>
          } @else {
            <a href="" (click)="$event.preventDefault(); back(c)">{{ c.name }}</a> ›
          }
        }
      </nav>
      @if (error()) {
        <p class="error" role="alert" data-testid="dashboard-error">{{ error() }}</p>
      }

      @if (report(); as r) {
        <section class="cards" data-testid="dashboard-figures">
          <div class="card">
            <div class="label">{{ L().trainingTarget }}</div>
            <div class="big" data-testid="figure-training">{{ percent(r.unit.coverageRate) }}</div>
            <div class="muted">{{ fmt(L().ofTotal, { n: r.unit.trained, total: r.unit.members - r.unit.exempt }) }} · {{ L().trainingTargetNote }}</div>
            <div class="bar"><span [style.width.%]="(r.unit.coverageRate ?? 0) * 100" [style.background]="colour(r.unit.coverageRate)"></span></div>
          </div>
          <div class="card">
            <div class="label">{{ L().focalTarget }}</div>
            <div class="big" data-testid="figure-focal">{{ percent(ratio(r.unit.unitsWithFocalPoint, r.unit.units)) }}</div>
            <div class="muted">{{ fmt(L().ofTotal, { n: r.unit.unitsWithFocalPoint, total: r.unit.units }) }} · {{ L().focalTargetNote }}</div>
            <div class="bar"><span [style.width.%]="ratio(r.unit.unitsWithFocalPoint, r.unit.units) * 100" [style.background]="colour(ratio(r.unit.unitsWithFocalPoint, r.unit.units))"></span></div>
          </div>
          <div class="card">
            <div class="label">{{ L().platformTarget }}</div>
            <div class="big" data-testid="figure-platform">{{ percent(ratio(r.unit.membersSignedIn, r.unit.members)) }}</div>
            <div class="muted">{{ fmt(L().ofTotal, { n: r.unit.membersSignedIn, total: r.unit.members }) }} · {{ L().platformTargetNote }}</div>
            <div class="bar"><span [style.width.%]="ratio(r.unit.membersSignedIn, r.unit.members) * 100" [style.background]="colour(ratio(r.unit.membersSignedIn, r.unit.members))"></span></div>
          </div>
        </section>
        <p class="muted" data-testid="dashboard-summary">
          {{ r.unit.unitId ? r.unit.name : L().allUnits }}: {{ L().members }} {{ i18n.number(r.unit.members) }} · {{ L().trained }} {{ i18n.number(r.unit.trained) }} · {{ L().inProgress }}
          {{ i18n.number(r.unit.inProgress) }} · {{ L().notStarted }} {{ i18n.number(r.unit.notStarted) }} · {{ L().exempt }} {{ i18n.number(r.unit.exempt) }}
          @if (r.refreshedAt) {
            <br />{{ fmt(L().refreshedAt, { time: time(r.refreshedAt) }) }}
          }
        </p>
      }

      @if (trend(); as t) {
        <h2>{{ L().trend }}</h2>
        <dx-trend-chart [trend]="t" [labels]="{ title: L().trend, coverage: L().coverageRate, target: L().target, projection: L().projection }" />
      }

      <h2>{{ L().drillDown }}</h2>
      <table class="data" data-testid="coverage-table">
        <thead>
          <tr><th>{{ L().unit }}</th><th>{{ L().members }}</th><th>{{ L().trained }}</th><th>{{ L().inProgress }}</th><th>{{ L().notStarted }}</th><th>{{ L().exempt }}</th><th class="cov">{{ L().coverage }}</th></tr>
        </thead>
        <tbody>
          @for (c of report()?.children ?? []; track c.unitId) {
            <tr class="clickable" data-testid="coverage-row" (click)="open(c)">
              <td>
                {{ c.name }}
                @if (c.formerUnit) {
                  <span class="badge warn" data-testid="former-unit">{{ c.formerUnit === 'split' ? L().formerUnitSplit : L().formerUnitMerge }}</span>
                } @else if (c.closed) {
                  <span class="badge warn">{{ L().merged }}</span>
                }
              </td>
              <td>{{ i18n.number(c.members) }}</td>
              <td>{{ i18n.number(c.trained) }}</td>
              <td>{{ i18n.number(c.inProgress) }}</td>
              <td>{{ i18n.number(c.notStarted) }}</td>
              <td>{{ i18n.number(c.exempt) }}</td>
              <td class="cov">
                <div class="bar"><span [style.width.%]="(c.coverageRate ?? 0) * 100" [style.background]="colour(c.coverageRate)"></span></div>
                <span data-testid="coverage-rate">{{ percent(c.coverageRate) }}</span>
              </td>
            </tr>
          } @empty {
            <tr><td colspan="7" class="muted">{{ report() ? L().noChildren : L().loading }}</td></tr>
          }
        </tbody>
      </table>

      <h2>{{ L().exports }}</h2>
      @if (unitId()) {
        <div class="filters" data-testid="dashboard-exports">
          <button mat-stroked-button data-testid="export-coverage-xlsx" (click)="export('coverage', 'xlsx')"><mat-icon>table_view</mat-icon> {{ L().exportCoverageXlsx }}</button>
          <button mat-stroked-button data-testid="export-coverage-csv" (click)="export('coverage', 'csv')">{{ L().exportCoverageCsv }}</button>
          <button mat-stroked-button data-testid="export-untrained-xlsx" (click)="export('untrained', 'xlsx')">{{ L().exportUntrainedXlsx }}</button>
          <button mat-stroked-button data-testid="export-untrained-csv" (click)="export('untrained', 'csv')">{{ L().exportUntrainedCsv }}</button>
          <button mat-stroked-button data-testid="export-summary-pdf" (click)="export('summary', 'pdf')"><mat-icon>picture_as_pdf</mat-icon> {{ L().exportPdf }}</button>
        </div>
        @if (job(); as j) {
          <div class="job" data-testid="export-job">
            @if (j.status === 'done') {
              {{ fmt(L().exportDone, { file: j.fileName ?? '' }) }}
              <button mat-button data-testid="export-job-download" (click)="downloadJob(j)">{{ L().download }}</button>
            } @else {
              {{ j.status === 'queued' ? L().exportQueued : fmt(L().exportProgress, { pct: j.progress }) }}
              <mat-progress-bar mode="determinate" [value]="j.progress" />
            }
          </div>
        }
      } @else {
        <p class="muted">{{ L().chooseUnit }}</p>
      }

      <h2>{{ L().untrained }}</h2>
      @if (unitId()) {
        <div class="filters">
          <mat-form-field>
            <mat-label>{{ L().category }}</mat-label>
            <mat-select data-testid="untrained-category" [ngModel]="category()" (ngModelChange)="category.set($event); page.set(1)">
              <mat-option [value]="''">{{ L().all }}</mat-option>
              @for (c of categories; track c) {
                <mat-option [value]="c">{{ L().categories[c] }}</mat-option>
              }
            </mat-select>
          </mat-form-field>
          <mat-form-field>
            <mat-label>{{ L().reason }}</mat-label>
            <mat-select data-testid="untrained-reason" [ngModel]="reason()" (ngModelChange)="reason.set($event); page.set(1)">
              <mat-option [value]="''">{{ L().all }}</mat-option>
              @for (r of reasons; track r) {
                <mat-option [value]="r">{{ L().reasons[r] }}</mat-option>
              }
            </mat-select>
          </mat-form-field>
        </div>
        <table class="data" data-testid="untrained-table">
          <thead>
            <tr><th>{{ L().person }}</th><th>{{ L().unit }}</th><th>{{ L().category }}</th><th>{{ L().status }}</th><th>{{ L().reason }}</th><th>{{ L().periods }}</th></tr>
          </thead>
          <tbody>
            @for (p of untrained()?.items ?? []; track p.personId) {
              <tr data-testid="untrained-row">
                <td>{{ p.fullName }}<br /><span class="muted">{{ p.staffCode }}</span></td>
                <td>{{ p.orgUnitName }}</td>
                <td>{{ p.networkCategory ? L().categories[p.networkCategory] : '' }}</td>
                <td><span class="badge" [class.warn]="p.status === 'not_started'">{{ L().statuses[p.status] }}</span></td>
                <td>{{ L().reasons[p.reason] }}</td>
                <td>{{ p.periods }}{{ p.requiredPeriods !== null ? ' / ' + p.requiredPeriods : '' }}</td>
              </tr>
            } @empty {
              <tr><td colspan="6" class="muted">{{ untrained() ? L().noResults : L().loading }}</td></tr>
            }
          </tbody>
        </table>
        @if (untrained(); as u) {
          <div class="filters">
            <button mat-button [disabled]="page() <= 1" (click)="page.set(page() - 1)">{{ L().previous }}</button>
            <span data-testid="untrained-total">{{ fmt(L().pageOf, { page: u.page, pages: pages(u), total: i18n.number(u.total) }) }}</span>
            <button mat-button [disabled]="page() >= pages(u)" (click)="page.set(page() + 1)">{{ L().next }}</button>
          </div>
        }
      } @else {
        <p class="muted">{{ L().chooseUnit }}</p>
      }
    </div>
  `,
  styles: [
    '.spacer { flex: 1; } .narrow { width: 120px; } .crumbs { margin: 4px 0 12px; }',
    '.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(240px, 1fr)); gap: 12px; margin-bottom: 8px; }',
    '.card { border: 1px solid #e0e0e0; border-radius: 8px; padding: 12px; } .card .label { font-size: 14px; } .card .big { font-size: 32px; font-weight: 500; margin: 4px 0; }',
    '.bar { height: 8px; background: #eee; border-radius: 4px; overflow: hidden; min-width: 80px; margin-top: 6px; } .bar span { display: block; height: 100%; }',
    'td.cov, th.cov { min-width: 140px; } .job { margin: 8px 0; max-width: 480px; }',
  ],
})
export class DashboardComponent {
  protected readonly i18n = inject(I18n);
  protected readonly L = computed(() => this.i18n.pick(COMPLIANCE_I18N));
  private readonly http = inject(HttpClient);
  private readonly auth = inject(Auth);
  protected readonly categories = NETWORK_CATEGORIES;
  protected readonly reasons = Object.values(UntrainedReason);
  protected readonly canEditRules = computed(() => this.auth.canEditCourses());

  protected readonly years = signal<number[]>([currentYear()]);
  protected readonly year = signal(currentYear());
  /** Stack of units drilled into ('' = the default view of the caller's grants). */
  protected readonly crumbs = signal<Crumb[]>([]);
  protected readonly unitId = computed(() => {
    const c = this.crumbs();
    return c.length ? c[c.length - 1].unitId : '';
  });
  private readonly requestedUnit = signal<string | null>(null);
  protected readonly report = signal<CoverageReport | null>(null);
  protected readonly trend = signal<CoverageTrend | null>(null);
  protected readonly untrained = signal<Page<UntrainedPerson> | null>(null);
  protected readonly category = signal('');
  protected readonly reason = signal('');
  protected readonly page = signal(1);
  protected readonly error = signal<string | null>(null);
  protected readonly job = signal<ComplianceExportJob | null>(null);
  /** Each load gets a number: an answer that arrives after a newer request was made (year or unit changed) is dropped. */
  private readonly latest = { report: 0, trend: 0, untrained: 0 };

  constructor() {
    firstValueFrom(this.http.get<{ first: number; current: number }>('/api/compliance/years'))
      .then((y) => {
        const list: number[] = [];
        for (let v = y.current; v >= y.first; v--) list.push(v);
        this.years.set(list);
      })
      .catch((e) => this.error.set(this.i18n.error(e)));
    effect(() => {
      const params: Record<string, string> = { year: String(this.year()) };
      const unit = this.requestedUnit();
      if (unit) params['unitId'] = unit;
      this.report.set(null);
      const n = ++this.latest.report;
      firstValueFrom(this.http.get<CoverageReport>('/api/compliance', { params }))
        .then((r) => {
          if (n !== this.latest.report) return;
          this.report.set(r);
          this.error.set(null);
          // The first answer names the default unit (or "all"): it starts the breadcrumbs.
          if (!unit) this.crumbs.set([{ unitId: r.unit.unitId, name: r.unit.unitId ? r.unit.name : this.L().allUnits }]);
        })
        .catch((e) => n === this.latest.report && this.error.set(this.i18n.error(e)));
    });
    effect(() => {
      const unit = this.requestedUnit();
      const n = ++this.latest.trend;
      firstValueFrom(this.http.get<CoverageTrend>('/api/compliance/trend', { params: unit ? { unitId: unit } : {} }))
        .then((t) => n === this.latest.trend && this.trend.set(t))
        .catch((e) => n === this.latest.trend && this.error.set(this.i18n.error(e)));
    });
    effect(() => {
      const unit = this.unitId();
      if (!unit) return this.untrained.set(null);
      const params: Record<string, string> = { year: String(this.year()), unitId: unit, page: String(this.page()), pageSize: '20' };
      if (this.category()) params['category'] = this.category();
      if (this.reason()) params['reason'] = this.reason();
      const n = ++this.latest.untrained;
      firstValueFrom(this.http.get<Page<UntrainedPerson>>('/api/compliance/untrained', { params }))
        .then((u) => n === this.latest.untrained && this.untrained.set(u))
        .catch((e) => n === this.latest.untrained && this.error.set(this.i18n.error(e)));
    });
  }

  open(c: CoverageRow): void {
    this.crumbs.update((list) => [...list, { unitId: c.unitId, name: c.name }]);
    this.requestedUnit.set(c.unitId);
    this.page.set(1);
    this.job.set(null);
  }

  back(c: Crumb): void {
    const list = this.crumbs();
    const i = list.findIndex((x) => x.unitId === c.unitId);
    this.crumbs.set(list.slice(0, i + 1));
    this.requestedUnit.set(i === 0 && !list[0].unitId ? null : c.unitId || null);
    this.page.set(1);
    this.job.set(null);
  }

  /** Direct download; when the api says the export is too large, the same export runs as a job with progress. */
  async export(kind: ComplianceExportKind, format: ComplianceExportFormat): Promise<void> {
    const params = new URLSearchParams({ year: String(this.year()), unitId: this.unitId(), format });
    if (kind === 'untrained' && this.category()) params.set('category', this.category());
    if (kind === 'untrained' && this.reason()) params.set('reason', this.reason());
    const name = `${kind === 'coverage' ? 'bao-phu' : kind === 'untrained' ? 'chua-boi-duong' : 'bao-cao'}-${this.year()}.${format}`;
    try {
      await download(this.http, `/api/compliance/export/${kind}?${params}`, name);
      this.error.set(null);
    } catch (e) {
      const code = await errorCode(e);
      if (code !== ErrorCode.ExportTooLarge) return this.error.set(this.i18n.error(code ? { error: { code } } : e));
      await this.runJob(kind, format);
    }
  }

  private async runJob(kind: ComplianceExportKind, format: ComplianceExportFormat): Promise<void> {
    const body: Record<string, unknown> = { kind, format, year: this.year(), unitId: this.unitId() };
    if (kind === 'untrained' && this.category()) body['category'] = this.category();
    if (kind === 'untrained' && this.reason()) body['reason'] = this.reason();
    try {
      let j = await firstValueFrom(this.http.post<ComplianceExportJob>('/api/compliance/exports', body));
      this.job.set(j);
      while (j.status === 'queued' || j.status === 'running') {
        await new Promise((r) => setTimeout(r, 1000));
        j = await firstValueFrom(this.http.get<ComplianceExportJob>(`/api/compliance/exports/${j.id}`));
        this.job.set(j);
      }
      if (j.status === 'failed') this.error.set(j.error ?? this.i18n.error(null));
    } catch (e) {
      this.error.set(this.i18n.error(e));
    }
  }

  async downloadJob(j: ComplianceExportJob): Promise<void> {
    await download(this.http, `/api/compliance/exports/${j.id}/file`, j.fileName ?? 'export');
  }

  protected colour(rate: number | null): string {
    return coverageColour(rate);
  }
  protected ratio(n: number, total: number): number {
    return total > 0 ? n / total : 0;
  }
  protected percent(rate: number | null): string {
    return rate === null ? '—' : `${new Intl.NumberFormat(this.i18n.locale(), { maximumFractionDigits: 1 }).format(rate * 100)}%`;
  }
  protected time(iso: string): string {
    return new Intl.DateTimeFormat(this.i18n.locale(), { dateStyle: 'short', timeStyle: 'short', timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date(iso));
  }
  protected fmt(text: string, params: Record<string, string | number>): string {
    return text.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''));
  }
  protected pages(p: Page<unknown>): number {
    return Math.max(1, Math.ceil(p.total / p.pageSize));
  }
}

/** The api error code of a failed request, also when the body came back as a Blob (downloads). */
async function errorCode(e: unknown): Promise<string | null> {
  if (!(e instanceof HttpErrorResponse)) return null;
  const body = e.error instanceof Blob ? await e.error.text().then((t) => { try { return JSON.parse(t); } catch { return null; } }) : e.error;
  return (body as { code?: string } | null)?.code ?? null;
}

