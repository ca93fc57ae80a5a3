import {
  GradedResponse,
  MAX_RESPONSE_TEXT_LENGTH,
  MatchingQuestion,
  OrderingQuestion,
  QUESTION_TYPES,
  QuestionDefinition,
  QuestionResponse,
  QuestionType,
  QuestionView,
  ShortAnswerQuestion,
  ViewChoice,
} from '@dxtrain/shared/contracts';
import { foldVietnamese } from '@dxtrain/shared/vietnamese';
import { clamp, round7, seededRandom, shuffleWith } from './util';

/**
 * The question engine: validation of authored questions, the learner's view, validation of
 * responses and grading. Pure functions, no I/O.
 *
 * Grading rules (Moodle-compatible unless noted):
 * - single choice: the chosen option's fraction, at least 0;
 * - multiple choice, partial credit: sum of the chosen options' fractions clamped to 0..1
 *   (wrong options with negative fractions subtract); all-or-nothing: 1 only for exactly the
 *   set of options with a positive fraction;
 * - true/false: 1 or 0;
 * - short answer: the best fraction among accepted answers matching the normalised response
 *   (trim, collapse spaces, NFC, case-fold unless case-sensitive, diacritics folded with
 *   `foldVietnamese` when `ignoreDiacritics`); `*` in an accepted answer matches any text,
 *   `\*` is a literal asterisk;
 * - matching: correctly matched prompts / prompts;
 * - ordering, partial credit: Moodle's "longest ordered subset": length of the longest common
 *   subsequence of the learner's order and the correct order, divided by the number of items,
 *   and 0 when that subsequence has fewer than 2 items (any single item is trivially "in
 *   order"); all-or-nothing: 1 only for the exact order.
 */

export const DEFAULT_POINTS = 1;
export const MAX_QUESTION_TEXT_LENGTH = 20_000;

export const pointsOf = (def: Pick<QuestionDefinition, 'points'>) => def.points ?? DEFAULT_POINTS;

// ---------------------------------------------------------------------------------------------
// Definition validation

type Lang = 'vi' | 'en';
type Problem = { vi: string; en: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const isFraction = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= -1 && v <= 1;

function checkIds(items: Array<Record<string, unknown>>, what: Problem, problems: Problem[]) {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (!isNonEmptyString(item['id'])) {
      problems.push({ vi: `${what.vi} ${i + 1}: thiếu mã (id).`, en: `${what.en} ${i + 1}: missing id.` });
    } else if (seen.has(item['id'])) {
      problems.push({ vi: `${what.vi} ${i + 1}: mã "${item['id']}" bị trùng.`, en: `${what.en} ${i + 1}: duplicate id "${item['id']}".` });
    } else {
      seen.add(item['id']);
    }
  });
}

function arrayOfObjects(value: unknown): Array<Record<string, unknown>> | null {
  return Array.isArray(value) && value.every(isObject) ? (value as Array<Record<string, unknown>>) : null;
}

function validateChoices(q: Record<string, unknown>, multiple: boolean, problems: Problem[]) {
  const options = arrayOfObjects(q['options']);
  if (!options) {
    problems.push({ vi: 'Thiếu danh sách phương án.', en: 'Options are missing.' });
    return;
  }
  if (options.length < 2) problems.push({ vi: 'Cần ít nhất 2 phương án.', en: 'At least 2 options are needed.' });
  checkIds(options, { vi: 'Phương án', en: 'Option' }, problems);
  options.forEach((o, i) => {
    if (!isNonEmptyString(o['text'])) problems.push({ vi: `Phương án ${i + 1}: nội dung trống.`, en: `Option ${i + 1}: empty text.` });
    if (!isFraction(o['fraction'])) problems.push({ vi: `Phương án ${i + 1}: tỉ lệ điểm phải từ -1 đến 1.`, en: `Option ${i + 1}: fraction must be between -1 and 1.` });
  });
  const fractions = options.map((o) => (typeof o['fraction'] === 'number' ? o['fraction'] : 0));
  if (!multiple) {
    const full = fractions.filter((f) => f === 1).length;
    if (full !== 1) problems.push({ vi: `Câu một lựa chọn cần đúng một phương án đúng (hiện có ${full}).`, en: `A single-choice question needs exactly one correct option (found ${full}).` });
    return;
  }
  if (typeof q['partialCredit'] !== 'boolean') problems.push({ vi: 'Thiếu thiết lập tính điểm từng phần.', en: 'partialCredit must be true or false.' });
  const positive = fractions.filter((f) => f > 0);
  if (positive.length === 0) {
    problems.push({ vi: 'Câu nhiều lựa chọn cần ít nhất một phương án đúng.', en: 'A multiple-choice question needs at least one correct option.' });
  } else if (q['partialCredit'] === true) {
    const sum = positive.reduce((s, f) => s + f, 0);
    if (Math.abs(sum - 1) > 0.01) {
      problems.push({
        vi: `Tổng tỉ lệ điểm các phương án đúng phải bằng 100% (hiện là ${round7(sum * 100)}%).`,
        en: `The positive fractions must add up to 100% (they add up to ${round7(sum * 100)}%).`,
      });
    }
  }
}

