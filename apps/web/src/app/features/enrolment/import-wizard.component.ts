import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject, input, OnDestroy, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { firstValueFrom } from 'rxjs';
import { CourseSummary, EnrolmentImportSummary } from '@dxtrain/shared/contracts';
import { currentYear, download } from '../../core/download';
import { I18n } from '../../core/i18n';
import { ENROLMENT_I18N } from './enrolment.i18n';

const MAX_BYTES = 50 * 1024 * 1024;

/** The counts of an import, shared by the wizard's preview and summary. */
@Component({
  selector: 'dx-import-counts',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (s(); as s) {
      <dl class="counts" data-testid="import-counts">
        <div><dt>{{ L().totalRows }}</dt><dd data-testid="count-total">{{ i18n.number(s.totalRows) }}</dd></div>
        <div><dt>{{ L().createdPeople }}</dt><dd data-testid="count-created">{{ i18n.number(s.createdPeople) }}</dd></div>
        <div><dt>{{ L().updatedPeople }}</dt><dd data-testid="count-updated">{{ i18n.number(s.updatedPeople) }}</dd></div>
        <div><dt>{{ L().enrolled }}</dt><dd data-testid="count-enrolled">{{ i18n.number(s.enrolled) }}</dd></div>
        <div><dt>{{ L().alreadyEnrolled }}</dt><dd data-testid="count-already">{{ i18n.number(s.alreadyEnrolled) }}</dd></div>
        <div><dt>{{ L().failedRows }}</dt><dd data-testid="count-failed" [class.error]="s.failedRows > 0">{{ i18n.number(s.failedRows) }}</dd></div>
      </dl>
      @if (s.firstErrors.length) {
        <h3>{{ L().firstErrors }}</h3>
        <table class="data" data-testid="import-errors">
          <thead><tr><th>{{ L().row }}</th><th>{{ L().column }}</th><th>{{ L().message }}</th></tr></thead>
          <tbody>
            @for (e of s.firstErrors; track $index) {
              <tr><td>{{ e.rowNumber }}</td><td>{{ e.column ?? '' }}</td><td>{{ e.message }}</td></tr>
            }
          </tbody>
        </table>
      }
    }
  `,
  styles: ['.counts { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 8px; } .counts div { background: #f5f7fb; padding: 8px; border-radius: 8px; } dt { font-size: 12px; color: #555; } dd { margin: 0; font-size: 22px; }'],
})
export class ImportCountsComponent {
  readonly s = input<EnrolmentImportSummary | null>(null);
  protected readonly i18n = inject(I18n);
  protected readonly L = computed(() => this.i18n.pick(ENROLMENT_I18N));
}

type Step = 'choose' | 'checking' | 'preview' | 'importing' | 'done';

/** Upload → dry-run preview with counts and first errors → confirm → live progress → summary and errors download. */
@Component({
  selector: 'dx-import-wizard',
  imports: [FormsModule, MatFormFieldModule, MatInputModule, MatSelectModule, MatButtonModule, MatProgressBarModule, ImportCountsComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="wizard" data-testid="import-wizard">
      <p class="steps">
        <span [class.on]="step() === 'choose'">{{ L().step1 }}</span> ·
        <span [class.on]="step() === 'checking' || step() === 'preview'">{{ L().step2 }}</span> ·
        <span [class.on]="step() === 'importing' || step() === 'done'">{{ L().step3 }}</span>
      </p>
      <div class="filters">
        <mat-form-field>
          <mat-label>{{ L().course }}</mat-label>
          <mat-select data-testid="import-course" [(ngModel)]="courseId" [disabled]="step() !== 'choose'">
            <mat-option [value]="''">{{ L().courseFromFile }}</mat-option>
            @for (c of courses(); track c.id) {
              <mat-option [value]="c.id">{{ c.code }} — {{ c.title }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
        <mat-form-field style="width: 120px">
          <mat-label>{{ L().year }}</mat-label>
          <input matInput type="number" min="2000" max="2100" data-testid="import-year" [(ngModel)]="year" [disabled]="step() !== 'choose'" />
        </mat-form-field>
        <mat-form-field style="width: 170px">
          <mat-label>{{ L().dueDate }}</mat-label>
          <input matInput type="date" [(ngModel)]="dueDate" [disabled]="step() !== 'choose'" />
        </mat-form-field>
      </div>
      <div class="filters">
        <input #picker type="file" hidden accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" data-testid="import-file" (change)="pick(picker.files)" />
        <button mat-stroked-button [disabled]="step() !== 'choose'" (click)="picker.click()">{{ L().chooseFile }}</button>
        <span data-testid="import-file-name">{{ file()?.name ?? L().file }}</span>
        <button mat-button (click)="template('csv')">{{ L().templateCsv }}</button>
        <button mat-button (click)="template('xlsx')">{{ L().templateXlsx }}</button>
      </div>
      @if (error()) {
        <p class="error" role="alert" data-testid="import-error">{{ error() }}</p>
      }
      @switch (step()) {
        @case ('choose') {
          <button mat-flat-button data-testid="import-dry-run" [disabled]="!file()" (click)="start(true)">{{ L().dryRun }}</button>
        }
        @case ('checking') {
          <p>{{ L().checking }}</p>
          <mat-progress-bar mode="determinate" [value]="percent()" />
        }
        @case ('preview') {
          @if (summary()?.status === 'failed') {
            <p class="error" role="alert" data-testid="import-failed">{{ L().failed }}: {{ summary()?.failureReason }}</p>
            <button mat-button (click)="reset()">{{ L().restart }}</button>
          } @else {
            <p>{{ L().dryRunDone }}</p>
            <dx-import-counts [s]="summary()" />
            <div class="filters">
              <button mat-flat-button data-testid="import-confirm" (click)="start(false)">{{ L().confirm }}</button>
              <button mat-button (click)="reset()">{{ L().restart }}</button>
            </div>
          }
        }
        @case ('importing') {
          <p>{{ L().importing }} {{ fmt(L().progress, { done: i18n.number(summary()?.processedRows ?? 0), total: i18n.number(summary()?.totalRows ?? 0) }) }}</p>
          <mat-progress-bar mode="determinate" data-testid="import-progress" [value]="percent()" />
        }
        @case ('done') {
          @if (summary()?.status === 'failed') {
            <p class="error" role="alert" data-testid="import-failed">{{ L().failed }}: {{ summary()?.failureReason }}</p>
          } @else {
            <p class="ok" data-testid="import-done">{{ L().completed }}</p>
            <dx-import-counts [s]="summary()" />
          }
          <div class="filters">
            @if ((summary()?.failedRows ?? 0) > 0) {
              <button mat-stroked-button data-testid="import-errors-download" (click)="downloadErrors()">{{ L().downloadErrors }}</button>
            }
            <button mat-button data-testid="import-restart" (click)="reset()">{{ L().restart }}</button>
          </div>
        }
      }
    </section>
  `,
  styles: ['.steps span.on { font-weight: 600; } .wizard { padding: 8px 0; } .ok { color: #1c5d2a; font-weight: 600; }'],
})
export class ImportWizardComponent implements OnDestroy {
  readonly courses = input<CourseSummary[]>([]);
  protected readonly i18n = inject(I18n);
  protected readonly L = computed(() => this.i18n.pick(ENROLMENT_I18N));
  private readonly http = inject(HttpClient);
  protected readonly step = signal<Step>('choose');
  protected readonly file = signal<File | null>(null);
  protected readonly summary = signal<EnrolmentImportSummary | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly percent = computed(() => {
    const s = this.summary();
    return s && s.totalRows ? Math.round((100 * s.processedRows) / s.totalRows) : 0;
  });
  protected courseId = '';
  protected year = currentYear();
  protected dueDate = '';
  private polling: ReturnType<typeof setTimeout> | undefined;
  private destroyed = false;

