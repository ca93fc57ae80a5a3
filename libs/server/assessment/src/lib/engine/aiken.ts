import { ChoiceOption, QuestionType, SingleChoiceQuestion } from '@dxtrain/shared/contracts';
import { definitionErrors, ImportError, ImportResult } from './import-result';
import { stableId } from './util';

/**
 * Moodle Aiken import: single-choice questions written as
 *
 *     Question text (one or more lines)
 *     A. option            (or "A) option")
 *     B. option
 *     ANSWER: B
 *
 * Blank lines between questions are optional (ANSWER ends a question). `ĐÁP ÁN: B` is accepted
 * as well as `ANSWER: B`. Errors carry the line number: no ANSWER line, an answer letter that
 * is not among the options, fewer than 2 options, a line that is neither option nor ANSWER
 * after the options, duplicate option letters.
 */

const OPTION = /^([A-Z])[.)]\s+(.*\S)\s*$/;
const ANSWER = /^(?:ANSWER|ĐÁP ÁN|DAP AN)\s*:\s*(.*?)\s*$/i;

interface Pending {
  line: number;
  text: string[];
  options: Array<{ letter: string; text: string; line: number }>;
  broken: boolean;
}

export function parseAiken(input: string): ImportResult {
  const result: ImportResult = { questions: [], errors: [] };
  const error = (line: number, message: string, messageEn: string) => result.errors.push({ line, message, messageEn } satisfies ImportError);
  let q: Pending | null = null;

  const abandon = () => {
    if (q && !q.broken) {
      error(q.line, 'Câu hỏi không có dòng "ANSWER: <chữ cái>".', 'The question has no "ANSWER: <letter>" line.');
    }
    q = null;
  };

  const finish = (current: Pending, letterRaw: string, line: number) => {
    if (current.broken) return;
    if (current.options.length < 2) {
      error(current.line, `Câu hỏi cần ít nhất 2 phương án (có ${current.options.length}).`, `The question needs at least 2 options (found ${current.options.length}).`);
      return;
    }
    const letter = letterRaw.toUpperCase();
    if (!/^[A-Z]$/.test(letter) || !current.options.some((o) => o.letter === letter)) {
      const letters = current.options.map((o) => o.letter).join(', ');
      error(line, `Đáp án "${letterRaw}" không nằm trong các phương án (${letters}).`, `Answer "${letterRaw}" is not one of the options (${letters}).`);
      return;
    }
    const used = new Set<string>();
    const options: ChoiceOption[] = current.options.map((o) => ({ id: stableId('o', o.text, used), text: o.text, fraction: o.letter === letter ? 1 : 0 }));
    const definition: SingleChoiceQuestion = { type: QuestionType.SingleChoice, text: current.text.join('\n').trim(), points: 1, tags: [], options };
    const problems = definitionErrors(definition, current.line);
    if (problems.length) result.errors.push(...problems);
    else result.questions.push({ line: current.line, definition });
  };

  const lines = input.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const text = raw.trim().normalize('NFC');
    if (text === '') return;
    const answer = ANSWER.exec(text);
    if (answer) {
      if (!q) error(line, 'Dòng ANSWER không thuộc câu hỏi nào.', 'ANSWER line without a question.');
      else finish(q, answer[1], line);
      q = null;
      return;
    }
    const option = OPTION.exec(text);
    if (option && q && q.text.length > 0) {
      if (q.options.some((o) => o.letter === option[1])) {
        error(line, `Phương án ${option[1]} bị lặp.`, `Option ${option[1]} appears twice.`);
        q.broken = true;
      }
      q.options.push({ letter: option[1], text: option[2], line });
      return;
    }
    if (q && q.options.length > 0) {
      // Text after the options without an ANSWER line: the previous question is unfinished,
      // and this line starts the next one.
      abandon();
    }
    if (!q) q = { line, text: [], options: [], broken: false };
    q.text.push(text);
  });
  if (q) abandon();
  result.errors.sort((a, b) => a.line - b.line);
  return result;
}
