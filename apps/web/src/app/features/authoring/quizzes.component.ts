import { HttpClient } from '@angular/common/http';
import { afterNextRender, ChangeDetectionStrategy, Component, computed, effect, ElementRef, inject, Injector, input, output, signal, viewChild } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { firstValueFrom } from 'rxjs';
import { GradingMethod, ItemAnalysisRow, QuestionDefinition, QuestionItem, QuestionType, QuestionView, QuizMode, QuizPreview, QuizResultRow, QuizSettings, ReviewWhen } from '@dxtrain/shared/contracts';
import { download } from '../../core/download';
import { I18n } from '../../core/i18n';
import { fmt } from '../learning/learning.i18n';
import { AUTHORING_I18N } from './authoring.i18n';

/** `datetime-local` value (local time) ↔ ISO string. */
const toLocalInput = (iso: string | null) => (iso ? new Date(new Date(iso).getTime() - new Date(iso).getTimezoneOffset() * 60_000).toISOString().slice(0, 16) : '');
const fromLocalInput = (v: string) => (v ? new Date(v).toISOString() : null);

/** One question of a quiz preview, ready to show: the options (correct ones marked) or the groups of answers. */
interface PreviewItem {
  slot: number;
  type: QuestionType;
  title: string | undefined;
  text: string;
  points: number;
  options: Array<{ text: string; correct: boolean; share: string | null }>;
  groups: Array<{ label: string; values: string[]; correct: boolean }>;
}

interface QuizForm {
  id: string | null;
  title: string;
  mode: QuizMode;
  selectionMode: 'fixed' | 'random';
  questionIds: Set<string>;
  draws: Array<{ category: string; count: number }>;
  shuffleQuestions: boolean;
  shuffleOptions: boolean;
  timeLimitMinutes: number | null;
  openAt: string;
  closeAt: string;
  maxAttempts: number | null;
  gradingMethod: GradingMethod;
  passMarkPercent: number;
  reviewScore: ReviewWhen;
  reviewAnswers: ReviewWhen;
}