  ngOnDestroy(): void {
    this.destroyed = true;
    clearTimeout(this.polling);
  }

  protected fmt(text: string, params: Record<string, string | number>): string {
    return text.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''));
  }

  pick(files: FileList | null): void {
    const f = files?.[0] ?? null;
    this.error.set(null);
    if (f && f.size > MAX_BYTES) {
      this.error.set(this.L().fileTooLarge);
      this.file.set(null);
      return;
    }
    this.file.set(f);
  }

  async start(dryRun: boolean): Promise<void> {
    const file = this.file();
    if (!file) return this.error.set(this.L().noFile);
    const form = new FormData();
    form.append('file', file, file.name);
    if (this.courseId) form.append('courseId', this.courseId);
    form.append('year', String(this.year));
    if (this.dueDate) form.append('dueDate', this.dueDate);
    form.append('dryRun', String(dryRun));
    this.error.set(null);
    this.summary.set(null);
    this.step.set(dryRun ? 'checking' : 'importing');
    try {
      const { id } = await firstValueFrom(this.http.post<{ id: string }>('/api/enrolment-imports', form));
      this.poll(id, dryRun);
    } catch (e) {
      this.error.set(this.i18n.error(e));
      this.step.set('choose');
    }
  }

  private poll(id: string, dryRun: boolean): void {
    firstValueFrom(this.http.get<EnrolmentImportSummary>(`/api/enrolment-imports/${id}`))
      .then((s) => {
        if (this.destroyed) return;
        this.summary.set(s);
        if (s.status === 'completed' || s.status === 'failed') this.step.set(dryRun ? 'preview' : 'done');
        else this.polling = setTimeout(() => this.poll(id, dryRun), 500);
      })
      .catch((e) => {
        this.error.set(this.i18n.error(e));
        this.polling = setTimeout(() => this.poll(id, dryRun), 2000);
      });
  }

  async downloadErrors(): Promise<void> {
    const s = this.summary();
    if (!s) return;
    try {
      await download(this.http, `/api/enrolment-imports/${s.id}/errors.csv`, `loi-nhap-${s.id.slice(0, 8)}.csv`);
    } catch (e) {
      this.error.set(this.i18n.error(e));
    }
  }

  async template(kind: 'csv' | 'xlsx'): Promise<void> {
    try {
      await download(this.http, `/api/enrolment-imports/template.${kind}`, `mau-ghi-danh.${kind}`);
    } catch (e) {
      this.error.set(this.i18n.error(e));
    }
  }

  reset(): void {
    clearTimeout(this.polling);
    this.step.set('choose');
    this.summary.set(null);
    this.file.set(null);
    this.error.set(null);
  }
}

