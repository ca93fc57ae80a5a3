import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, DestroyRef, effect, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { Router, RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { AttemptView, ErrorCode, GradedResponse, QuestionDefinition, QuestionResponse, QuestionType, QuizInfo } from '@dxtrain/shared/contracts';
import { I18n } from '../../core/i18n';
import { fmt, LEARNING_I18N } from './learning.i18n';
import { QuestionInputComponent } from './question-input.component';

const pct = (fraction: number) => Math.round(fraction * 1000) / 10;

/** A quiz's rules, the learner's attempts and grade; start or resume an attempt. */
@Component({
  selector: 'dx-quiz-page',
  imports: [RouterLink, MatButtonModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="page">
      @if (error()) {
        <p class="error" role="alert" data-testid="quiz-error">{{ error() }}</p>
      }
      @if (info(); as i) {
        <a mat-button [routerLink]="['/courses', i.quiz.courseId]">{{ L().backToCourse }}</a>
        <h1 data-testid="quiz-title">{{ i.quiz.title }}</h1>
        <h2>{{ L().quizRules }}</h2>
        <ul>
          <li>{{ i.quiz.mode === 'practice' ? L().practice : L().graded }}</li>
          <li>{{ fmt(L().questionCount, { n: i.quiz.questionCount }) }}</li>
          <li>{{ i.quiz.timeLimitSeconds ? fmt(L().timeLimit, { n: i18n.number(i.quiz.timeLimitSeconds / 60) }) : L().noTimeLimit }}</li>
          <li>{{ i.quiz.maxAttempts ? fmt(L().attemptsAllowed, { used: i.attemptsUsed, max: i.quiz.maxAttempts }) : fmt(L().attemptsUnlimited, { used: i.attemptsUsed }) }}</li>
          @if (i.quiz.mode === 'graded') {
            <li>{{ fmt(L().passMark, { n: i18n.number(pct(i.quiz.passMark)) }) }}</li>
            <li>{{ fmt(L().gradingMethod, { m: L().gradingMethods[i.quiz.gradingMethod] }) }}</li>
          }
          @if (i.quiz.openAt) {
            <li>{{ fmt(L().opensAt, { date: i18n.date(i.quiz.openAt) }) }}</li>
          }
          @if (i.quiz.closeAt) {
            <li>{{ fmt(L().closesAt, { date: i18n.date(i.quiz.closeAt) }) }}</li>
          }
        </ul>
        @if (i.grade !== null) {
          <p data-testid="quiz-grade">
            {{ fmt(L().yourGrade, { grade: i18n.number(pct(i.grade)) + '%' }) }}
            @if (i.passed !== null) {
              <span class="badge" [class.ok]="i.passed" [class.warn]="!i.passed">{{ i.passed ? L().passed : L().failed }}</span>
            }
          </p>
        }
        @if (i.inProgressAttemptId) {
          <button mat-flat-button data-testid="quiz-resume" (click)="go(i.inProgressAttemptId)">{{ L().resumeAttempt }}</button>
        } @else if (i.quiz.maxAttempts && i.attemptsUsed >= i.quiz.maxAttempts) {
          <p class="muted" data-testid="quiz-no-attempts">{{ L().noAttemptsLeft }}</p>
        } @else {
          <button mat-flat-button data-testid="quiz-start" [disabled]="busy()" (click)="start()">{{ L().startAttempt }}</button>
        }
        @if (i.attempts.length) {
          <table class="data">
            <tbody>
              @for (a of i.attempts; track a.id) {
                <tr data-testid="quiz-attempt">
                  <td><a [routerLink]="['/attempts', a.id]">{{ fmt(L().attemptNo, { n: a.number }) }}</a></td>
                  <td>{{ L().attemptStatus[a.status] }}</td>
                  <td>{{ i18n.date(a.submittedAt) }}</td>
                  <td>{{ a.fraction === null ? '' : i18n.number(pct(a.fraction)) + '%' }}</td>
                </tr>
              }
            </tbody>
          </table>
        }
      } @else if (!error()) {
        <p class="muted">{{ L().loading }}</p>
      }
    </div>
  `,
})
export class QuizPageComponent {
  readonly id = input.required<string>();
  protected readonly i18n = inject(I18n);
  protected readonly L = computed(() => this.i18n.pick(LEARNING_I18N));
  protected readonly fmt = fmt;
  protected readonly pct = pct;
  private readonly http = inject(HttpClient);
  private readonly router = inject(Router);
  protected readonly info = signal<QuizInfo | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly busy = signal(false);

  constructor() {
    effect(() => {
      firstValueFrom(this.http.get<QuizInfo>(`/api/quizzes/${this.id()}`))
        .then((i) => this.info.set(i))
        .catch((e) => this.error.set(this.i18n.error(e)));
    });
  }

  async start(): Promise<void> {
    this.busy.set(true);
    try {
      const attempt = await firstValueFrom(this.http.post<AttemptView>(`/api/quizzes/${this.id()}/attempts`, {}));
      this.go(attempt.id);
    } catch (e) {
      // Only a quiz of the course version the learner studies (a quiz lesson or the final quiz) can be started.
      const code = (e as { error?: { code?: string } })?.error?.code;
      this.error.set(code === ErrorCode.QuizNotFound ? this.L().quizNotInVersion : this.i18n.error(e));
    } finally {
      this.busy.set(false);
    }
  }

  protected go(attemptId: string): void {
    this.router.navigate(['/attempts', attemptId]);
  }
}

type SaveState = 'saving' | 'saved' | 'failed';

/** The attempt: visible countdown (server time), autosave of every answer, submit, then result and review. */
@Component({
  selector: 'dx-attempt-player',
  imports: [RouterLink, MatButtonModule, MatIconModule, QuestionInputComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="page">
      @if (attempt(); as a) {
        <div class="bar">
          <a mat-button [routerLink]="['/quizzes', a.quizId]">{{ L().backToQuiz }}</a>
          <span class="spacer"></span>
          @if (a.status === 'in_progress' && remaining() !== null) {
            <span class="countdown" [class.low]="(remaining() ?? 0) < 60" role="timer" aria-live="off" data-testid="attempt-countdown">{{ L().timeLeft }} {{ clock() }}</span>
          }
        </div>
        <h1>{{ fmt(L().attemptNo, { n: a.number }) }}</h1>
        @if (error()) {
          <p class="error" role="alert" data-testid="attempt-error">{{ error() }}</p>
        }
        @if (a.status === 'timed_out') {
          <p class="badge warn" data-testid="attempt-timed-out">{{ L().timedOut }}</p>
        }
        @if (a.status !== 'in_progress') {
          <section class="result" data-testid="attempt-result">
            <h2>{{ L().result }}</h2>
            @if (a.result && a.result.fraction !== null) {
              <p data-testid="attempt-score">{{ fmt(L().scoreLine, { score: i18n.number(a.result.score ?? 0), max: i18n.number(a.result.maxScore), percent: i18n.number(pct(a.result.fraction)) }) }}</p>
              @if (a.result.passed !== null) {
                <p><span class="badge" [class.ok]="a.result.passed" [class.warn]="!a.result.passed" data-testid="attempt-passed">{{ a.result.passed ? L().passed : L().failed }}</span></p>
              }
            } @else {
              <p class="muted">{{ L().scoreHidden }}</p>
            }
            @if (!a.result?.questions) {
              <p class="muted">{{ L().reviewHidden }}</p>
            }
            <a mat-stroked-button [routerLink]="['/courses', a.courseId]" data-testid="attempt-to-course">{{ L().backToCourse }}</a>
          </section>
        }
        @for (s of a.slots; track s.slot) {
          <section class="question" data-testid="attempt-question">
            <div class="qhead">
              <strong>{{ fmt(L().question, { n: s.slot }) }}</strong>
              <span class="muted">{{ fmt(L().pointsOf, { n: i18n.number(s.question.points) }) }}</span>
              <span class="spacer"></span>
              @if (saveState()[s.slot]; as st) {
                <span class="muted" [class.error]="st === 'failed'" data-testid="slot-save-state">{{ st === 'saving' ? L().saving : st === 'saved' ? L().saved : L().saveFailed }}</span>
              }
            </div>
            <dx-question-input [question]="s.question" [response]="s.response" [slot]="s.slot" [readonly]="a.status !== 'in_progress'" (changed)="answer(s.slot, $event)" />
            @if (graded(s.slot) ?? s.feedback; as g) {
              <p class="feedback" data-testid="slot-feedback">
                <span class="badge" [class.ok]="g.correct === true" [class.warn]="g.correct === false">{{ g.correct === true ? L().correct : g.correct === 'partial' ? L().partial : L().wrong }}</span>
                {{ i18n.number(g.score) }}/{{ i18n.number(g.maxScore) }}
                @for (f of g.feedback ?? []; track $index) {
                  <br /><span>{{ f }}</span>
                }
              </p>
            }
            @if (definition(s.slot); as d) {
              <p class="muted" data-testid="slot-correct-answer">{{ L().correctAnswer }}: {{ correctText(d) }}</p>
            }
          </section>
        }
        @if (a.status === 'in_progress') {
          <div class="submit">
            @if (confirming()) {
              <p>{{ unanswered() ? fmt(L().submitConfirm, { n: unanswered() }) : L().submitConfirmAll }}</p>
              <button mat-flat-button data-testid="attempt-submit-confirm" [disabled]="busy()" (click)="submit()">{{ L().submit }}</button>
              <button mat-button (click)="confirming.set(false)">{{ i18n.lang() === 'vi' ? 'Huỷ' : 'Cancel' }}</button>
            } @else {
              <button mat-flat-button data-testid="attempt-submit" (click)="confirming.set(true)">{{ L().submit }}</button>
            }
          </div>
        }
      } @else if (error()) {
        <p class="error" role="alert" data-testid="attempt-error">{{ error() }}</p>
      } @else {
        <p class="muted">{{ L().loading }}</p>
      }
    </div>
  `,
  styles: [
    `.bar { display: flex; align-items: center; gap: 8px; position: sticky; top: 0; background: #fff; z-index: 2; padding: 4px 0; }
     .spacer { flex: 1; }
     .countdown { font-variant-numeric: tabular-nums; font-size: 18px; font-weight: 500; padding: 4px 12px; border-radius: 16px; background: #e8eefc; }
     .countdown.low { background: #fde7e7; color: #8c1d18; }
     .question { border: 1px solid #e0e4ec; border-radius: 12px; padding: 12px 16px; margin: 12px 0; max-width: 860px; }
     .qhead { display: flex; gap: 8px; align-items: baseline; margin-bottom: 8px; }
     .result { border: 2px solid #c9d6f5; border-radius: 12px; padding: 12px 16px; max-width: 860px; }
     .submit { margin: 16px 0 48px; }`,
  ],
})
export class AttemptPlayerComponent {
  readonly id = input.required<string>();
  protected readonly i18n = inject(I18n);
  protected readonly L = computed(() => this.i18n.pick(LEARNING_I18N));
  protected readonly fmt = fmt;
  protected readonly pct = pct;
  private readonly http = inject(HttpClient);
  protected readonly attempt = signal<AttemptView | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected readonly confirming = signal(false);
  protected readonly saveState = signal<Record<number, SaveState>>({});
  /** Client clock minus server clock, so the countdown is right on a wrong client clock. */
  private skew = 0;
  private readonly now = signal(Date.now());
  private readonly pending = new Map<number, ReturnType<typeof setTimeout>>();
  /** Last save per slot, so submit waits for them. */
  private readonly inFlight = new Map<number, Promise<unknown>>();
  private closing = false;

  protected readonly remaining = computed(() => {
    const deadline = this.attempt()?.deadlineAt;
    if (!deadline) return null;
    return Math.max(0, Math.floor((Date.parse(deadline) - (this.now() - this.skew)) / 1000));
  });
  protected readonly clock = computed(() => {
    const s = this.remaining() ?? 0;
    const h = Math.floor(s / 3600);
    const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
    const ss = String(s % 60).padStart(2, '0');
    return h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
  });
  protected readonly unanswered = computed(() => this.attempt()?.slots.filter((s) => s.response === null && s.question.type !== QuestionType.Ordering).length ?? 0);

  constructor() {
    effect(() => {
      this.load(this.id());
    });
    const tick = setInterval(() => {
      this.now.set(Date.now());
      if (this.remaining() === 0 && this.attempt()?.status === 'in_progress' && !this.closing) {
        // The server closes the attempt at the deadline and grades what was saved.
        this.closing = true;
        setTimeout(() => this.load(this.id()).finally(() => (this.closing = false)), 1000);
      }
    }, 1000);
    inject(DestroyRef).onDestroy(() => clearInterval(tick));
  }

  private async load(id: string): Promise<void> {
    try {
      const a = await firstValueFrom(this.http.get<AttemptView>(`/api/attempts/${id}`));
      this.setAttempt(a);
      this.error.set(null);
    } catch (e) {
      this.error.set(this.i18n.error(e));
    }
  }

  private setAttempt(a: AttemptView): void {
    this.skew = Date.now() - Date.parse(a.serverNow);
    this.now.set(Date.now());
    this.attempt.set(a);
  }

  protected answer(slot: number, response: QuestionResponse): void {
    this.attempt.update((a) => (a ? { ...a, slots: a.slots.map((s) => (s.slot === slot ? { ...s, response } : s)) } : a));
    clearTimeout(this.pending.get(slot));
    const delay = 'text' in response ? 600 : 0; // typing: save when the learner pauses
    this.pending.set(
      slot,
      setTimeout(() => this.save(slot, response), delay),
    );
  }

  private save(slot: number, response: QuestionResponse): Promise<unknown> {
    this.pending.delete(slot);
    this.saveState.update((s) => ({ ...s, [slot]: 'saving' }));
    const p = firstValueFrom(this.http.put<{ feedback?: GradedResponse | null }>(`/api/attempts/${this.id()}/slots/${slot}`, { response }))
      .then((r) => {
        this.saveState.update((s) => ({ ...s, [slot]: 'saved' }));
        if (r && 'feedback' in r) this.attempt.update((a) => (a ? { ...a, slots: a.slots.map((s) => (s.slot === slot ? { ...s, feedback: r.feedback } : s)) } : a));
      })
      .catch((e) => {
        this.saveState.update((s) => ({ ...s, [slot]: 'failed' }));
        this.error.set(this.i18n.error(e));
        if ((e as { error?: { code?: string } })?.error?.code === 'ATTEMPT_FINISHED') this.load(this.id());
      });
    this.inFlight.set(slot, p);
    return p;
  }

  async submit(): Promise<void> {
    const a = this.attempt();
    if (!a) return;
    this.busy.set(true);
    try {
      // Flush answers still waiting for a pause, and save the shown order of untouched ordering questions.
      for (const [slot, timer] of this.pending) {
        clearTimeout(timer);
        const response = a.slots.find((s) => s.slot === slot)?.response;
        if (response) this.save(slot, response);
      }
      for (const s of a.slots) {
        if (s.question.type === QuestionType.Ordering && s.response === null) this.save(s.slot, { order: s.question.items.map((i) => i.id) });
      }
      await Promise.all(this.inFlight.values());
      const done = await firstValueFrom(this.http.post<AttemptView>(`/api/attempts/${a.id}/submit`, {}));
      this.setAttempt(done);
      this.confirming.set(false);
      this.error.set(null);
      window.scrollTo({ top: 0 });
    } catch (e) {
      this.error.set(this.i18n.error(e));
    } finally {
      this.busy.set(false);
    }
  }

  protected graded(slot: number): GradedResponse | null {
    return this.attempt()?.result?.questions?.find((q) => q.slot === slot)?.graded ?? null;
  }

  protected definition(slot: number): QuestionDefinition | null {
    return this.attempt()?.result?.questions?.find((q) => q.slot === slot)?.definition ?? null;
  }

  protected correctText(d: QuestionDefinition): string {
    const L = this.L();
    switch (d.type) {
      case QuestionType.SingleChoice:
      case QuestionType.MultipleChoice:
        return d.options.filter((o) => o.fraction > 0).map((o) => o.text).join('; ');
      case QuestionType.TrueFalse:
        return d.correct ? L.trueLabel : L.falseLabel;
      case QuestionType.ShortAnswer:
        return d.answers.filter((x) => x.fraction >= 1).map((x) => x.text).join(' | ');
      case QuestionType.Matching:
        return d.pairs.map((p) => `${p.prompt} → ${p.answer}`).join('; ');
      case QuestionType.Ordering:
        return d.items.map((i) => i.text).join(' → ');
    }
  }
}

