import type { Table } from '@dxtrain/server/spreadsheets';
import {
  ChoiceOption,
  MatchingQuestion,
  OrderingQuestion,
  QuestionDefinition,
  QuestionType,
  ShortAnswer,
} from '@dxtrain/shared/contracts';
import { foldVietnamese } from '@dxtrain/shared/vietnamese';
import { definitionErrors, ImportError, ImportResult } from './import-result';
import { round7, stableId } from './util';

/**
 * Question banks kept in Excel/CSV: one question per row. Headers may be written in Vietnamese
 * or English (`Loại câu hỏi` or `type`, case, diacritics and punctuation ignored; `Loại câu hỏi
 * (type)` works too). Only the question column is required.
 *
 * - type: `Một lựa chọn|single_choice`, `Nhiều lựa chọn|multiple_choice`, `Đúng/Sai|true_false`,
 *   `Trả lời ngắn|short_answer`, `Ghép đôi|matching`, `Sắp xếp|ordering`; when blank it is
 *   inferred (Đúng/Sai answer → true/false; one letter → single; several → multiple; no options
 *   → short answer).
 * - options A..F: choice texts; matching `prompt => answer` (`=> answer` alone adds a wrong
 *   answer); ordering: the items in the correct order.
 * - correct: `A`, `A,C` (also `A;C`, `AC`); `Đúng`/`Sai`/TRUE/FALSE; for short answer the
 *   accepted texts separated by `|` (`*` wildcard allowed).
 * - multiple choice with partial credit (the default): each right option is worth 1/(right
 *   options) and each wrong one −1/(wrong options), so ticking every box scores 0; without
 *   partial credit the exact set of right options is needed.
 */

export type QuestionColumn =
  | 'type'
  | 'category'
  | 'title'
  | 'question'
  | 'option_a'
  | 'option_b'
  | 'option_c'
  | 'option_d'
  | 'option_e'
  | 'option_f'
  | 'correct'
  | 'points'
  | 'partial_credit'
  | 'ignore_diacritics'
  | 'feedback'
  | 'tags';

export interface QuestionTemplateHeader {
  key: QuestionColumn;
  /** The header in the template (Vietnamese). */
  vi: string;
  /** English alias. */
  en: string;
  /** Other accepted spellings. */
  aliases?: string[];
}

const OPTION_LETTERS = ['A', 'B', 'C', 'D', 'E', 'F'] as const;

export const QUESTION_TEMPLATE_HEADERS: readonly QuestionTemplateHeader[] = [
  { key: 'type', vi: 'Loại câu hỏi', en: 'type', aliases: ['Loại', 'question_type'] },
  { key: 'category', vi: 'Danh mục', en: 'category', aliases: ['Chủ đề'] },
  { key: 'title', vi: 'Tiêu đề', en: 'title', aliases: ['Tên câu hỏi', 'name'] },
  { key: 'question', vi: 'Nội dung câu hỏi', en: 'question', aliases: ['Câu hỏi', 'text', 'question_text'] },
  ...OPTION_LETTERS.map((l) => ({ key: `option_${l.toLowerCase()}` as QuestionColumn, vi: `Phương án ${l}`, en: `option_${l.toLowerCase()}`, aliases: [`Đáp án ${l}`, l] })),
  { key: 'correct', vi: 'Đáp án đúng', en: 'correct', aliases: ['Đáp án', 'answer', 'correct_answer'] },
  { key: 'points', vi: 'Điểm', en: 'points', aliases: ['mark', 'marks', 'score'] },
  { key: 'partial_credit', vi: 'Tính điểm từng phần', en: 'partial_credit' },
  { key: 'ignore_diacritics', vi: 'Bỏ qua dấu', en: 'ignore_diacritics', aliases: ['Không phân biệt dấu'] },
  { key: 'feedback', vi: 'Phản hồi', en: 'feedback', aliases: ['Giải thích', 'general_feedback'] },
  { key: 'tags', vi: 'Thẻ', en: 'tags', aliases: ['Từ khóa'] },
];

/** Lower-case, no diacritics, letters and digits only: "Loại câu hỏi" → "loaicauhoi". */
const compact = (value: string) => foldVietnamese(value).replace(/[^a-z0-9]/g, '');

const HEADER_LOOKUP = new Map<string, QuestionColumn>();
for (const h of QUESTION_TEMPLATE_HEADERS) for (const name of [h.vi, h.en, ...(h.aliases ?? [])]) HEADER_LOOKUP.set(compact(name), h.key);

