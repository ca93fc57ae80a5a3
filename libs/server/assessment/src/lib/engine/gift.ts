import {
  ChoiceOption,
  MatchingQuestion,
  MultipleChoiceQuestion,
  QuestionDefinition,
  QuestionType,
  ShortAnswer,
  ShortAnswerQuestion,
  SingleChoiceQuestion,
  TrueFalseQuestion,
} from '@dxtrain/shared/contracts';
import { pointsOf } from './grading';
import { definitionErrors, ImportResult } from './import-result';
import { stableId } from './util';

/**
 * Moodle GIFT import and export.
 *
 * Supported: `// comments`, `$CATEGORY: a/b`, `::title::`, `[markdown]`/`[html]`/`[plain]`/`[moodle]`
 * prefixes (dropped, text kept), escapes `\~ \= \# \{ \} \: \\` and `\n`, choice questions with
 * `=right ~wrong`, `#feedback` and `%weight%`, true/false (`T`, `TRUE`, `F`, `FALSE`,
 * `#wrong-answer feedback#right-answer feedback` as in Moodle), short answer (`=` answers only,
 * optional `%weight%`), matching (`=prompt -> answer`, `= -> distractor`), the missing-word format
 * (answer block inside the text: the text keeps a `_____` blank) and general feedback `####`.
 * Questions are separated by blank lines.
 *
 * Choice questions: one `=` answer → single choice (other answers may carry partial weights, as
 * in Moodle); no `=` but positive `%weights%` → multiple choice with partial credit; several `=`
 * answers → multiple choice, all-or-nothing (Moodle would read that as single choice with
 * alternative right answers — organisers writing `{=A =B ~C}` mean "A and B").
 *
 * Numerical (`{#...}`), essay (`{}`) and description (no braces) questions are reported as
 * errors on their line; the rest of the file still imports. Imported ids are derived from the
 * text (see `stableId`), so importing the same file twice gives the same ids.
 */

// Escaped characters become private-use placeholders while parsing, then are restored.
const ESCAPABLE = '~=#{}:\\';
const PLACEHOLDER_BASE = 0xe000;
const NEWLINE_PLACEHOLDER = String.fromCharCode(PLACEHOLDER_BASE + ESCAPABLE.length);

function protectEscapes(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\' && i + 1 < text.length) {
      const next = text[i + 1];
      const k = ESCAPABLE.indexOf(next);
      if (k !== -1) {
        out += String.fromCharCode(PLACEHOLDER_BASE + k);
        i++;
        continue;
      }
      if (next === 'n') {
        out += NEWLINE_PLACEHOLDER;
        i++;
        continue;
      }
    }
    out += ch;
  }
  return out;
}

function restore(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0) - PLACEHOLDER_BASE;
    if (code >= 0 && code < ESCAPABLE.length) out += ESCAPABLE[code];
    else if (ch === NEWLINE_PLACEHOLDER) out += '\n';
    else out += ch;
  }
  return out;
}

const FORMAT_PREFIX = /^\s*\[(markdown|html|plain|moodle)\]/i;

/** Drops a `[format]` prefix, restores escapes, trims. */
function clean(text: string): string {
  return restore(text.replace(FORMAT_PREFIX, '')).trim();
}

class GiftProblem extends Error {
  constructor(
    readonly vi: string,
    readonly en: string,
    readonly line?: number,
  ) {
    super(en);
  }
}

interface AnswerPart {
  marker: '=' | '~';
  text: string;
  weight: number | null;
  feedback?: string;
}

const WEIGHT = /^%(-?\d+(?:[.,]\d+)?)%/;

/** Splits an answer block at `=` / `~` markers (escaped ones are placeholders by now). */
function splitAnswers(block: string, markers: string): AnswerPart[] {
  const parts: AnswerPart[] = [];
  let i = 0;
  while (i < block.length && /\s/.test(block[i])) i++;
  if (i < block.length && !markers.includes(block[i])) {
    throw new GiftProblem(
      `Có nội dung trước đáp án đầu tiên: mỗi đáp án phải bắt đầu bằng ${markers.split('').join(' hoặc ')}.`,
      `Text before the first answer: every answer must start with ${markers.split('').join(' or ')}.`,
    );
  }
  while (i < block.length) {
    const marker = block[i] as '=' | '~';
    let j = i + 1;
    while (j < block.length && !markers.includes(block[j])) j++;
    let body = block.slice(i + 1, j).trim();
    let weight: number | null = null;
    const w = WEIGHT.exec(body);
    if (w) {
      weight = Number(w[1].replace(',', '.')) / 100;
      body = body.slice(w[0].length);
    } else if (body.startsWith('%')) {
      throw new GiftProblem(`Trọng số điểm không hợp lệ: "${clean(body.slice(0, 12))}".`, `Invalid weight: "${clean(body.slice(0, 12))}".`);
    }
    const hash = body.indexOf('#');
    const text = clean(hash === -1 ? body : body.slice(0, hash));
    const feedback = hash === -1 ? '' : clean(body.slice(hash + 1));
    parts.push({ marker, text, weight, ...(feedback ? { feedback } : {}) });
    i = j;
  }
  return parts;
}