/** The caller's imports (admins: everyone's), newest first. */
@Component({
  selector: 'dx-import-history',
  imports: [MatButtonModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (error()) {
      <p class="error" role="alert">{{ error() }}</p>
    }
    <table class="data" data-testid="import-history">
      <thead>
        <tr><th>{{ L().createdAt }}</th><th>{{ L().fileName }}</th><th>{{ L().status }}</th><th>{{ L().enrolled }}</th><th>{{ L().failedRows }}</th><th>{{ L().createdBy }}</th><th></th></tr>
      </thead>
      <tbody>
        @for (s of items(); track s.id) {
          <tr>
            <td>{{ i18n.date(s.createdAt) }}</td>
            <td>{{ s.fileName }} <span class="badge">{{ s.dryRun ? L().dryRunShort : L().realShort }}</span></td>
            <td>{{ L().importStatus[s.status] }}@if (s.failureReason) {<br /><span class="error">{{ s.failureReason }}</span>}</td>
            <td>{{ i18n.number(s.enrolled) }} / {{ i18n.number(s.totalRows) }}</td>
            <td>{{ i18n.number(s.failedRows) }}</td>
            <td>{{ s.createdBy }}</td>
            <td>
              @if (s.failedRows > 0) {
                <button mat-button (click)="errors(s)">{{ L().downloadErrors }}</button>
              }
            </td>
          </tr>
        } @empty {
          <tr><td colspan="7" class="muted">{{ L().noResults }}</td></tr>
        }
      </tbody>
    </table>
  `,
})
export class ImportHistoryComponent {
  protected readonly i18n = inject(I18n);
  protected readonly L = computed(() => this.i18n.pick(ENROLMENT_I18N));
  private readonly http = inject(HttpClient);
  protected readonly items = signal<EnrolmentImportSummary[]>([]);
  protected readonly error = signal<string | null>(null);

  constructor() {
    firstValueFrom(this.http.get<EnrolmentImportSummary[]>('/api/enrolment-imports'))
      .then((i) => this.items.set(i))
      .catch((e) => this.error.set(this.i18n.error(e)));
  }

  async errors(s: EnrolmentImportSummary): Promise<void> {
    try {
      await download(this.http, `/api/enrolment-imports/${s.id}/errors.csv`, `loi-nhap-${s.id.slice(0, 8)}.csv`);
    } catch (e) {
      this.error.set(this.i18n.error(e));
    }
  }
}