function headerKey(header: string): QuestionColumn | undefined {
  const whole = HEADER_LOOKUP.get(compact(header));
  if (whole) return whole;
  // "Loại câu hỏi (type)", "Loại câu hỏi|type", "Loại câu hỏi / type"
  for (const part of header.split(/[|()/]/)) {
    const key = HEADER_LOOKUP.get(compact(part));
    if (key) return key;
  }
  return undefined;
}

const TYPE_NAMES: Record<string, QuestionType> = {};
const typeAliases: Array<[QuestionType, string[]]> = [
  [QuestionType.SingleChoice, ['Một lựa chọn', 'single_choice', 'single', 'Trắc nghiệm', 'Trắc nghiệm một đáp án', 'mc']],
  [QuestionType.MultipleChoice, ['Nhiều lựa chọn', 'multiple_choice', 'multiple', 'Trắc nghiệm nhiều đáp án', 'multi']],
  [QuestionType.TrueFalse, ['Đúng/Sai', 'true_false', 'truefalse', 'tf']],
  [QuestionType.ShortAnswer, ['Trả lời ngắn', 'short_answer', 'short', 'Điền từ']],
  [QuestionType.Matching, ['Ghép đôi', 'matching', 'match', 'Nối']],
  [QuestionType.Ordering, ['Sắp xếp', 'ordering', 'order']],
];
for (const [type, names] of typeAliases) for (const n of names) TYPE_NAMES[compact(n)] = type;

const TRUE_WORDS = new Set(['dung', 'd', 'true', 't', '1', 'x', 'yes', 'y', 'co', 'c']);
const FALSE_WORDS = new Set(['sai', 's', 'false', 'f', '0', 'no', 'n', 'khong', 'k']);

function parseBoolean(value: string): boolean | null {
  const c = compact(value);
  if (TRUE_WORDS.has(c)) return true;
  if (FALSE_WORDS.has(c)) return false;
  return null;
}

function parseTrueFalseAnswer(value: string): boolean | null {
  const c = compact(value);
  if (['dung', 'd', 'true', 't'].includes(c)) return true;
  if (['sai', 's', 'false', 'f'].includes(c)) return false;
  return null;
}

/** "A,C" / "A; C" / "AC" / "a c" → ['A', 'C']; null if anything else is in there. */
function parseLetters(value: string): string[] | null {
  const letters = value.toUpperCase().replace(/[\s,;.+&]+/g, '');
  if (!/^[A-F]+$/.test(letters)) return null;
  return [...new Set(letters.split(''))];
}

class RowProblem extends Error {
  constructor(
    readonly key: QuestionColumn,
    readonly vi: string,
    readonly en: string,
  ) {
    super(en);
  }
}

const DEFAULT_HEADER_NAME = new Map(QUESTION_TEMPLATE_HEADERS.map((h) => [h.key, h.vi]));

/**
 * Reads a question bank table (the output of `parseCsv`, `readXlsx` or `readTable`). Errors carry
 * the spreadsheet row (`line`) and the column header as written in the file.
 */
export function importQuestionTable(table: Table): ImportResult {
  const result: ImportResult = { questions: [], errors: [] };
  const column = new Map<QuestionColumn, number>();
  const headerName = new Map<QuestionColumn, string>();
  table.headers.forEach((h, i) => {
    const key = headerKey(h);
    if (key && !column.has(key)) {
      column.set(key, i);
      headerName.set(key, h);
    }
  });
  const nameOf = (key: QuestionColumn) => headerName.get(key) ?? DEFAULT_HEADER_NAME.get(key) ?? key;

  if (!column.has('question')) {
    result.errors.push({
      line: 1,
      column: 'Nội dung câu hỏi',
      message: 'Không tìm thấy cột "Nội dung câu hỏi" (question) ở dòng tiêu đề: hãy dùng tệp mẫu.',
      messageEn: 'No "Nội dung câu hỏi" (question) column in the header row: use the template.',
    });
    return result;
  }

  for (const row of table.rows) {
    const get = (key: QuestionColumn) => {
      const i = column.get(key);
      return i === undefined ? '' : (row.cells[i] ?? '').trim();
    };
    try {
      const definition = buildQuestion(get);
      if (!definition) continue;
      const problems = definitionErrors(definition, row.rowNumber);
      if (problems.length) result.errors.push(...problems);
      else result.questions.push({ line: row.rowNumber, definition });
    } catch (e) {
      if (!(e instanceof RowProblem)) throw e;
      result.errors.push({ line: row.rowNumber, column: nameOf(e.key), message: e.vi, messageEn: e.en } satisfies ImportError);
    }
  }
  return result;
}