function noCorrectAnswer(): GiftProblem {
  return new GiftProblem('Không có đáp án đúng.', 'No correct answer.');
}

function emptyAnswer(index: number): GiftProblem {
  return new GiftProblem(`Đáp án thứ ${index + 1} trống.`, `Answer ${index + 1} is empty.`);
}

type Base = Pick<QuestionDefinition, 'text' | 'points' | 'tags' | 'category' | 'title' | 'generalFeedback'>;

function choiceQuestion(base: Base, block: string): SingleChoiceQuestion | MultipleChoiceQuestion {
  const parts = splitAnswers(block, '=~');
  if (parts.length < 2) throw new GiftProblem('Câu trắc nghiệm cần ít nhất 2 phương án.', 'A choice question needs at least 2 answers.');
  const used = new Set<string>();
  const options: ChoiceOption[] = parts.map((p, i) => {
    if (!p.text) throw emptyAnswer(i);
    const fraction = p.weight ?? (p.marker === '=' ? 1 : 0);
    return { id: stableId('o', p.text, used), text: p.text, fraction, ...(p.feedback ? { feedback: p.feedback } : {}) };
  });
  if (!options.some((o) => o.fraction > 0)) throw noCorrectAnswer();
  const equals = parts.filter((p) => p.marker === '=').length;
  if (equals === 1) return { ...base, type: QuestionType.SingleChoice, options };
  return { ...base, type: QuestionType.MultipleChoice, options, partialCredit: equals === 0 };
}

function matchingQuestion(base: Base, block: string): MatchingQuestion {
  const parts = splitAnswers(block, '=');
  const used = new Set<string>();
  const pairs: MatchingQuestion['pairs'] = [];
  const distractors: string[] = [];
  for (const p of parts) {
    const arrow = p.text.indexOf('->');
    if (arrow === -1) {
      throw new GiftProblem(`Mỗi cặp ghép đôi phải có dạng "=vế trái -> vế phải" ("${p.text}").`, `Every matching pair must read "=prompt -> answer" ("${p.text}").`);
    }
    const prompt = p.text.slice(0, arrow).trim();
    const answer = p.text.slice(arrow + 2).trim();
    if (!answer) throw new GiftProblem(`Cặp "${prompt}" thiếu vế phải.`, `Pair "${prompt}" has no answer.`);
    if (prompt) pairs.push({ id: stableId('p', prompt, used), prompt, answer });
    else distractors.push(answer);
  }
  if (pairs.length < 2) throw new GiftProblem('Câu ghép đôi cần ít nhất 2 cặp.', 'A matching question needs at least 2 pairs.');
  return { ...base, type: QuestionType.Matching, pairs, distractors };
}

function trueFalseQuestion(base: Base, block: string): TrueFalseQuestion {
  const [answer, wrong, right] = block.split('#').map(clean);
  const correct = ['T', 'TRUE'].includes(answer.toUpperCase());
  const [feedbackTrue, feedbackFalse] = correct ? [right, wrong] : [wrong, right];
  return {
    ...base,
    type: QuestionType.TrueFalse,
    correct,
    ...(feedbackTrue ? { feedbackTrue } : {}),
    ...(feedbackFalse ? { feedbackFalse } : {}),
  };
}

function shortAnswerQuestion(base: Base, block: string): ShortAnswerQuestion {
  const parts = splitAnswers(block, '=');
  const answers: ShortAnswer[] = parts.map((p, i) => {
    if (!p.text) throw emptyAnswer(i);
    return { text: p.text, fraction: p.weight ?? 1, ...(p.feedback ? { feedback: p.feedback } : {}) };
  });
  if (!answers.some((a) => a.fraction === 1)) throw noCorrectAnswer();
  return { ...base, type: QuestionType.ShortAnswer, answers, caseSensitive: false, ignoreDiacritics: false };
}

const TRUE_FALSE = /^(T|TRUE|F|FALSE)$/i;