function validateShortAnswer(q: Record<string, unknown>, problems: Problem[]) {
  const answers = arrayOfObjects(q['answers']);
  if (!answers || answers.length === 0) {
    problems.push({ vi: 'Cần ít nhất một đáp án được chấp nhận.', en: 'At least one accepted answer is needed.' });
    return;
  }
  answers.forEach((a, i) => {
    if (!isNonEmptyString(a['text'])) problems.push({ vi: `Đáp án ${i + 1}: nội dung trống.`, en: `Answer ${i + 1}: empty text.` });
    else if ((a['text'] as string).length > MAX_RESPONSE_TEXT_LENGTH) problems.push({ vi: `Đáp án ${i + 1}: quá dài.`, en: `Answer ${i + 1}: too long.` });
    if (!isFraction(a['fraction']) || (a['fraction'] as number) < 0) problems.push({ vi: `Đáp án ${i + 1}: tỉ lệ điểm phải từ 0 đến 1.`, en: `Answer ${i + 1}: fraction must be between 0 and 1.` });
  });
  if (!answers.some((a) => a['fraction'] === 1)) problems.push({ vi: 'Cần ít nhất một đáp án đúng hoàn toàn (100%).', en: 'At least one answer must be fully correct (fraction 1).' });
  if (typeof q['caseSensitive'] !== 'boolean') problems.push({ vi: 'Thiếu thiết lập phân biệt chữ hoa/thường.', en: 'caseSensitive must be true or false.' });
  if (typeof q['ignoreDiacritics'] !== 'boolean') problems.push({ vi: 'Thiếu thiết lập bỏ qua dấu.', en: 'ignoreDiacritics must be true or false.' });
}

function validateMatching(q: Record<string, unknown>, problems: Problem[]) {
  const pairs = arrayOfObjects(q['pairs']);
  if (!pairs || pairs.length < 2) {
    problems.push({ vi: 'Câu ghép đôi cần ít nhất 2 cặp.', en: 'A matching question needs at least 2 pairs.' });
    if (!pairs) return;
  }
  checkIds(pairs, { vi: 'Cặp', en: 'Pair' }, problems);
  pairs.forEach((p, i) => {
    if (!isNonEmptyString(p['prompt'])) problems.push({ vi: `Cặp ${i + 1}: vế trái trống.`, en: `Pair ${i + 1}: empty prompt.` });
    if (!isNonEmptyString(p['answer'])) problems.push({ vi: `Cặp ${i + 1}: vế phải trống.`, en: `Pair ${i + 1}: empty answer.` });
  });
  const distractors = q['distractors'] ?? [];
  if (!Array.isArray(distractors) || !distractors.every(isNonEmptyString)) {
    problems.push({ vi: 'Phương án gây nhiễu phải là danh sách văn bản không trống.', en: 'Distractors must be a list of non-empty texts.' });
  } else {
    const answers = new Set(pairs.map((p) => (typeof p['answer'] === 'string' ? p['answer'].trim() : '')));
    for (const d of distractors as string[]) {
      if (answers.has(d.trim())) problems.push({ vi: `Phương án gây nhiễu "${d}" trùng với một đáp án.`, en: `Distractor "${d}" is also a correct answer.` });
    }
  }
}