function buildQuestion(get: (key: QuestionColumn) => string): QuestionDefinition | null {
  const text = get('question');
  const options = OPTION_LETTERS.map((letter) => ({ letter, key: `option_${letter.toLowerCase()}` as QuestionColumn, text: get(`option_${letter.toLowerCase()}` as QuestionColumn) })).filter(
    (o) => o.text !== '',
  );
  const correct = get('correct');
  const typeCell = get('type');
  if (!text) {
    if (!typeCell && !correct && options.length === 0) return null; // a row of notes (category, tags) only: not a question
    throw new RowProblem('question', 'Nội dung câu hỏi trống.', 'The question text is empty.');
  }

  let type: QuestionType | undefined;
  if (typeCell) {
    type = TYPE_NAMES[compact(typeCell)];
    if (!type) {
      throw new RowProblem(
        'type',
        `Loại câu hỏi không hợp lệ: "${typeCell}". Dùng: Một lựa chọn, Nhiều lựa chọn, Đúng/Sai, Trả lời ngắn, Ghép đôi, Sắp xếp.`,
        `Unknown question type "${typeCell}". Use: single_choice, multiple_choice, true_false, short_answer, matching, ordering.`,
      );
    }
  } else if (options.length === 0 && parseTrueFalseAnswer(correct) !== null) {
    type = QuestionType.TrueFalse;
  } else if (options.length === 0) {
    type = QuestionType.ShortAnswer;
  } else {
    const letters = parseLetters(correct);
    if (!letters) throw new RowProblem('type', 'Thiếu loại câu hỏi.', 'The question type is missing.');
    type = letters.length > 1 ? QuestionType.MultipleChoice : QuestionType.SingleChoice;
  }

  const pointsCell = get('points');
  let points = 1;
  if (pointsCell) {
    points = Number(pointsCell.replace(',', '.'));
    if (!Number.isFinite(points) || points <= 0 || points > 1000) {
      throw new RowProblem('points', `Điểm không hợp lệ: "${pointsCell}" (cần số lớn hơn 0).`, `Invalid points "${pointsCell}" (a number above 0 is needed).`);
    }
  }
  const flag = (key: QuestionColumn, fallback: boolean) => {
    const cell = get(key);
    if (!cell) return fallback;
    const value = parseBoolean(cell);
    if (value === null) throw new RowProblem(key, `Giá trị "${cell}" không hợp lệ: dùng Có/Không.`, `Invalid value "${cell}": use yes/no.`);
    return value;
  };
  const category = get('category');
  const title = get('title');
  const feedback = get('feedback');
  const tags = get('tags')
    .split(/[,;]/)
    .map((t) => t.trim())
    .filter(Boolean);
  const base = {
    text,
    points,
    tags,
    ...(category ? { category } : {}),
    ...(title ? { title } : {}),
    ...(feedback ? { generalFeedback: feedback } : {}),
  };

  switch (type) {
    case QuestionType.SingleChoice:
    case QuestionType.MultipleChoice: {
      if (options.length < 2) throw new RowProblem('option_b', 'Cần ít nhất 2 phương án (A, B).', 'At least 2 options (A, B) are needed.');
      const letters = parseLetters(correct);
      if (!correct) throw new RowProblem('correct', 'Thiếu đáp án đúng.', 'The correct answer is missing.');
      if (!letters) throw new RowProblem('correct', `Đáp án đúng "${correct}" không hợp lệ: ghi chữ cái, ví dụ A hoặc A,C.`, `Invalid correct answer "${correct}": write letters, e.g. A or A,C.`);
      const missing = letters.filter((l) => !options.some((o) => o.letter === l));
      if (missing.length) {
        throw new RowProblem('correct', `Đáp án ${missing.join(', ')} không có phương án tương ứng.`, `Answer ${missing.join(', ')} has no matching option.`);
      }
      const used = new Set<string>();
      if (type === QuestionType.SingleChoice) {
        if (letters.length !== 1) {
          throw new RowProblem('correct', 'Câu một lựa chọn chỉ có một đáp án đúng.', 'A single-choice question has exactly one correct answer.');
        }
        const choices: ChoiceOption[] = options.map((o) => ({ id: stableId('o', o.text, used), text: o.text, fraction: letters.includes(o.letter) ? 1 : 0 }));
        return { ...base, type, options: choices };
      }
      const partialCredit = flag('partial_credit', true);
      const right = letters.length;
      const wrong = options.length - right;
      const choices: ChoiceOption[] = options.map((o) => ({
        id: stableId('o', o.text, used),
        text: o.text,
        fraction: letters.includes(o.letter) ? round7(partialCredit ? 1 / right : 1) : partialCredit && wrong > 0 ? round7(-1 / wrong) : 0,
      }));
      return { ...base, type, options: choices, partialCredit };
    }
    case QuestionType.TrueFalse: {
      const value = parseTrueFalseAnswer(correct);
      if (value === null) throw new RowProblem('correct', `Đáp án "${correct}" không hợp lệ: ghi Đúng hoặc Sai.`, `Invalid answer "${correct}": write TRUE or FALSE.`);
      return { ...base, type, correct: value };
    }
    case QuestionType.ShortAnswer: {
      const answers: ShortAnswer[] = correct
        .split('|')
        .map((t) => t.trim())
        .filter(Boolean)
        .map((t) => ({ text: t, fraction: 1 }));
      if (answers.length === 0) {
        throw new RowProblem('correct', 'Thiếu đáp án: ghi các đáp án được chấp nhận, cách nhau bởi |.', 'No accepted answer: write the accepted answers separated by |.');
      }
      return { ...base, type, answers, caseSensitive: false, ignoreDiacritics: flag('ignore_diacritics', false) };
    }
    case QuestionType.Matching: {
      const used = new Set<string>();
      const pairs: MatchingQuestion['pairs'] = [];
      const distractors: string[] = [];
      for (const o of options) {
        const m = /^(.*?)\s*(=>|->)\s*(.*)$/s.exec(o.text);
        if (!m || !m[3].trim()) {
          throw new RowProblem(o.key, `Phương án ${o.letter} phải có dạng "vế trái => vế phải".`, `Option ${o.letter} must read "prompt => answer".`);
        }
        const prompt = m[1].trim();
        if (prompt) pairs.push({ id: stableId('p', prompt, used), prompt, answer: m[3].trim() });
        else distractors.push(m[3].trim());
      }
      if (pairs.length < 2) throw new RowProblem('option_b', 'Câu ghép đôi cần ít nhất 2 cặp.', 'A matching question needs at least 2 pairs.');
      return { ...base, type, pairs, distractors };
    }
    case QuestionType.Ordering: {
      if (options.length < 2) throw new RowProblem('option_b', 'Câu sắp xếp cần ít nhất 2 mục (A, B).', 'An ordering question needs at least 2 items (A, B).');
      const used = new Set<string>();
      const items: OrderingQuestion['items'] = options.map((o) => ({ id: stableId('i', o.text, used), text: o.text }));
      return { ...base, type, items, partialCredit: flag('partial_credit', true) };
    }
  }
}