/** Parses one question block (escapes already protected). */
function parseQuestion(raw: string, startLine: number, category: string | undefined): QuestionDefinition {
  const lineAt = (index: number) => startLine + (raw.slice(0, index).match(/\n/g)?.length ?? 0);
  let offset = 0;
  let title: string | undefined;
  if (raw.startsWith('::')) {
    const end = raw.indexOf('::', 2);
    if (end === -1) throw new GiftProblem('Tiêu đề "::" chưa được đóng bằng "::".', 'The "::" title is not closed with "::".');
    title = clean(raw.slice(2, end)) || undefined;
    offset = end + 2;
  }
  const open = raw.indexOf('{', offset);
  if (open === -1) {
    throw new GiftProblem(
      'Không có khối đáp án {...}: câu mô tả (không có đáp án) chưa được hỗ trợ.',
      'No answer block {...}: description items (no answers) are not supported.',
    );
  }
  const close = raw.indexOf('}', open + 1);
  const reopen = raw.indexOf('{', open + 1);
  if (close === -1 || (reopen !== -1 && reopen < close)) {
    const line = lineAt(open);
    throw new GiftProblem(`Dấu { ở dòng ${line} chưa được đóng bằng }.`, `The { on line ${line} is not closed with }.`, line);
  }
  if (raw.indexOf('{', close + 1) !== -1) {
    throw new GiftProblem('Câu hỏi có nhiều hơn một khối đáp án {...}.', 'The question has more than one answer block {...}.');
  }
  const before = raw.slice(offset, open).replace(FORMAT_PREFIX, '');
  const after = raw.slice(close + 1);
  const text = restore(after.trim() ? `${before}_____${after}` : before).trim();

  let block = raw.slice(open + 1, close).trim();
  let generalFeedback: string | undefined;
  const gf = block.lastIndexOf('####');
  if (gf !== -1) {
    generalFeedback = clean(block.slice(gf + 4)) || undefined;
    block = block.slice(0, gf).trim();
  }
  const base: Base = {
    text,
    points: 1,
    tags: [],
    ...(category ? { category } : {}),
    ...(title ? { title } : {}),
    ...(generalFeedback ? { generalFeedback } : {}),
  };

  if (block === '') {
    throw new GiftProblem('Khối đáp án trống {}: câu tự luận chưa được hỗ trợ.', 'Empty answer block {}: essay questions are not supported.');
  }
  if (block.startsWith('#')) {
    throw new GiftProblem('Câu hỏi dạng số {#...} chưa được hỗ trợ.', 'Numerical questions {#...} are not supported.');
  }
  if (block.includes('~')) return choiceQuestion(base, block);
  if (block.includes('=') && block.includes('->')) return matchingQuestion(base, block);
  const hash = block.indexOf('#');
  if (TRUE_FALSE.test((hash === -1 ? block : block.slice(0, hash)).trim())) return trueFalseQuestion(base, block);
  return shortAnswerQuestion(base, block);
}

/** `$course$/top/An toàn/Cơ bản` → `An toàn/Cơ bản`; empty → no category. */
function parseCategory(value: string): string | undefined {
  const path = value
    .trim()
    .replace(/^\$(course|system|module|cat\d+)\$\/?/i, '')
    .replace(/^top(\/|$)/i, '')
    .split('/')
    .map((s) => s.trim())
    .filter(Boolean)
    .join('/');
  return path || undefined;
}

export function parseGift(text: string): ImportResult {
  const result: ImportResult = { questions: [], errors: [] };
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  let category: string | undefined;
  let block: string[] = [];
  let blockStart = 0;

  const flush = () => {
    // $CATEGORY lines at the head of a block set the category for what follows.
    while (block.length && /^\s*\$CATEGORY:/i.test(block[0])) {
      category = parseCategory(block[0].replace(/^\s*\$CATEGORY:/i, ''));
      block.shift();
      blockStart++;
    }
    if (block.length === 0) return;
    const line = blockStart;
    try {
      const definition = parseQuestion(protectEscapes(block.join('\n').trim()), line, category);
      const problems = definitionErrors(definition, line);
      if (problems.length) result.errors.push(...problems);
      else result.questions.push({ line, definition });
    } catch (e) {
      if (!(e instanceof GiftProblem)) throw e;
      result.errors.push({ line: e.line ?? line, message: e.vi, messageEn: e.en });
    }
    block = [];
  };

  lines.forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed.startsWith('//')) return;
    if (trimmed === '') {
      flush();
      return;
    }
    if (block.length === 0) blockStart = index + 1;
    block.push(raw);
  });
  flush();
  return result;
}

// ---------------------------------------------------------------------------------------------
// Export

export interface GiftExport {
  text: string;
  /** Questions GIFT cannot express (ordering), described for the user. */
  skipped: string[];
  /** Their positions in the input. */
  skippedIndexes: number[];
  /** Settings GIFT cannot carry (points, tags, case/diacritics options, all-or-nothing with one answer). */
  warnings: string[];
}

