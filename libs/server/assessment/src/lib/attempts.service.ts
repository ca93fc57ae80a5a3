import { randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import {
  AttemptResult,
  AttemptView,
  ErrorCode,
  GradedResponse,
  QuestionResponse,
  QuizInfo, QuizPreview } from '@dxtrain/shared/contracts';
import { ProgressService } from '@dxtrain/server/catalog';
import { Actor, DomainException, isPgError, PG_UNIQUE_VIOLATION } from '@dxtrain/server/platform';
import { QuestionEntity, QuizAttemptEntity, QuizAttemptSlotEntity, QuizEntity } from './assessment.entity';
import { grade, toView, validateResponse } from './engine/grading';
import { QuizAccessService } from './quiz-access.service';
import { toSettings } from './quizzes.service';

type Finished = QuizAttemptEntity & { status: 'submitted' | 'timed_out' };

function seededShuffle<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** An unanswered question scores nothing. */
function gradeSlot(s: QuizAttemptSlotEntity): GradedResponse {
  if (s.response) return grade(s.definition, s.response, s.view);
  const maxScore = s.definition.points ?? 1;
  return { fraction: 0, score: 0, maxScore, correct: false };
}

/** Combines finished attempts into the quiz grade by the quiz's grading method. */
export function gradeByMethod(method: QuizEntity['gradingMethod'], finished: Array<{ attemptNumber: number; fraction: string | null }>): number | null {
  const scored = finished.filter((a) => a.fraction !== null).sort((a, b) => a.attemptNumber - b.attemptNumber);
  if (scored.length === 0) return null;
  const values = scored.map((a) => Number(a.fraction));
  switch (method) {
    case 'highest':
      return Math.max(...values);
    case 'first':
      return values[0];
    case 'last':
      return values[values.length - 1];
    case 'average':
      return values.reduce((s, v) => s + v, 0) / values.length;
  }
}

/**
 * Quiz attempts. The server is the judge: the browser gets question views without answers, the
 * deadline is enforced here (answers after it are refused and the attempt is graded on what was
 * saved), submission is idempotent, and the attempt limit is checked under a unique index.
 */
@Injectable()
export class AttemptsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly access: QuizAccessService,
    private readonly progress: ProgressService,
  ) {}

  private personOf(actor: Actor): string {
    if (!actor.personId) throw DomainException.forbidden(ErrorCode.NoPersonRecord);
    return actor.personId;
  }

  async info(actor: Actor, quizId: string): Promise<QuizInfo> {
    const { quiz } = await this.access.quiz(actor, quizId);
    const personId = actor.personId;
    const attempts = personId ? await this.db.getRepository(QuizAttemptEntity).find({ where: { quizId, personId }, order: { attemptNumber: 'ASC' } }) : [];
    const settings = toSettings(quiz);
    const { selection, ...rest } = settings;
    const questionCount = selection.mode === 'fixed' ? selection.questionIds.length : selection.draws.reduce((s, d) => s + d.count, 0);
    const finished = attempts.filter((a) => a.status !== 'in_progress');
    const gradeValue = this.scoreVisible(quiz) ? gradeByMethod(quiz.gradingMethod, finished) : null;
    return {
      quiz: { ...rest, questionCount },
      attemptsUsed: attempts.length,
      inProgressAttemptId: attempts.find((a) => a.status === 'in_progress')?.id ?? null,
      grade: gradeValue,
      passed: gradeValue === null ? null : gradeValue >= Number(quiz.passMark),
      attempts: attempts.map((a) => ({
        id: a.id,
        number: a.attemptNumber,
        status: a.status,
        submittedAt: a.submittedAt?.toISOString() ?? null,
        fraction: this.scoreVisible(quiz) && a.fraction !== null ? Number(a.fraction) : null,
      })),
    };
  }

  private closed(quiz: QuizEntity, now = new Date()): boolean {
    return quiz.closeAt !== null && quiz.closeAt <= now;
  }

  private scoreVisible(quiz: QuizEntity): boolean {
    return quiz.mode === 'practice' || quiz.review.score === 'after_submit' || (quiz.review.score === 'after_close' && this.closed(quiz));
  }

  private answersVisible(quiz: QuizEntity): boolean {
    return quiz.mode === 'practice' || quiz.review.answers === 'after_submit' || (quiz.review.answers === 'after_close' && this.closed(quiz));
  }

  /** An editor's try of a quiz (draft or published): one draw of its questions, with answers; writes nothing. */
  async preview(actor: Actor, quizId: string): Promise<QuizPreview> {
    const quiz = await this.access.editableQuiz(actor, quizId);
    const questions = await this.pickQuestions(this.db.manager, quiz);
    const seed = randomInt(1, 2 ** 31);
    return {
      quizId,
      title: quiz.title,
      mode: quiz.mode,
      questions: questions.map((q, i) => ({ slot: i + 1, question: toView(q.definition, quiz.shuffleOptions ? seed + i : 0, { shuffle: quiz.shuffleOptions }), definition: q.definition })),
    };
  }

  /** Starts an attempt, or returns the one in progress (a reload resumes it). */
  async start(actor: Actor, quizId: string): Promise<AttemptView> {
    const personId = this.personOf(actor);
    const { quiz } = await this.access.quiz(actor, quizId);
    const open = await this.db.getRepository(QuizAttemptEntity).findOneBy({ quizId, personId, status: 'in_progress' });
    if (open) return this.view(actor, open.id);
    await this.access.takeable(actor, quiz);
    const now = new Date();
    if (quiz.openAt && quiz.openAt > now) throw DomainException.badRequest(ErrorCode.QuizNotOpen);
    if (this.closed(quiz, now)) throw DomainException.badRequest(ErrorCode.QuizClosed);
    const attemptId = await this.db
      .transaction(async (manager) => {
        const [{ used }] = await manager.query(`SELECT COUNT(*)::int AS used FROM quiz_attempts WHERE quiz_id = $1 AND person_id = $2`, [quizId, personId]);
        if (quiz.mode === 'graded' && quiz.maxAttempts !== null && used >= quiz.maxAttempts) throw DomainException.conflict(ErrorCode.AttemptLimitReached);
        const questions = await this.pickQuestions(manager, quiz);
        if (questions.length === 0) throw DomainException.badRequest(ErrorCode.QuizNoQuestions);
        const limitDeadline = quiz.timeLimitSeconds ? new Date(now.getTime() + quiz.timeLimitSeconds * 1000) : null;
        const deadlineAt = [limitDeadline, quiz.closeAt].filter((d): d is Date => d !== null).sort((a, b) => a.getTime() - b.getTime())[0] ?? null;
        const attempt = manager.getRepository(QuizAttemptEntity).create({
          quizId,
          personId,
          attemptNumber: used + 1,
          status: 'in_progress',
          startedAt: now,
          deadlineAt,
          submittedAt: null,
          score: null,
          fraction: null,
          maxScore: String(questions.reduce((s, q) => s + (q.definition.points ?? 1), 0)),
        });
        // The unique indexes (one open attempt; attempt numbers) turn a double click into a conflict, not a second attempt.
        await manager.getRepository(QuizAttemptEntity).insert(attempt);
        const seed = randomInt(1, 2 ** 31);
        await manager.getRepository(QuizAttemptSlotEntity).insert(
          questions.map((q, i) =>
            manager.getRepository(QuizAttemptSlotEntity).create({
              attemptId: attempt.id,
              slot: i + 1,
              questionId: q.id,
              definition: q.definition,
              view: toView(q.definition, quiz.shuffleOptions ? seed + i : 0, { shuffle: quiz.shuffleOptions }),
              response: null,
              savedAt: null,
              graded: null,
            }),
          ),
        );
        return attempt.id;
      })
      .catch(async (err) => {
        if (isPgError(err, PG_UNIQUE_VIOLATION)) {
          const again = await this.db.getRepository(QuizAttemptEntity).findOneBy({ quizId, personId, status: 'in_progress' });
          if (again) return again.id;
        }
        throw err;
      });
    return this.view(actor, attemptId);
  }

  private async pickQuestions(manager: EntityManager, quiz: QuizEntity): Promise<QuestionEntity[]> {
    const repo = manager.getRepository(QuestionEntity);
    const sel = quiz.selection;
    let picked: QuestionEntity[];
    if (sel.mode === 'fixed') {
      const found = sel.questionIds.length ? await repo.findBy({ id: In(sel.questionIds), courseId: quiz.courseId, archived: false }) : [];
      const byId = new Map(found.map((q) => [q.id, q]));
      picked = sel.questionIds.map((id) => byId.get(id)).filter((q): q is QuestionEntity => q !== undefined);
    } else {
      picked = [];
      for (const draw of sel.draws) {
        const pool = await repo.findBy({ courseId: quiz.courseId, category: draw.category, archived: false });
        // Each query returns new objects: compare by id so two draws from one category never repeat a question.
        const taken = new Set(picked.map((q) => q.id));
        picked.push(...seededShuffle(pool.filter((q) => !taken.has(q.id)), randomInt(1, 2 ** 31)).slice(0, draw.count));
      }
    }
    // Exam-only questions never reach a practice quiz, whatever its selection says (a question marked later included).
    if (quiz.mode === 'practice') picked = picked.filter((q) => q.definition.examOnly !== true);
    return quiz.shuffleQuestions ? seededShuffle(picked, randomInt(1, 2 ** 31)) : picked;
  }

  private async ownAttempt(actor: Actor, attemptId: string, manager: EntityManager = this.db.manager, lock = false): Promise<QuizAttemptEntity> {
    const attempt = await manager.getRepository(QuizAttemptEntity).findOne({ where: { id: attemptId }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    // Someone else's attempt looks exactly like a missing one.
    if (!attempt || attempt.personId !== actor.personId) throw DomainException.notFound(ErrorCode.AttemptNotFound);
    return attempt;
  }

  async view(actor: Actor, attemptId: string): Promise<AttemptView> {
    let attempt = await this.ownAttempt(actor, attemptId);
    if (attempt.status === 'in_progress' && attempt.deadlineAt && attempt.deadlineAt <= new Date()) {
      attempt = await this.finish(actor, attemptId);
    }
    const quiz = await this.db.getRepository(QuizEntity).findOneByOrFail({ id: attempt.quizId });
    const slots = await this.db.getRepository(QuizAttemptSlotEntity).find({ where: { attemptId }, order: { slot: 'ASC' } });
    const finished = attempt.status !== 'in_progress';
    return {
      id: attempt.id,
      quizId: attempt.quizId,
      courseId: quiz.courseId,
      number: attempt.attemptNumber,
      status: attempt.status,
      mode: quiz.mode,
      startedAt: attempt.startedAt.toISOString(),
      deadlineAt: attempt.deadlineAt?.toISOString() ?? null,
      serverNow: new Date().toISOString(),
      submittedAt: attempt.submittedAt?.toISOString() ?? null,
      slots: slots.map((s) => ({
        slot: s.slot,
        question: s.view,
        response: s.response,
        ...(quiz.mode === 'practice' && s.response ? { feedback: grade(s.definition, s.response, s.view) } : {}),
      })),
      result: finished ? this.result(quiz, attempt as Finished, slots) : null,
    };
  }

  private result(quiz: QuizEntity, attempt: Finished, slots: QuizAttemptSlotEntity[]): AttemptResult {
    const showScore = this.scoreVisible(quiz);
    const fraction = attempt.fraction === null ? null : Number(attempt.fraction);
    return {
      score: showScore && attempt.score !== null ? Number(attempt.score) : null,
      maxScore: Number(attempt.maxScore),
      fraction: showScore ? fraction : null,
      passed: showScore && fraction !== null ? fraction >= Number(quiz.passMark) : null,
      questions: this.answersVisible(quiz) ? slots.map((s) => ({ slot: s.slot, definition: s.definition, response: s.response, graded: s.graded })) : null,
    };
  }

  /**
   * Autosave of one answer (the hot path: one request per answer). Two round trips, no explicit
   * transaction: one read (attempt, quiz mode and the slot), one conditional UPDATE. The UPDATE locks
   * the attempt FOR SHARE, so it waits for a submit in flight (which holds it FOR UPDATE) and then
   * sees its outcome: an answer never lands after grading. Practice quizzes answer with feedback.
   */
  async save(actor: Actor, attemptId: string, slotNumber: number, raw: Record<string, unknown>): Promise<{ savedAt: string; feedback: GradedResponse | null }> {
    const [row] = (await this.db.query(
      `SELECT a.person_id, a.status, a.deadline_at, q.mode, s.id AS slot_id, s.view, s.definition
         FROM quiz_attempts a
         JOIN quizzes q ON q.id = a.quiz_id
         LEFT JOIN quiz_attempt_slots s ON s.attempt_id = a.id AND s.slot = $2
        WHERE a.id = $1`,
      [attemptId, slotNumber],
    )) as Array<{ person_id: string; status: string; deadline_at: Date | null; mode: string; slot_id: string | null; view: QuizAttemptSlotEntity['view']; definition: QuizAttemptSlotEntity['definition'] }>;
    // Someone else's attempt looks exactly like a missing one.
    if (!row || row.person_id !== actor.personId) throw DomainException.notFound(ErrorCode.AttemptNotFound);
    if (row.status !== 'in_progress') throw DomainException.conflict(ErrorCode.AttemptFinished);
    if (row.deadline_at && row.deadline_at <= new Date()) return this.closeLate(actor, attemptId);
    if (!row.slot_id) throw DomainException.notFound(ErrorCode.AttemptSlotNotFound);
    const response = raw as unknown as QuestionResponse;
    const problems = validateResponse(row.view, response);
    if (problems.length) throw DomainException.badRequest(ErrorCode.ResponseInvalid, problems.map((message) => ({ field: 'response', message })));
    const savedAt = new Date();
    const [updated] = (await this.db.query(
      `UPDATE quiz_attempt_slots SET response = $3::jsonb, saved_at = $4
        WHERE id = $1
          AND attempt_id IN (SELECT id FROM quiz_attempts WHERE id = $2 AND status = 'in_progress' AND (deadline_at IS NULL OR deadline_at > $4) FOR SHARE)
        RETURNING id`,
      [row.slot_id, attemptId, JSON.stringify(raw), savedAt],
    )) as [unknown[], number];
    if (!updated.length) {
      // Submitted meanwhile, or the deadline passed between the read and the write.
      if (row.deadline_at && row.deadline_at <= savedAt) return this.closeLate(actor, attemptId);
      throw DomainException.conflict(ErrorCode.AttemptFinished);
    }
    return { savedAt: savedAt.toISOString(), feedback: row.mode === 'practice' ? grade(row.definition, response, row.view) : null };
  }

  /** A save after the deadline closes the attempt (graded on what was saved) and is refused. */
  private async closeLate(actor: Actor, attemptId: string): Promise<never> {
    await this.finish(actor, attemptId);
    throw DomainException.conflict(ErrorCode.AttemptFinished);
  }

  async submit(actor: Actor, attemptId: string): Promise<AttemptView> {
    await this.finish(actor, attemptId);
    return this.view(actor, attemptId);
  }

  /** Grades and closes an attempt once; later calls return it unchanged (idempotent). */
  private async finish(actor: Actor, attemptId: string): Promise<QuizAttemptEntity> {
    const { attempt, changed } = await this.db.transaction(async (manager) => {
      const attempt = await this.ownAttempt(actor, attemptId, manager, true);
      if (attempt.status !== 'in_progress') return { attempt, changed: false };
      const slots = await manager.getRepository(QuizAttemptSlotEntity).find({ where: { attemptId }, order: { slot: 'ASC' } });
      let score = 0;
      const graded = slots.map((s) => {
        const g = gradeSlot(s);
        score += g.score;
        return JSON.stringify(g);
      });
      // Every slot's grade in one statement (not one UPDATE per question: submit is on the hot path).
      if (slots.length) {
        await manager.query(
          `UPDATE quiz_attempt_slots s SET graded = g.graded
             FROM (SELECT unnest($1::uuid[]) AS id, unnest($2::jsonb[]) AS graded) g
            WHERE s.id = g.id`,
          [slots.map((s) => s.id), graded],
        );
      }
      const now = new Date();
      const late = attempt.deadlineAt !== null && attempt.deadlineAt <= now;
      const max = Number(attempt.maxScore);
      Object.assign(attempt, {
        status: late ? 'timed_out' : 'submitted',
        submittedAt: late ? attempt.deadlineAt : now,
        score: score.toFixed(4),
        fraction: (max > 0 ? score / max : 0).toFixed(5),
      });
      await manager.getRepository(QuizAttemptEntity).update({ id: attempt.id }, { status: attempt.status, submittedAt: attempt.submittedAt, score: attempt.score, fraction: attempt.fraction });
      return { attempt, changed: true };
    });
    if (changed) await this.progress.onQuizFinished(attempt.personId, attempt.quizId);
    return attempt;
  }

  /** The learner's quiz outcome by the grading method (for course completion). */
  async outcome(personId: string, quizId: string) {
    const quiz = await this.db.getRepository(QuizEntity).findOneBy({ id: quizId });
    if (!quiz) return null;
    const attempts = await this.db.getRepository(QuizAttemptEntity).find({ where: { quizId, personId } });
    const finished = attempts.filter((a) => a.status !== 'in_progress');
    const fraction = gradeByMethod(quiz.gradingMethod, finished);
    return { attempted: finished.length > 0, passed: fraction !== null && fraction >= Number(quiz.passMark), fraction, mode: quiz.mode };
  }
}