/** The downloadable template: Vietnamese headers and three example rows. */
export function questionTemplate(): { headers: string[]; rows: string[][] } {
  const headers = QUESTION_TEMPLATE_HEADERS.map((h) => h.vi);
  const row = (values: Partial<Record<QuestionColumn, string>>) => QUESTION_TEMPLATE_HEADERS.map((h) => values[h.key] ?? '');
  return {
    headers,
    rows: [
      row({
        type: 'Một lựa chọn',
        category: 'Chuyển đổi số/Cơ bản',
        question: 'Đề án 1690 về bồi dưỡng chuyển đổi số được phê duyệt năm nào?',
        option_a: '2021',
        option_b: '2022',
        option_c: '2023',
        option_d: '2024',
        correct: 'C',
        points: '1',
        feedback: 'Quyết định 1690/QĐ-TTg ngày 26/12/2023.',
      }),
      row({
        type: 'Nhiều lựa chọn',
        category: 'Chuyển đổi số/Cơ bản',
        question: 'Những nền tảng nào là nền tảng số quốc gia?',
        option_a: 'Ứng dụng VNeID',
        option_b: 'Cổng Dịch vụ công quốc gia',
        option_c: 'Phần mềm bảng tính',
        correct: 'A,B',
        points: '2',
        partial_credit: 'Có',
      }),
      row({
        type: 'Trả lời ngắn',
        category: 'An toàn thông tin',
        question: 'Cơ quan nào chủ trì bảo vệ dữ liệu cá nhân ở tỉnh?',
        correct: 'Công an tỉnh|Công an',
        ignore_diacritics: 'Có',
        tags: 'dữ liệu cá nhân, an ninh mạng',
      }),
    ],
  };
}