const escapeGift = (s: string) => s.replace(/\\/g, '\\\\').replace(/[~=#{}:]/g, '\\$&').replace(/\r?\n/g, '\\n');

function percent(fraction: number): string {
  return String(Math.round(fraction * 100 * 100000) / 100000);
}

function feedbackSuffix(feedback: string | undefined): string {
  return feedback ? `#${escapeGift(feedback)}` : '';
}

function answerLines(def: QuestionDefinition): string[] | string {
  switch (def.type) {
    case QuestionType.SingleChoice:
      return def.options.map((o) => `${o.fraction === 1 ? '=' : o.fraction === 0 ? '~' : `~%${percent(o.fraction)}%`}${escapeGift(o.text)}${feedbackSuffix(o.feedback)}`);
    case QuestionType.MultipleChoice:
      return def.options.map((o) => {
        const marker = def.partialCredit ? (o.fraction === 0 ? '~' : `~%${percent(o.fraction)}%`) : o.fraction > 0 ? '=' : '~';
        return `${marker}${escapeGift(o.text)}${feedbackSuffix(o.feedback)}`;
      });
    case QuestionType.TrueFalse: {
      const [right, wrong] = def.correct ? [def.feedbackTrue, def.feedbackFalse] : [def.feedbackFalse, def.feedbackTrue];
      const feedback = right ? `#${escapeGift(wrong ?? '')}#${escapeGift(right)}` : wrong ? `#${escapeGift(wrong)}` : '';
      return `${def.correct ? 'TRUE' : 'FALSE'}${feedback}`;
    }
    case QuestionType.ShortAnswer:
      return def.answers.map((a) => `=${a.fraction === 1 ? '' : `%${percent(a.fraction)}%`}${escapeGift(a.text)}${feedbackSuffix(a.feedback)}`);
    case QuestionType.Matching:
      return [...def.pairs.map((p) => `=${escapeGift(p.prompt)} -> ${escapeGift(p.answer)}`), ...(def.distractors ?? []).map((d) => `= -> ${escapeGift(d)}`)];
    case QuestionType.Ordering:
      return [];
  }
}

function describe(def: QuestionDefinition, index: number): string {
  const label = def.title || def.text.replace(/\s+/g, ' ').slice(0, 60);
  return `#${index + 1} "${label}" (${def.type})`;
}

/** Writes GIFT. Ordering questions cannot be expressed in GIFT: they are skipped and listed. */
export function toGift(definitions: readonly QuestionDefinition[]): GiftExport {
  const out: string[] = [];
  const skipped: string[] = [];
  const skippedIndexes: number[] = [];
  const warnings: string[] = [];
  let category: string | undefined;
  definitions.forEach((def, index) => {
    if (def.type === QuestionType.Ordering) {
      skipped.push(describe(def, index));
      skippedIndexes.push(index);
      return;
    }
    if (pointsOf(def) !== 1) warnings.push(`${describe(def, index)}: points (${pointsOf(def)}) are not kept in GIFT`);
    if (def.tags?.length) warnings.push(`${describe(def, index)}: tags are not kept in GIFT`);
    if (def.type === QuestionType.ShortAnswer && (def.caseSensitive || def.ignoreDiacritics)) {
      warnings.push(`${describe(def, index)}: case/diacritics settings are not kept in GIFT`);
    }
    if (def.type === QuestionType.MultipleChoice && !def.partialCredit && def.options.filter((o) => o.fraction > 0).length === 1) {
      warnings.push(`${describe(def, index)}: all-or-nothing with one right answer comes back as single choice`);
    }
    if ((def.category || undefined) !== category) {
      category = def.category || undefined;
      out.push(`$CATEGORY: ${category ?? ''}`, '');
    }
    const title = def.title ? `::${escapeGift(def.title)}::` : '';
    const answers = answerLines(def);
    const gf = def.generalFeedback ? `####${escapeGift(def.generalFeedback)}` : '';
    const block = typeof answers === 'string' ? `{${answers}${gf}}` : `{\n${[...answers, ...(gf ? [gf] : [])].map((a) => `\t${a}`).join('\n')}\n}`;
    const blank = def.text.indexOf('_____');
    const missingWord = blank !== -1 && def.text.slice(blank + 5).trim() !== '';
    const body = missingWord
      ? `${escapeGift(def.text.slice(0, blank))}${block}${escapeGift(def.text.slice(blank + 5))}`
      : `${escapeGift(def.text)} ${block}`;
    out.push(`${title}[markdown]${body}`, '');
  });
  return { text: out.join('\n'), skipped, skippedIndexes, warnings };
}
