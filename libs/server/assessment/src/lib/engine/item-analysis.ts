import { QuestionDefinition, QuestionType } from '@dxtrain/shared/contracts';
import { normaliseShortAnswer, pointsOf } from './grading';

/**
 * Quiz item analysis (Moodle's quiz statistics, the two numbers organisers read first):
 *
 * - facility index = mean fraction of the question × 100 (how easy it was);
 * - discrimination index = Pearson r between the question's fraction and the rest of the test
 *   (attempt score − this question's score) × 100; null with fewer than 2 attempts or when either
 *   side has no variance (everyone got the same).
 *
 * A question whose fraction is null (not graded) counts as 0, like an unanswered one. A slot's
 * score is fraction × its maxScore (1 when not given) — give maxScore when questions carry
 * different points so that "the rest of the test" is right.
 */

export interface ItemAnalysisSlot {
  questionId: string;
  fraction: number | null;
  /** Points of the question in this attempt; 1 when omitted. */
  maxScore?: number;
  /** What was chosen: an option id, or several for multiple choice. */
  responseKey?: string | readonly string[] | null;
}

export interface ItemAnalysisAttempt {
  /** Total score of the attempt. */
  score: number;
  maxScore: number;
  slots: readonly ItemAnalysisSlot[];
}

export interface ItemAnalysisQuestion {
  title?: string;
  type?: string;
  /** Known choices (listed even when nobody chose them). */
  options?: ReadonlyArray<{ key: string; text: string }>;
}

/** Structurally the `ItemAnalysisRow` of the contracts. */
export interface ItemStatistics {
  questionId: string;
  title: string;
  type: string;
  attempts: number;
  /** 0..100, 2 decimals. */
  facilityIndex: number | null;
  /** -100..100, 2 decimals. */
  discriminationIndex: number | null;
  options: Array<{ key: string; text: string; count: number }>;
}

const round2 = (v: number) => Math.round(v * 100) / 100;

/** Pearson correlation coefficient; null when undefined (n < 2 or zero variance). */
export function pearson(xs: readonly number[], ys: readonly number[]): number | null {
  const n = xs.length;
  if (n < 2 || ys.length !== n) return null;
  const mx = xs.reduce((s, v) => s + v, 0) / n;
  const my = ys.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i] - mx;
    const dy = ys[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  // Variances below float noise count as zero.
  if (sxx < 1e-12 || syy < 1e-12) return null;
  return sxy / Math.sqrt(sxx * syy);
}

export function analyseItems(
  attempts: readonly ItemAnalysisAttempt[],
  questions: Readonly<Record<string, ItemAnalysisQuestion>> = {},
): ItemStatistics[] {
  const perQuestion = new Map<string, { fractions: number[]; rest: number[]; counts: Map<string, number> }>();
  for (const attempt of attempts) {
    for (const slot of attempt.slots) {
      let q = perQuestion.get(slot.questionId);
      if (!q) {
        q = { fractions: [], rest: [], counts: new Map() };
        perQuestion.set(slot.questionId, q);
      }
      const fraction = slot.fraction ?? 0;
      q.fractions.push(fraction);
      q.rest.push(attempt.score - fraction * (slot.maxScore ?? 1));
      const keys = slot.responseKey == null ? [] : typeof slot.responseKey === 'string' ? [slot.responseKey] : slot.responseKey;
      for (const key of new Set(keys)) q.counts.set(key, (q.counts.get(key) ?? 0) + 1);
    }
  }
  return [...perQuestion.entries()].map(([questionId, q]) => {
    const info = questions[questionId] ?? {};
    const n = q.fractions.length;
    const r = pearson(q.fractions, q.rest);
    const options = (info.options ?? []).map((o) => ({ key: o.key, text: o.text, count: q.counts.get(o.key) ?? 0 }));
    const known = new Set(options.map((o) => o.key));
    for (const [key, count] of q.counts) if (!known.has(key)) options.push({ key, text: key, count });
    return {
      questionId,
      title: info.title ?? '',
      type: info.type ?? '',
      attempts: n,
      facilityIndex: n ? round2((q.fractions.reduce((s, v) => s + v, 0) / n) * 100) : null,
      discriminationIndex: r === null ? null : round2(r * 100),
      options,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// From stored attempt slots

/** The choices a response made, as keys for option counts. */
export function responseKeys(def: QuestionDefinition, response: unknown): string[] {
  if (!response || typeof response !== 'object') return [];
  const r = response as Record<string, unknown>;
  switch (def.type) {
    case QuestionType.SingleChoice:
      return typeof r['optionId'] === 'string' ? [r['optionId']] : [];
    case QuestionType.MultipleChoice:
      return Array.isArray(r['optionIds']) ? r['optionIds'].filter((v): v is string => typeof v === 'string') : [];
    case QuestionType.TrueFalse:
      return typeof r['value'] === 'boolean' ? [String(r['value'])] : [];
    case QuestionType.ShortAnswer:
      return typeof r['text'] === 'string' && r['text'].trim() ? [normaliseShortAnswer(r['text'].slice(0, 200), def)] : [];
    default:
      return [];
  }
}

/** Choices known from the definition (so unchosen ones are listed with 0). */
export function knownOptions(def: QuestionDefinition): Array<{ key: string; text: string }> {
  switch (def.type) {
    case QuestionType.SingleChoice:
    case QuestionType.MultipleChoice:
      return def.options.map((o) => ({ key: o.id, text: o.text }));
    case QuestionType.TrueFalse:
      return [
        { key: 'true', text: 'Đúng' },
        { key: 'false', text: 'Sai' },
      ];
    default:
      return [];
  }
}

/**
 * One graded slot of a finished attempt, as stored (numeric columns may come back as strings).
 * `definition` is the stored question JSON (typed loosely so raw query rows fit).
 */
export interface AttemptSlotRow {
  attempt_id: string;
  question_id: string;
  definition: QuestionDefinition | { type: string; text: string; title?: string };
  response: unknown;
  graded: { fraction: number; score?: number; maxScore?: number } | null;
  /** Attempt total; when null the sum of its slots' scores is used. */
  score: number | string | null;
  max_score: number | string;
}

/** Item analysis straight from stored attempt slots (one row per attempt × question). */
export function analyseSlotRows(rows: readonly AttemptSlotRow[]): ItemStatistics[] {
  const attempts = new Map<string, { score: number | null; maxScore: number; slots: ItemAnalysisSlot[] }>();
  const questions: Record<string, ItemAnalysisQuestion> = {};
  for (const row of rows) {
    let a = attempts.get(row.attempt_id);
    if (!a) {
      a = { score: row.score === null ? null : Number(row.score), maxScore: Number(row.max_score), slots: [] };
      attempts.set(row.attempt_id, a);
    }
    const def = row.definition as QuestionDefinition;
    a.slots.push({
      questionId: row.question_id,
      fraction: row.graded?.fraction ?? null,
      maxScore: row.graded?.maxScore ?? pointsOf(def),
      responseKey: responseKeys(def, row.response),
    });
    questions[row.question_id] ??= { title: def.title || def.text.replace(/\s+/g, ' ').slice(0, 80), type: def.type, options: knownOptions(def) };
  }
  return analyseItems(
    [...attempts.values()].map((a) => ({
      score: a.score ?? a.slots.reduce((s, slot) => s + (slot.fraction ?? 0) * (slot.maxScore ?? 1), 0),
      maxScore: a.maxScore,
      slots: a.slots,
    })),
    questions,
  );
}