function validateOrdering(q: Record<string, unknown>, problems: Problem[]) {
  const items = arrayOfObjects(q['items']);
  if (!items || items.length < 2) {
    problems.push({ vi: 'Câu sắp xếp cần ít nhất 2 mục.', en: 'An ordering question needs at least 2 items.' });
    if (!items) return;
  }
  checkIds(items, { vi: 'Mục', en: 'Item' }, problems);
  const texts = new Set<string>();
  items.forEach((it, i) => {
    if (!isNonEmptyString(it['text'])) problems.push({ vi: `Mục ${i + 1}: nội dung trống.`, en: `Item ${i + 1}: empty text.` });
    else if (texts.has(it['text'].trim())) problems.push({ vi: `Mục ${i + 1}: nội dung bị trùng.`, en: `Item ${i + 1}: duplicate text.` });
    else texts.add(it['text'].trim());
  });
  if (typeof q['partialCredit'] !== 'boolean') problems.push({ vi: 'Thiếu thiết lập tính điểm từng phần.', en: 'partialCredit must be true or false.' });
}

/**
 * Problems with an authored question (any JSON may come in), as human-readable sentences,
 * Vietnamese by default. An empty list means the question can be saved and used.
 */
export function validateDefinition(def: QuestionDefinition | unknown, lang: Lang = 'vi'): string[] {
  const problems: Problem[] = [];
  if (!isObject(def)) return [lang === 'vi' ? 'Câu hỏi không hợp lệ.' : 'The question is not an object.'];
  const type = def['type'];
  if (!QUESTION_TYPES.includes(type as QuestionType)) {
    problems.push({ vi: `Loại câu hỏi không hợp lệ: ${String(type)}.`, en: `Unknown question type: ${String(type)}.` });
  }
  if (!isNonEmptyString(def['text'])) problems.push({ vi: 'Nội dung câu hỏi trống.', en: 'The question text is empty.' });
  else if (def['text'].length > MAX_QUESTION_TEXT_LENGTH) problems.push({ vi: 'Nội dung câu hỏi quá dài.', en: 'The question text is too long.' });
  const points = def['points'];
  if (points !== undefined && (typeof points !== 'number' || !Number.isFinite(points) || points <= 0 || points > 1000)) {
    problems.push({ vi: 'Điểm phải là số lớn hơn 0 (tối đa 1000).', en: 'Points must be a number above 0 (at most 1000).' });
  }
  const tags = def['tags'];
  if (tags !== undefined && (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string'))) {
    problems.push({ vi: 'Thẻ phải là danh sách văn bản.', en: 'Tags must be a list of texts.' });
  }
  for (const key of ['category', 'title', 'generalFeedback'] as const) {
    if (def[key] !== undefined && typeof def[key] !== 'string') problems.push({ vi: `Trường ${key} phải là văn bản.`, en: `${key} must be text.` });
  }
  switch (type) {
    case QuestionType.SingleChoice:
      validateChoices(def, false, problems);
      break;
    case QuestionType.MultipleChoice:
      validateChoices(def, true, problems);
      break;
    case QuestionType.TrueFalse:
      if (typeof def['correct'] !== 'boolean') problems.push({ vi: 'Thiếu đáp án Đúng/Sai.', en: 'correct must be true or false.' });
      break;
    case QuestionType.ShortAnswer:
      validateShortAnswer(def, problems);
      break;
    case QuestionType.Matching:
      validateMatching(def, problems);
      break;
    case QuestionType.Ordering:
      validateOrdering(def, problems);
      break;
  }
  return problems.map((p) => p[lang]);
}

// ---------------------------------------------------------------------------------------------
// Learner view

export interface ToViewOptions {
  /** Shuffle choice options and matching prompts. Default true. */
  shuffle?: boolean;
}

/** Opaque ids drawn from the seeded PRNG: they say nothing about position or correctness. */
function opaqueIds(count: number, prefix: string, random: () => number): string[] {
  const ids = new Set<string>();
  while (ids.size < count) ids.add(prefix + Math.floor(random() * 36 ** 6).toString(36).padStart(6, '0'));
  return [...ids];
}

/** Distinct, trimmed answer texts of a matching question, then distractors. */
function matchingAnswerTexts(def: MatchingQuestion): string[] {
  const texts: string[] = [];
  for (const t of [...def.pairs.map((p) => p.answer), ...(def.distractors ?? [])]) {
    const s = t.trim();
    if (!texts.includes(s)) texts.push(s);
  }
  return texts;
}

/**
 * What the browser may see: text, points and the choices — never fractions, correct flags or
 * feedback. The same (definition, seed, options) always gives the same view.
 *
 * `shuffle` orders choice options and matching prompts. Matching answers and ordering items
 * are always scrambled (their order would give the answer away) and carry opaque ids; an
 * ordering question is never shown already in the correct order.
 */
export function toView(def: QuestionDefinition, seed: number, opts: ToViewOptions = {}): QuestionView {
  const shuffle = opts.shuffle ?? true;
  const random = seededRandom(seed);
  const base = { text: def.text, points: pointsOf(def), ...(def.title ? { title: def.title } : {}) };
  const order = <T>(items: readonly T[]) => (shuffle ? shuffleWith(items, random) : [...items]);
  switch (def.type) {
    case QuestionType.SingleChoice:
    case QuestionType.MultipleChoice:
      return { ...base, type: def.type, options: order(def.options.map((o) => ({ id: o.id, text: o.text }))) } as QuestionView;
    case QuestionType.TrueFalse:
      return { ...base, type: def.type };
    case QuestionType.ShortAnswer:
      return { ...base, type: def.type };
    case QuestionType.Matching: {
      const prompts: ViewChoice[] = order(def.pairs.map((p) => ({ id: p.id, text: p.prompt })));
      const texts = shuffleWith(matchingAnswerTexts(def), random);
      const ids = opaqueIds(texts.length, 'm', random);
      return { ...base, type: def.type, prompts, answers: texts.map((text, i) => ({ id: ids[i], text })) };
    }
    case QuestionType.Ordering: {
      let texts = shuffleWith(
        def.items.map((it) => it.text),
        random,
      );
      if (texts.length > 1 && texts.every((t, i) => t === def.items[i].text)) texts = [...texts.slice(1), texts[0]];
      const ids = opaqueIds(texts.length, 'i', random);
      return { ...base, type: def.type, items: texts.map((text, i) => ({ id: ids[i], text })) };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Response validation

/** A definition or a view: what the response may refer to. */
export type QuestionShape = QuestionDefinition | QuestionView;

const ALLOWED_KEYS: Record<QuestionType, string> = {
  [QuestionType.SingleChoice]: 'optionId',
  [QuestionType.MultipleChoice]: 'optionIds',
  [QuestionType.TrueFalse]: 'value',
  [QuestionType.ShortAnswer]: 'text',
  [QuestionType.Matching]: 'matches',
  [QuestionType.Ordering]: 'order',
};

/** Distractor ids when a matching response is given against the definition (no view). */
export const distractorId = (index: number) => `distractor:${index}`;

function matchingIds(q: QuestionShape): { prompts: Set<string>; answers: Set<string> } {
  if ('prompts' in q) return { prompts: new Set(q.prompts.map((p) => p.id)), answers: new Set(q.answers.map((a) => a.id)) };
  const def = q as MatchingQuestion;
  return { prompts: new Set(def.pairs.map((p) => p.id)), answers: new Set([...def.pairs.map((p) => p.id), ...(def.distractors ?? []).map((_, i) => distractorId(i))]) };
}

/**
 * Checks a response against the question the learner saw (its view, or the definition):
 * the shape for the type, ids that exist in the question, no duplicates, text within
 * 1,000 characters. Returns English problems; empty means acceptable. A matching response
 * may leave prompts unmatched (autosave); an ordering response must order every item.
 */
export function validateResponse(q: QuestionShape, response: QuestionResponse | unknown): string[] {
  if (!isObject(response)) return ['The response must be an object.'];
  const key = ALLOWED_KEYS[q.type];
  if (!key) return [`Unknown question type ${String(q.type)}.`];
  const problems: string[] = [];
  const extra = Object.keys(response).filter((k) => k !== key);
  if (extra.length) problems.push(`Unexpected field(s) ${extra.join(', ')}; a ${q.type} response has only "${key}".`);
  if (!(key in response)) return [...problems, `The response needs "${key}".`];
  const value = response[key];
  switch (q.type) {
    case QuestionType.SingleChoice: {
      const ids = new Set(q.options.map((o) => o.id));
      if (typeof value !== 'string') problems.push('optionId must be a string.');
      else if (!ids.has(value)) problems.push(`Option "${value.slice(0, 50)}" is not in this question.`);
      break;
    }
    case QuestionType.MultipleChoice: {
      const ids = new Set(q.options.map((o) => o.id));
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
        problems.push('optionIds must be a list of strings.');
        break;
      }
      const foreign = value.filter((v) => !ids.has(v));
      if (foreign.length) problems.push(`Option(s) ${foreign.map((f) => `"${f.slice(0, 50)}"`).join(', ')} are not in this question.`);
      if (new Set(value).size !== value.length) problems.push('optionIds has duplicates.');
      break;
    }
    case QuestionType.TrueFalse:
      if (typeof value !== 'boolean') problems.push('value must be true or false.');
      break;
    case QuestionType.ShortAnswer:
      if (typeof value !== 'string') problems.push('text must be a string.');
      else if (value.length > MAX_RESPONSE_TEXT_LENGTH) problems.push(`text is longer than ${MAX_RESPONSE_TEXT_LENGTH} characters.`);
      break;
    case QuestionType.Matching: {
      if (!isObject(value)) {
        problems.push('matches must be an object of promptId → answerId.');
        break;
      }
      const { prompts, answers } = matchingIds(q);
      for (const [promptId, answerId] of Object.entries(value)) {
        if (!prompts.has(promptId)) problems.push(`Prompt "${promptId.slice(0, 50)}" is not in this question.`);
        if (typeof answerId !== 'string') problems.push(`The answer for prompt "${promptId.slice(0, 50)}" must be a string.`);
        else if (!answers.has(answerId)) problems.push(`Answer "${answerId.slice(0, 50)}" is not in this question.`);
      }
      break;
    }
    case QuestionType.Ordering: {
      const ids = new Set(q.items.map((it) => it.id));
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
        problems.push('order must be a list of item ids.');
        break;
      }
      const foreign = value.filter((v) => !ids.has(v));
      if (foreign.length) problems.push(`Item(s) ${foreign.map((f) => `"${f.slice(0, 50)}"`).join(', ')} are not in this question.`);
      if (new Set(value).size !== value.length) problems.push('order has duplicates.');
      else if (foreign.length === 0 && value.length !== ids.size) problems.push(`order must list all ${ids.size} items.`);
      break;
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Grading

function graded(def: QuestionDefinition, fraction: number, feedback: Array<string | undefined>): GradedResponse {
  const f = round7(clamp(Number.isFinite(fraction) ? fraction : 0, 0, 1));
  const maxScore = pointsOf(def);
  const texts = [...feedback, def.generalFeedback].filter((t): t is string => typeof t === 'string' && t.trim() !== '');
  return {
    fraction: f,
    score: round7(f * maxScore),
    maxScore,
    correct: f >= 1 ? true : f <= 0 ? false : 'partial',
    ...(texts.length ? { feedback: texts } : {}),
  };
}

const COMBINING_MARKS = /[\u0300-\u036f]/g;

/** Strips diacritics (đ → d) but keeps letter case. */
function stripDiacritics(value: string): string {
  return value.normalize('NFD').replace(COMBINING_MARKS, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').normalize('NFC');
}

/** The short-answer normalisation applied to both the response and each accepted answer. */
export function normaliseShortAnswer(value: string, opts: Pick<ShortAnswerQuestion, 'caseSensitive' | 'ignoreDiacritics'>): string {
  const s = value.normalize('NFC').replace(/\s+/g, ' ').trim();
  if (opts.ignoreDiacritics) return opts.caseSensitive ? stripDiacritics(s) : foldVietnamese(s);
  return opts.caseSensitive ? s : s.toLowerCase();
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Does a response match an accepted answer (both normalised)? `*` matches any text, `\*` a literal `*`. */
export function matchesAcceptedAnswer(response: string, pattern: string): boolean {
  if (!pattern.includes('*')) return response === pattern;
  const parts = pattern.split(/(\\\*|\*)/);
  const source = parts.map((p) => (p === '*' ? '.*' : p === '\\*' ? '\\*' : escapeRegExp(p))).join('');
  return new RegExp(`^${source}$`, 'su').test(response);
}

/** Length of the longest common subsequence. */
function lcsLength(a: readonly string[], b: readonly string[]): number {
  const prev = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = 0;
    for (let j = 1; j <= b.length; j++) {
      const above = prev[j];
      prev[j] = a[i - 1] === b[j - 1] ? diagonal + 1 : Math.max(prev[j], prev[j - 1]);
      diagonal = above;
    }
  }
  return prev[b.length];
}

/**
 * Grades a response. `view` is the view the learner answered (needed to resolve the opaque ids
 * of matching answers and ordering items); without it those ids are the definition's own
 * (pair ids, `distractor:<i>`, item ids). Malformed responses score 0 — call
 * `validateResponse` before storing one.
 */
export function grade(def: QuestionDefinition, response: QuestionResponse | null | undefined, view?: QuestionView | null): GradedResponse {
  const r = (isObject(response) ? response : {}) as Record<string, unknown>;
  const usableView = view && view.type === def.type ? view : null;
  switch (def.type) {
    case QuestionType.SingleChoice: {
      const option = def.options.find((o) => o.id === r['optionId']);
      return graded(def, option ? Math.max(0, option.fraction) : 0, [option?.feedback]);
    }
    case QuestionType.MultipleChoice: {
      const ids = Array.isArray(r['optionIds']) ? new Set(r['optionIds'] as unknown[]) : new Set<unknown>();
      const chosen = def.options.filter((o) => ids.has(o.id));
      const feedback = chosen.map((o) => o.feedback);
      if (def.partialCredit) return graded(def, chosen.reduce((s, o) => s + o.fraction, 0), feedback);
      const correct = def.options.filter((o) => o.fraction > 0);
      const exact = chosen.length === correct.length && correct.every((o) => ids.has(o.id));
      return graded(def, exact ? 1 : 0, feedback);
    }
    case QuestionType.TrueFalse: {
      if (typeof r['value'] !== 'boolean') return graded(def, 0, []);
      return graded(def, r['value'] === def.correct ? 1 : 0, [r['value'] ? def.feedbackTrue : def.feedbackFalse]);
    }
    case QuestionType.ShortAnswer: {
      if (typeof r['text'] !== 'string' || r['text'].trim() === '') return graded(def, 0, []);
      const given = normaliseShortAnswer(r['text'].slice(0, MAX_RESPONSE_TEXT_LENGTH), def);
      let best: { fraction: number; feedback?: string } | null = null;
      for (const answer of def.answers) {
        if (best && answer.fraction <= best.fraction) continue;
        if (matchesAcceptedAnswer(given, normaliseShortAnswer(answer.text, def))) best = answer;
      }
      return graded(def, best?.fraction ?? 0, [best?.feedback]);
    }
    case QuestionType.Matching: {
      const matches = isObject(r['matches']) ? r['matches'] : {};
      const answerText = (answerId: unknown): string | undefined => {
        if (typeof answerId !== 'string') return undefined;
        if (usableView?.type === QuestionType.Matching) return usableView.answers.find((a) => a.id === answerId)?.text;
        return def.pairs.find((p) => p.id === answerId)?.answer ?? def.distractors?.find((_, i) => distractorId(i) === answerId);
      };
      const right = def.pairs.filter((p) => {
        const chosen = answerText(matches[p.id]);
        return chosen !== undefined && chosen.trim() === p.answer.trim();
      }).length;
      return graded(def, def.pairs.length ? right / def.pairs.length : 0, []);
    }
    case QuestionType.Ordering: {
      const order = Array.isArray(r['order']) ? (r['order'] as unknown[]) : [];
      const textOf = (id: unknown): string | undefined =>
        usableView?.type === QuestionType.Ordering ? usableView.items.find((it) => it.id === id)?.text : def.items.find((it) => it.id === id)?.text;
      const given: string[] = [];
      for (const id of order) {
        const t = textOf(id);
        if (t !== undefined && !given.includes(t)) given.push(t);
      }
      const expected = def.items.map((it) => it.text);
      return graded(def, orderingFraction(def, given, expected), []);
    }
  }
}

function orderingFraction(def: OrderingQuestion, given: string[], expected: string[]): number {
  const n = expected.length;
  if (n === 0) return 0;
  if (!def.partialCredit) return given.length === n && given.every((t, i) => t === expected[i]) ? 1 : 0;
  const longest = lcsLength(given, expected);
  return longest < 2 ? 0 : longest / n;
}