/** A course's quizzes: list, create and edit settings (mode, questions, shuffling, time, dates, attempts, grading, review). */
@Component({
  selector: 'dx-quizzes',
  imports: [FormsModule, MatButtonModule, MatCheckboxModule, MatFormFieldModule, MatIconModule, MatInputModule, MatSelectModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <table class="data quiz-list" data-testid="quiz-list">
      <tbody>
        @for (q of quizzes(); track q.id) {
          <tr data-testid="quiz-row">
            <td>{{ q.title }}</td>
            <td class="muted">{{ L().modes[q.mode] }}</td>
            <td class="muted count">{{ q.selection.mode === 'fixed' ? fmt(L().questionCount, { n: q.selection.questionIds.length }) : L().selectionRandom }}</td>
            <td class="actions">
              <button mat-button type="button" data-testid="quiz-preview-open" [disabled]="previewLoading() === q.id" [attr.aria-expanded]="preview()?.quizId === q.id" aria-controls="quiz-preview" [attr.aria-label]="L().preview + ': ' + q.title" (click)="openPreview(q, $event)">{{ L().preview }}</button>
              <button mat-button type="button" (click)="edit(q)">{{ L().edit }}</button>
            </td>
          </tr>
        }
      </tbody>
    </table>
    <section id="quiz-preview" class="preview" aria-labelledby="quiz-preview-heading" [hidden]="!previewOpen()" data-testid="quiz-preview">
      @if (previewOpen()) {
        <h3 id="quiz-preview-heading" tabindex="-1" #previewHeading>{{ fmt(L().previewTitle, { title: preview()?.title ?? previewTitle() }) }}</h3>
        <p class="note" role="note" data-testid="quiz-preview-note"><mat-icon aria-hidden="true">info</mat-icon> {{ L().previewNote }}</p>
        @if (previewError()) {
          <p class="error" role="alert" data-testid="quiz-preview-error">{{ previewError() }}</p>
        }
        @if (preview(); as p) {
          <p class="muted">{{ L().modes[p.mode] }}@if (previewRandom()) { · {{ L().previewRandomNote }} }</p>
          <ol class="pq">
            @for (item of previewItems(); track item.slot) {
              <li data-testid="quiz-preview-question">
                <div class="qhead">
                  <strong>{{ fmt(L().previewQuestion, { n: item.slot }) }}</strong>
                  <span class="muted">{{ L().types[item.type] }} · {{ fmt(L().previewPoints, { n: i18n.number(item.points) }) }}</span>
                </div>
                @if (item.title) {
                  <div class="qtitle">{{ item.title }}</div>
                }
                <div class="qtext">{{ item.text }}</div>
                @if (item.options.length) {
                  <ul class="opts">
                    @for (o of item.options; track $index) {
                      <li [class.correct]="o.correct" data-testid="quiz-preview-option" [attr.data-correct]="o.correct">
                        <mat-icon aria-hidden="true">{{ o.correct ? 'check_circle' : 'radio_button_unchecked' }}</mat-icon>
                        <span class="grow">{{ o.text }}</span>
                        @if (o.correct) {
                          <span class="badge ok">{{ L().previewCorrectMark }}{{ o.share ? ' · ' + o.share : '' }}</span>
                        }
                      </li>
                    }
                  </ul>
                }
                @for (g of item.groups; track g.label) {
                  <p class="glabel">{{ g.label }}:</p>
                  <ul class="opts">
                    @for (v of g.values; track $index) {
                      <li [class.correct]="g.correct" data-testid="quiz-preview-answer">
                        <mat-icon aria-hidden="true">{{ g.correct ? 'check_circle' : 'remove' }}</mat-icon>
                        <span class="grow">{{ v }}</span>
                      </li>
                    }
                  </ul>
                }
              </li>
            } @empty {
              <li class="muted">{{ L().previewEmpty }}</li>
            }
          </ol>
        } @else if (!previewError()) {
          <p class="muted">{{ i18n.t('loading') }}</p>
        }
        <div class="row">
          @if (preview(); as p) {
            <button mat-stroked-button type="button" data-testid="quiz-preview-again" [disabled]="previewLoading() !== null" (click)="loadPreview(p.quizId)">{{ L().previewAgain }}</button>
          }
          <button mat-button type="button" data-testid="quiz-preview-close" (click)="closePreview()">{{ L().previewClose }}</button>
        </div>
      }
    </section>
    <h3>{{ form.id ? L().editQuiz : L().newQuiz }}</h3>
    <p class="muted" data-testid="quiz-takeable-hint">{{ L().quizTakeableHint }}</p>
    @if (error()) {
      <p class="error" role="alert" data-testid="quiz-form-error">{{ error() }}</p>
    }
    <form class="grid" (ngSubmit)="save()" data-testid="quiz-form">
      <mat-form-field class="wide"><mat-label>{{ L().quizTitle }}</mat-label><input matInput name="title" required maxlength="255" data-testid="quiz-title-input" [(ngModel)]="form.title" /></mat-form-field>
      <mat-form-field>
        <mat-label>{{ L().mode }}</mat-label>
        <mat-select name="mode" data-testid="quiz-mode" [(ngModel)]="form.mode">
          <mat-option value="graded">{{ L().modes['graded'] }}</mat-option>
          <mat-option value="practice">{{ L().modes['practice'] }}</mat-option>
        </mat-select>
      </mat-form-field>
      <mat-form-field>
        <mat-label>{{ L().selection }}</mat-label>
        <mat-select name="selmode" [(ngModel)]="form.selectionMode">
          <mat-option value="fixed">{{ L().selectionFixed }}</mat-option>
          <mat-option value="random">{{ L().selectionRandom }}</mat-option>
        </mat-select>
      </mat-form-field>
      <div class="full">
        @if (form.selectionMode === 'fixed') {
          @if (bank().length === 0) {
            <p class="muted">{{ L().noQuestions }}</p>
          } @else {
            <button mat-button type="button" data-testid="quiz-select-all" (click)="selectAll()">{{ L().selectAll }}</button>
            <ul class="picks">
              @for (q of bank(); track q.id) {
                <li><label><input type="checkbox" [checked]="form.questionIds.has(q.id)" (change)="togglePick(q.id, $any($event.target).checked)" /> {{ q.definition.text }} <span class="muted">· {{ q.category }}</span></label></li>
              }
            </ul>
          }
        } @else {
          @for (d of form.draws; track $index; let i = $index) {
            <div class="grid">
              <mat-form-field class="wide">
                <mat-label>{{ L().category }}</mat-label>
                <mat-select [name]="'dcat' + i" [(ngModel)]="d.category">
                  @for (c of categories(); track c) {
                    <mat-option [value]="c">{{ c }}</mat-option>
                  }
                </mat-select>
              </mat-form-field>
              <mat-form-field class="narrow"><mat-label>{{ L().drawCount }}</mat-label><input matInput type="number" min="1" max="500" [name]="'dcount' + i" [(ngModel)]="d.count" /></mat-form-field>
              <button mat-button type="button" (click)="form.draws.splice(i, 1)">{{ L().remove }}</button>
            </div>
          }
          <button mat-button type="button" (click)="form.draws.push({ category: categories().at(0) ?? '', count: 5 })">{{ L().addDraw }}</button>
        }
      </div>
      <mat-checkbox name="shq" [(ngModel)]="form.shuffleQuestions">{{ L().shuffleQuestions }}</mat-checkbox>
      <mat-checkbox name="sho" [(ngModel)]="form.shuffleOptions">{{ L().shuffleOptions }}</mat-checkbox>
      <mat-form-field class="wide"><mat-label>{{ L().timeLimit }}</mat-label><input matInput name="tl" type="number" min="1" max="1440" data-testid="quiz-time-limit" [(ngModel)]="form.timeLimitMinutes" /></mat-form-field>
      <mat-form-field class="wide"><mat-label>{{ L().maxAttempts }}</mat-label><input matInput name="ma" type="number" min="1" max="100" data-testid="quiz-max-attempts" [(ngModel)]="form.maxAttempts" /></mat-form-field>
      <mat-form-field><mat-label>{{ L().openAt }}</mat-label><input matInput name="oa" type="datetime-local" [(ngModel)]="form.openAt" /></mat-form-field>
      <mat-form-field><mat-label>{{ L().closeAt }}</mat-label><input matInput name="ca" type="datetime-local" [(ngModel)]="form.closeAt" /></mat-form-field>
      <mat-form-field>
        <mat-label>{{ L().gradingMethod }}</mat-label>
        <mat-select name="gm" [(ngModel)]="form.gradingMethod">
          @for (m of methods; track m) {
            <mat-option [value]="m">{{ L().gradingMethods[m] }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
      <mat-form-field class="narrow"><mat-label>{{ L().passMark }}</mat-label><input matInput name="pm" type="number" min="0" max="100" data-testid="quiz-pass-mark" [(ngModel)]="form.passMarkPercent" /></mat-form-field>
      <mat-form-field>
        <mat-label>{{ L().reviewScore }}</mat-label>
        <mat-select name="rs" [(ngModel)]="form.reviewScore">
          @for (w of whens; track w) {
            <mat-option [value]="w">{{ L().reviewWhen[w] }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
      <mat-form-field>
        <mat-label>{{ L().reviewAnswers }}</mat-label>
        <mat-select name="ra" data-testid="quiz-review-answers" [(ngModel)]="form.reviewAnswers">
          @for (w of whens; track w) {
            <mat-option [value]="w">{{ L().reviewWhen[w] }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
      <div class="full">
        <button mat-flat-button type="submit" data-testid="quiz-save" [disabled]="busy()">{{ L().save }}</button>
        @if (form.id) {
          <button mat-button type="button" (click)="reset()">{{ L().cancel }}</button>
        }
      </div>
    </form>
  `,
  styles: [
    `.grid { display: flex; flex-wrap: wrap; gap: 0 12px; align-items: center; }
     .full { flex: 1 1 100%; } .wide { flex: 1 1 240px; } .narrow { width: 140px; }
     .picks { list-style: none; padding: 0; max-height: 320px; overflow: auto; border: 1px solid #e0e4ec; border-radius: 8px; }
     .picks li { padding: 4px 8px; }
     .quiz-list td.actions { display: table-cell; white-space: nowrap; text-align: right; }
     .preview { border: 2px solid #c9d6f5; border-radius: 12px; padding: 8px 16px 12px; margin: 12px 0; max-width: 860px; }
     .preview h3:focus { outline: none; }
     .note { display: flex; align-items: center; gap: 6px; background: #fff4e0; color: #6b4300; padding: 6px 10px; border-radius: 8px; }
     .pq { padding-left: 0; list-style: none; }
     .pq > li { border-top: 1px solid #e0e4ec; padding: 8px 0; }
     .qhead { display: flex; flex-wrap: wrap; gap: 4px 8px; align-items: baseline; }
     .qtitle { font-weight: 500; margin-top: 4px; }
     .qtext { margin: 6px 0; white-space: pre-wrap; overflow-wrap: anywhere; }
     .opts { list-style: none; padding: 0; margin: 4px 0; }
     .opts li { display: flex; align-items: flex-start; gap: 6px; padding: 4px 6px; border-radius: 6px; overflow-wrap: anywhere; }
     .opts li mat-icon { flex: none; font-size: 20px; width: 20px; height: 20px; color: #888; }
     .opts li.correct { background: #e3f4e6; font-weight: 500; }
     .opts li.correct mat-icon { color: #1c5d2a; }
     .glabel { margin: 6px 0 0; font-weight: 500; }
     .grow { flex: 1; }
     .row { display: flex; flex-wrap: wrap; gap: 8px; }
     @media (max-width: 600px) {
       .quiz-list td.count { display: none; }
       .quiz-list td.actions { white-space: normal; }
       .preview { padding: 8px 10px; }
     }`,
  ],
})
export class QuizzesComponent {
  readonly courseId = input.required<string>();
  readonly changed = output<void>();
  protected readonly i18n = inject(I18n);
  protected readonly L = computed(() => this.i18n.pick(AUTHORING_I18N));
  protected readonly fmt = fmt;
  protected readonly methods: GradingMethod[] = ['highest', 'last', 'first', 'average'];
  protected readonly whens: ReviewWhen[] = ['after_submit', 'after_close', 'never'];
  private readonly http = inject(HttpClient);
  protected readonly quizzes = signal<QuizSettings[]>([]);
  protected readonly bank = signal<QuestionItem[]>([]);
  protected readonly categories = computed(() => [...new Set(this.bank().map((q) => q.category).filter(Boolean))].sort((a, b) => a.localeCompare(b, 'vi')));
  protected readonly error = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected form: QuizForm = this.blank();
  private readonly injector = inject(Injector);
  protected readonly preview = signal<QuizPreview | null>(null);
  protected readonly previewOpen = signal(false);
  protected readonly previewTitle = signal('');
  protected readonly previewRandom = signal(false);
  /** The quiz whose preview is being drawn. */
  protected readonly previewLoading = signal<string | null>(null);
  protected readonly previewError = signal<string | null>(null);
  private readonly previewHeading = viewChild<ElementRef<HTMLElement>>('previewHeading');
  private previewOpener: HTMLElement | null = null;
  protected readonly previewItems = computed(() => {
    const L = this.L();
    return (this.preview()?.questions ?? []).map((q) => previewItem(q.slot, q.question, q.definition, L, (n) => this.i18n.number(n)));
  });

  constructor() {
    effect(() => {
      this.courseId();
      this.load();
    });
  }

  openPreview(q: QuizSettings, event: Event): void {
    this.previewOpener = event.currentTarget instanceof HTMLElement ? event.currentTarget : null;
    this.previewTitle.set(q.title);
    this.previewRandom.set(q.selection.mode === 'random');
    this.previewOpen.set(true);
    this.loadPreview(q.id, true);
  }

  async loadPreview(quizId: string, focus = false): Promise<void> {
    if (this.preview()?.quizId !== quizId) this.preview.set(null);
    this.previewError.set(null);
    this.previewLoading.set(quizId);
    try {
      const p = await firstValueFrom(this.http.get<QuizPreview>(`/api/quizzes/${quizId}/preview`));
      this.preview.set(p);
    } catch (e) {
      this.preview.set(null);
      this.previewError.set(this.i18n.error(e));
    } finally {
      this.previewLoading.set(null);
      if (focus) afterNextRender(() => this.previewHeading()?.nativeElement.focus(), { injector: this.injector });
    }
  }

  closePreview(): void {
    this.previewOpen.set(false);
    this.preview.set(null);
    this.previewError.set(null);
    this.previewOpener?.focus();
    this.previewOpener = null;
  }

  private blank(): QuizForm {
    return {
      id: null,
      title: '',
      mode: 'graded',
      selectionMode: 'fixed',
      questionIds: new Set(),
      draws: [],
      shuffleQuestions: true,
      shuffleOptions: true,
      timeLimitMinutes: null,
      openAt: '',
      closeAt: '',
      maxAttempts: null,
      gradingMethod: 'highest',
      passMarkPercent: 50,
      reviewScore: 'after_submit',
      reviewAnswers: 'after_submit',
    };
  }

  private load(): void {
    const base = `/api/courses/${this.courseId()}`;
    firstValueFrom(this.http.get<QuizSettings[]>(`${base}/quizzes`)).then((q) => this.quizzes.set(q)).catch((e) => this.error.set(this.i18n.error(e)));
    firstValueFrom(this.http.get<QuestionItem[]>(`${base}/questions`)).then((q) => this.bank.set(q)).catch((e) => this.error.set(this.i18n.error(e)));
  }

  reset(): void {
    this.form = this.blank();
  }

  edit(q: QuizSettings): void {
    this.form = {
      id: q.id,
      title: q.title,
      mode: q.mode,
      selectionMode: q.selection.mode,
      questionIds: new Set(q.selection.mode === 'fixed' ? q.selection.questionIds : []),
      draws: q.selection.mode === 'random' ? q.selection.draws.map((d) => ({ ...d })) : [],
      shuffleQuestions: q.shuffleQuestions,
      shuffleOptions: q.shuffleOptions,
      timeLimitMinutes: q.timeLimitSeconds ? q.timeLimitSeconds / 60 : null,
      openAt: toLocalInput(q.openAt),
      closeAt: toLocalInput(q.closeAt),
      maxAttempts: q.maxAttempts,
      gradingMethod: q.gradingMethod,
      passMarkPercent: Math.round(q.passMark * 100),
      reviewScore: q.review.score,
      reviewAnswers: q.review.answers,
    };
  }

  selectAll(): void {
    this.form.questionIds = new Set(this.bank().map((q) => q.id));
  }

  togglePick(id: string, on: boolean): void {
    if (on) this.form.questionIds.add(id);
    else this.form.questionIds.delete(id);
  }

  async save(): Promise<void> {
    const f = this.form;
    const body = {
      title: f.title,
      mode: f.mode,
      selection: f.selectionMode === 'fixed' ? { mode: 'fixed', questionIds: this.bank().filter((q) => f.questionIds.has(q.id)).map((q) => q.id) } : { mode: 'random', draws: f.draws.map((d) => ({ category: d.category, count: Number(d.count) })) },
      shuffleQuestions: f.shuffleQuestions,
      shuffleOptions: f.shuffleOptions,
      timeLimitSeconds: f.timeLimitMinutes ? Math.round(Number(f.timeLimitMinutes) * 60) : null,
      openAt: fromLocalInput(f.openAt),
      closeAt: fromLocalInput(f.closeAt),
      maxAttempts: f.maxAttempts ? Number(f.maxAttempts) : null,
      gradingMethod: f.gradingMethod,
      passMark: Math.min(100, Math.max(0, Number(f.passMarkPercent))) / 100,
      review: { score: f.reviewScore, answers: f.reviewAnswers },
    };
    this.busy.set(true);
    try {
      if (f.id) await firstValueFrom(this.http.patch(`/api/quizzes/${f.id}`, body));
      else await firstValueFrom(this.http.post(`/api/courses/${this.courseId()}/quizzes`, body));
      this.error.set(null);
      this.reset();
      this.load();
      this.changed.emit();
    } catch (e) {
      const details = (e as { error?: { details?: Array<{ message: string }> } })?.error?.details ?? [];
      this.error.set([this.i18n.error(e), ...details.map((d) => d.message)].join(' '));
    } finally {
      this.busy.set(false);
    }
  }
}

type AuthoringStrings = (typeof AUTHORING_I18N)['vi'];

/** The preview's question as the learner sees it (options in their order), with the answers read from the definition. */
function previewItem(slot: number, view: QuestionView, def: QuestionDefinition, L: AuthoringStrings, num: (n: number) => string): PreviewItem {
  const share = (fraction: number) => (fraction > 0 && fraction < 1 ? `${num(Math.round(fraction * 1000) / 10)}%` : null);
  const item: PreviewItem = { slot, type: view.type, title: view.title, text: view.text, points: view.points, options: [], groups: [] };
  switch (def.type) {
    case QuestionType.SingleChoice:
    case QuestionType.MultipleChoice: {
      const byId = new Map(def.options.map((o) => [o.id, o]));
      const shown = 'options' in view ? view.options : def.options;
      item.options = shown.map((v) => {
        const fraction = byId.get(v.id)?.fraction ?? 0;
        return { text: v.text, correct: fraction > 0, share: def.type === QuestionType.MultipleChoice ? share(fraction) : null };
      });
      break;
    }
    case QuestionType.TrueFalse:
      item.options = [
        { text: L.trueLabel, correct: def.correct === true, share: null },
        { text: L.falseLabel, correct: def.correct === false, share: null },
      ];
      break;
    case QuestionType.ShortAnswer: {
      const accepted = def.answers.filter((a) => a.fraction > 0).map((a) => (share(a.fraction) ? `${a.text} (${share(a.fraction)})` : a.text));
      item.groups = [{ label: L.previewAccepted, values: accepted, correct: true }];
      break;
    }
    case QuestionType.Matching: {
      const pairs = new Map(def.pairs.map((p) => [p.id, p]));
      const prompts = 'prompts' in view ? view.prompts.map((p) => pairs.get(p.id)).filter((p) => p !== undefined) : def.pairs;
      item.groups = [{ label: L.previewPairs, values: prompts.map((p) => `${p.prompt} → ${p.answer}`), correct: true }];
      if (def.distractors.length) item.groups.push({ label: L.previewDistractors, values: def.distractors, correct: false });
      break;
    }
    case QuestionType.Ordering:
      item.groups = [{ label: L.previewCorrectOrder, values: def.items.map((it, i) => `${i + 1}. ${it.text}`), correct: true }];
      break;
  }
  return item;
}

/** Results of a quiz per learner (CSV/XLSX export) and the item analysis. */
@Component({
  selector: 'dx-quiz-results',
  imports: [FormsModule, MatButtonModule, MatFormFieldModule, MatSelectModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="filters">
      <mat-form-field>
        <mat-label>{{ L().chooseQuiz }}</mat-label>
        <mat-select data-testid="results-quiz" [ngModel]="quizId()" (ngModelChange)="quizId.set($event)">
          @for (q of quizzes(); track q.id) {
            <mat-option [value]="q.id">{{ q.title }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
      @if (quizId()) {
        <button mat-button (click)="export('csv')">{{ L().exportCsv }}</button>
        <button mat-button (click)="export('xlsx')">{{ L().exportXlsx }}</button>
      }
    </div>
    @if (error()) {
      <p class="error" role="alert">{{ error() }}</p>
    }
    @if (quizId()) {
      <table class="data" data-testid="results-table">
        <thead>
          <tr><th>{{ L().learner }}</th><th>{{ L().unit }}</th><th>{{ L().attempts }}</th><th>{{ L().grade }}</th><th>{{ L().result }}</th><th>{{ L().lastSubmitted }}</th></tr>
        </thead>
        <tbody>
          @for (r of rows(); track r.personId) {
            <tr data-testid="results-row">
              <td>{{ r.fullName }}<br /><span class="muted">{{ r.staffCode }}</span></td>
              <td>{{ r.unitName }}</td>
              <td>{{ r.attempts }}</td>
              <td>{{ r.grade === null ? '—' : i18n.number(pct(r.grade)) + '%' }}</td>
              <td><span class="badge" [class.ok]="r.passed" [class.warn]="!r.passed">{{ r.passed ? L().passed : L().failed }}</span></td>
              <td>{{ i18n.date(r.lastSubmittedAt) }}</td>
            </tr>
          } @empty {
            <tr><td colspan="6" class="muted">{{ L().noResults }}</td></tr>
          }
        </tbody>
      </table>
      <h3>{{ L().itemAnalysis }}</h3>
      <p class="muted">{{ L().itemHint }}</p>
      <table class="data" data-testid="item-analysis">
        <thead>
          <tr><th>{{ L().questions }}</th><th>{{ L().attempts }}</th><th>{{ L().facility }}</th><th>{{ L().discrimination }}</th><th>{{ L().optionCounts }}</th></tr>
        </thead>
        <tbody>
          @for (r of items(); track r.questionId) {
            <tr data-testid="item-row">
              <td>{{ r.title }}</td>
              <td>{{ r.attempts }}</td>
              <td>{{ r.facilityIndex === null ? '—' : i18n.number(r.facilityIndex) + '%' }}</td>
              <td>{{ r.discriminationIndex === null ? '—' : i18n.number(round2(r.discriminationIndex)) }}</td>
              <td>
                @for (o of r.options; track o.key) {
                  <span class="badge">{{ o.text }}: {{ o.count }}</span>
                }
              </td>
            </tr>
          }
        </tbody>
      </table>
    }
  `,
})
export class QuizResultsComponent {
  readonly quizzes = input<QuizSettings[]>([]);
  protected readonly i18n = inject(I18n);
  protected readonly L = computed(() => this.i18n.pick(AUTHORING_I18N));
  private readonly http = inject(HttpClient);
  protected readonly quizId = signal('');
  protected readonly rows = signal<QuizResultRow[]>([]);
  protected readonly items = signal<ItemAnalysisRow[]>([]);
  protected readonly error = signal<string | null>(null);
  protected readonly pct = (f: number) => Math.round(f * 1000) / 10;
  protected readonly round2 = (f: number) => Math.round(f * 100) / 100;

  constructor() {
    effect(() => {
      const quizzes = this.quizzes();
      if (!this.quizId() && quizzes.length) this.quizId.set((quizzes.find((q) => q.mode === 'graded') ?? quizzes[0]).id);
    });
    effect(() => {
      const id = this.quizId();
      if (!id) return;
      firstValueFrom(this.http.get<QuizResultRow[]>(`/api/quizzes/${id}/results`)).then((r) => this.rows.set(r)).catch((e) => this.error.set(this.i18n.error(e)));
      firstValueFrom(this.http.get<ItemAnalysisRow[]>(`/api/quizzes/${id}/item-analysis`)).then((r) => this.items.set(r)).catch((e) => this.error.set(this.i18n.error(e)));
    });
  }

  export(format: 'csv' | 'xlsx'): void {
    download(this.http, `/api/quizzes/${this.quizId()}/results?format=${format}`, `ket-qua.${format}`).catch((e) => this.error.set(this.i18n.error(e)));
  }
}
