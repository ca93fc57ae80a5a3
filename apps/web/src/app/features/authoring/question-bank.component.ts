import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { firstValueFrom } from 'rxjs';
import { QuestionDefinition, QuestionImportResult, QuestionItem, QuestionType } from '@dxtrain/shared/contracts';
import { download } from '../../core/download';
import { I18n } from '../../core/i18n';
import { fmt } from '../learning/learning.i18n';
import { AUTHORING_I18N } from './authoring.i18n';

const MAX_IMPORT_MB = 10;
const FORM_TYPES = [QuestionType.SingleChoice, QuestionType.MultipleChoice, QuestionType.TrueFalse, QuestionType.ShortAnswer];
const randomId = () => Math.random().toString(36).slice(2, 10);

interface QuestionForm {
  type: QuestionType;
  category: string;
  text: string;
  options: Array<{ id: string; text: string; correct: boolean }>;
  partialCredit: boolean;
  correctTrue: boolean;
  answers: string;
  ignoreDiacritics: boolean;
  caseSensitive: boolean;
  examOnly: boolean;
}

/** A course's question bank: list, add (choice, true/false, short answer), delete, import with a line-by-line check, export to GIFT. */
@Component({
  selector: 'dx-question-bank',
  imports: [FormsModule, MatButtonModule, MatCheckboxModule, MatFormFieldModule, MatInputModule, MatSelectModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="filters">
      <mat-form-field>
        <mat-label>{{ L().category }}</mat-label>
        <mat-select [ngModel]="category()" (ngModelChange)="category.set($event)">
          <mat-option [value]="''">{{ i18n.t('all') }}</mat-option>
          @for (c of categories(); track c) {
            <mat-option [value]="c">{{ c }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
      <span class="muted" data-testid="bank-count">{{ fmt(L().questionCount, { n: shown().length }) }}</span>
      <button mat-button (click)="exportGift()">{{ L().exportGift }}</button>
    </div>
    @if (error()) {
      <p class="error" role="alert" data-testid="bank-error">{{ error() }}</p>
    }
    <table class="data" data-testid="bank-table">
      <tbody>
        @for (q of shown(); track q.id) {
          <tr data-testid="bank-question">
            <td>{{ q.definition.text }}</td>
            <td class="muted">{{ L().types[q.type] }}</td>
            <td class="muted">{{ q.category }}@if (q.definition.examOnly) { <span class="badge" data-testid="exam-only">{{ L().examOnlyBadge }}</span> }</td>
            <td><button mat-button (click)="remove(q)">{{ L().remove }}</button></td>
          </tr>
        }
      </tbody>
    </table>

    <h3>{{ L().addQuestion }}</h3>
    <form class="grid" (ngSubmit)="add()" data-testid="question-form">
      <mat-form-field>
        <mat-label>{{ L().type }}</mat-label>
        <mat-select name="qtype" data-testid="question-type" [(ngModel)]="qf.type">
          @for (t of formTypes; track t) {
            <mat-option [value]="t">{{ L().types[t] }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
      <mat-form-field class="wide"><mat-label>{{ L().category }}</mat-label><input matInput name="qcat" maxlength="200" [(ngModel)]="qf.category" /></mat-form-field>
      <mat-form-field class="full"><mat-label>{{ L().questionText }}</mat-label><textarea matInput name="qtext" rows="2" required data-testid="question-text" [(ngModel)]="qf.text"></textarea></mat-form-field>
      <mat-checkbox class="full" name="qexam" data-testid="question-exam-only" [(ngModel)]="qf.examOnly">{{ L().examOnly }}</mat-checkbox>
      @switch (qf.type) {
        @case (T.TrueFalse) {
          <mat-checkbox name="qtrue" data-testid="question-true" [(ngModel)]="qf.correctTrue">{{ L().answerIsTrue }}</mat-checkbox>
        }
        @case (T.ShortAnswer) {
          <mat-form-field class="full"><mat-label>{{ L().acceptedAnswers }}</mat-label><textarea matInput name="qans" rows="3" [(ngModel)]="qf.answers"></textarea></mat-form-field>
          <mat-checkbox name="qdia" [(ngModel)]="qf.ignoreDiacritics">{{ L().ignoreDiacritics }}</mat-checkbox>
          <mat-checkbox name="qcase" [(ngModel)]="qf.caseSensitive">{{ L().caseSensitive }}</mat-checkbox>
        }
        @default {
          @for (o of qf.options; track o.id; let i = $index) {
            <div class="option full">
              <input class="opt-text" [name]="'opt' + o.id" [attr.aria-label]="fmt(L().option, { n: i + 1 })" [placeholder]="fmt(L().option, { n: i + 1 })" data-testid="question-option" [(ngModel)]="o.text" />
              <mat-checkbox [name]="'optc' + o.id" data-testid="question-option-correct" [(ngModel)]="o.correct">{{ L().correct }}</mat-checkbox>
            </div>
          }
          <button mat-button type="button" (click)="qf.options.push({ id: newId(), text: '', correct: false })">{{ L().addOption }}</button>
          @if (qf.type === T.MultipleChoice) {
            <mat-checkbox name="qpartial" [(ngModel)]="qf.partialCredit">{{ L().partialCredit }}</mat-checkbox>
          }
        }
      }
      <div class="full"><button mat-flat-button type="submit" data-testid="question-add">{{ L().addQuestion }}</button></div>
    </form>
    <p class="muted">{{ L().matchingViaImport }}</p>

    <h3>{{ L().importTitle }}</h3>
    <p class="muted">{{ L().importHint }}</p>
    <div class="filters">
      <input type="file" accept=".gift,.txt,.aiken,.csv,.xlsx" data-testid="bank-import-file" (change)="pick($any($event.target).files?.[0])" />
      <mat-form-field>
        <mat-label>{{ L().format }}</mat-label>
        <mat-select [ngModel]="format()" (ngModelChange)="format.set($event)">
          <mat-option [value]="''">{{ L().formatAuto }}</mat-option>
          <mat-option value="gift">GIFT (Moodle)</mat-option>
          <mat-option value="aiken">Aiken</mat-option>
          <mat-option value="table">CSV / XLSX</mat-option>
        </mat-select>
      </mat-form-field>
      <button mat-button type="button" (click)="template('csv')">{{ L().templateCsv }}</button>
      <button mat-button type="button" (click)="template('xlsx')">{{ L().templateXlsx }}</button>
      <button mat-stroked-button data-testid="bank-import-check" [disabled]="!file()" (click)="runImport(true)">{{ L().check }}</button>
      @if (check(); as r) {
        @if (r.imported > 0) {
          <button mat-flat-button data-testid="bank-import-confirm" (click)="runImport(false)">{{ fmt(L().importNow, { n: r.imported }) }}</button>
        }
      }
    </div>
    @if (notice()) {
      <p class="badge ok" role="status" data-testid="bank-import-done">{{ notice() }}</p>
    }
    @if (check(); as r) {
      <div data-testid="bank-import-report">
        @if (r.errors.length) {
          <p class="error">{{ fmt(L().importErrors, { n: r.errors.length }) }}</p>
          <ul>
            @for (e of r.errors; track $index) {
              <li data-testid="bank-import-error">{{ fmt(L().line, { n: e.line }) }}@if (e.column) { ({{ e.column }}) }: {{ e.message }}</li>
            }
          </ul>
        } @else {
          <p>{{ fmt(L().importOk, { n: r.imported }) }}</p>
        }
      </div>
    }
  `,
  styles: [
    `.grid { display: flex; flex-wrap: wrap; gap: 0 12px; align-items: center; }
     .full { flex: 1 1 100%; } .wide { flex: 1 1 260px; }
     .option { display: flex; gap: 8px; align-items: center; margin-bottom: 6px; }
     .opt-text { flex: 1; font: inherit; padding: 8px; border: 1px solid #c4cad6; border-radius: 6px; }`,
  ],
})
export class QuestionBankComponent {
  readonly courseId = input.required<string>();
  protected readonly i18n = inject(I18n);
  protected readonly L = computed(() => this.i18n.pick(AUTHORING_I18N));
  protected readonly fmt = fmt;
  protected readonly T = QuestionType;
  protected readonly formTypes = FORM_TYPES;
  protected readonly newId = randomId;
  private readonly http = inject(HttpClient);
  protected readonly items = signal<QuestionItem[]>([]);
  protected readonly category = signal('');
  protected readonly categories = computed(() => [...new Set(this.items().map((q) => q.category).filter(Boolean))].sort((a, b) => a.localeCompare(b, 'vi')));
  protected readonly shown = computed(() => this.items().filter((q) => !this.category() || q.category === this.category()));
  protected readonly error = signal<string | null>(null);
  protected readonly file = signal<File | null>(null);
  protected readonly format = signal<'' | 'gift' | 'aiken' | 'table'>('');
  protected readonly check = signal<QuestionImportResult | null>(null);
  protected readonly notice = signal<string | null>(null);
  protected qf: QuestionForm = this.emptyForm('');

  constructor() {
    effect(() => {
      this.courseId();
      this.load();
    });
  }

  private emptyForm(category: string): QuestionForm {
    return {
      type: QuestionType.SingleChoice,
      category,
      text: '',
      options: [0, 1, 2, 3].map(() => ({ id: randomId(), text: '', correct: false })),
      partialCredit: true,
      correctTrue: true,
      answers: '',
      ignoreDiacritics: true,
      caseSensitive: false,
      examOnly: false,
    };
  }

  private load(): void {
    firstValueFrom(this.http.get<QuestionItem[]>(`/api/courses/${this.courseId()}/questions`))
      .then((items) => this.items.set(items))
      .catch((e) => this.error.set(this.i18n.error(e)));
  }

  /** The form as a question definition; the server validates it again. */
  private definition(): QuestionDefinition {
    const f = this.qf;
    const base = { text: f.text.trim(), points: 1, tags: [], category: f.category.trim() || undefined, ...(f.examOnly ? { examOnly: true } : {}) };
    switch (f.type) {
      case QuestionType.TrueFalse:
        return { ...base, type: QuestionType.TrueFalse, correct: f.correctTrue };
      case QuestionType.ShortAnswer:
        return {
          ...base,
          type: QuestionType.ShortAnswer,
          answers: f.answers.split('\n').map((a) => a.trim()).filter(Boolean).map((text) => ({ text, fraction: 1 })),
          ignoreDiacritics: f.ignoreDiacritics,
          caseSensitive: f.caseSensitive,
        };
      case QuestionType.MultipleChoice: {
        const options = f.options.filter((o) => o.text.trim());
        const right = options.filter((o) => o.correct).length || 1;
        return {
          ...base,
          type: QuestionType.MultipleChoice,
          partialCredit: f.partialCredit,
          options: options.map((o) => ({ id: o.id, text: o.text.trim(), fraction: o.correct ? 1 / right : f.partialCredit ? -1 / right : 0 })),
        };
      }
      default:
        return { ...base, type: QuestionType.SingleChoice, options: f.options.filter((o) => o.text.trim()).map((o) => ({ id: o.id, text: o.text.trim(), fraction: o.correct ? 1 : 0 })) };
    }
  }

  async add(): Promise<void> {
    try {
      await firstValueFrom(this.http.post(`/api/courses/${this.courseId()}/questions`, { definition: this.definition() }));
      this.qf = this.emptyForm(this.qf.category);
      this.error.set(null);
      this.load();
    } catch (e) {
      this.error.set(this.detailed(e));
    }
  }

  /** The error with the server's per-field details (which option, which rule). */
  private detailed(e: unknown): string {
    const details = (e as { error?: { details?: Array<{ field?: string; message: string }> } })?.error?.details ?? [];
    return [this.i18n.error(e), ...details.map((d) => d.message)].join(' ');
  }

  async remove(q: QuestionItem): Promise<void> {
    if (!confirm(`${this.L().remove}: ${q.definition.text.slice(0, 80)}?`)) return;
    try {
      await firstValueFrom(this.http.delete(`/api/questions/${q.id}`));
      this.load();
    } catch (e) {
      this.error.set(this.i18n.error(e));
    }
  }

  pick(file: File | undefined): void {
    this.check.set(null);
    this.notice.set(null);
    this.error.set(null);
    if (file && file.size > MAX_IMPORT_MB * 1024 * 1024) {
      this.file.set(null);
      this.error.set(this.i18n.error({ error: { code: 'FILE_TOO_LARGE' } }) + ` (≤ ${MAX_IMPORT_MB} MB)`);
      return;
    }
    this.file.set(file ?? null);
  }

  async runImport(dryRun: boolean): Promise<void> {
    const file = this.file();
    if (!file) return;
    const form = new FormData();
    form.append('file', file);
    const params: Record<string, string> = { dryRun: String(dryRun) };
    if (this.format()) params['format'] = this.format();
    try {
      const r = await firstValueFrom(this.http.post<QuestionImportResult>(`/api/courses/${this.courseId()}/questions/import`, form, { params }));
      this.error.set(null);
      if (dryRun) this.check.set(r);
      else {
        this.check.set(null);
        this.file.set(null);
        this.error.set(null);
        this.load();
        this.notice.set(fmt(this.L().imported, { n: r.imported }));
      }
    } catch (e) {
      this.check.set(null);
      this.error.set(this.detailed(e));
    }
  }

  template(kind: 'csv' | 'xlsx'): void {
    download(this.http, `/api/courses/${this.courseId()}/questions/template.${kind}`, `mau-cau-hoi.${kind}`).catch((e) => this.error.set(this.i18n.error(e)));
  }

  exportGift(): void {
    download(this.http, `/api/courses/${this.courseId()}/questions/export.gift`, 'cau-hoi.gift.txt').catch((e) => this.error.set(this.i18n.error(e)));
  }
}
