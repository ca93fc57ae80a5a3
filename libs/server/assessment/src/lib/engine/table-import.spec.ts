import { parseCsv, readXlsx, Table, toCsv, writeXlsx } from '@dxtrain/server/spreadsheets';
import { QuestionType } from '@dxtrain/shared/contracts';
import { grade } from './grading';
import { importQuestionTable, QUESTION_TEMPLATE_HEADERS, questionTemplate } from './table-import';

const table = (headers: string[], rows: string[][]): Table => ({ headers, rows: rows.map((cells, i) => ({ rowNumber: i + 2, cells })) });

describe('importQuestionTable', () => {
  it('imports the downloadable template through CSV and through XLSX', async () => {
    const t = questionTemplate();
    expect(t.rows).toHaveLength(3);
    expect(t.headers).toEqual(QUESTION_TEMPLATE_HEADERS.map((h) => h.vi));
    const fromCsv = importQuestionTable(parseCsv(toCsv(t.headers, t.rows)));
    expect(fromCsv.errors).toEqual([]);
    expect(fromCsv.questions.map((q) => [q.line, q.definition.type])).toEqual([
      [2, QuestionType.SingleChoice],
      [3, QuestionType.MultipleChoice],
      [4, QuestionType.ShortAnswer],
    ]);
    const fromXlsx = importQuestionTable(await readXlsx(await writeXlsx([{ name: 'Câu hỏi', headers: t.headers, rows: t.rows }])));
    expect(fromXlsx).toEqual(fromCsv);
    expect(fromCsv.questions[2].definition).toEqual({
      type: QuestionType.ShortAnswer,
      text: 'Cơ quan nào chủ trì bảo vệ dữ liệu cá nhân ở tỉnh?',
      category: 'An toàn thông tin',
      points: 1,
      tags: ['dữ liệu cá nhân', 'an ninh mạng'],
      answers: [
        { text: 'Công an tỉnh', fraction: 1 },
        { text: 'Công an', fraction: 1 },
      ],
      caseSensitive: false,
      ignoreDiacritics: true,
    });
    expect(grade(fromCsv.questions[2].definition, { text: 'cong an tinh' })).toMatchObject({ fraction: 1 });
  });

  it('accepts English headers and type names, and every question type', () => {
    const r = importQuestionTable(
      table(
        ['type', 'question', 'option_a', 'option_b', 'option_c', 'correct', 'points', 'partial_credit', 'feedback'],
        [
          ['single_choice', 'Q1', 'x', 'y', '', 'B', '2,5', '', 'fb'],
          ['multiple_choice', 'Q2', 'x', 'y', 'z', 'A;C', '', '', ''],
          ['multiple_choice', 'Q3', 'x', 'y', 'z', 'AC', '', 'no', ''],
          ['true_false', 'Q4', '', '', '', 'FALSE', '', '', ''],
          ['matching', 'Q5', 'Sở Nội vụ => Nhân sự', 'Sở Tài chính -> Kinh phí', '=> Hộ chiếu', '', '', '', ''],
          ['ordering', 'Q6', 'Bước 1', 'Bước 2', 'Bước 3', '', '', 'Không', ''],
        ],
      ),
    );
    expect(r.errors).toEqual([]);
    const [q1, q2, q3, q4, q5, q6] = r.questions.map((q) => q.definition);
    expect(q1).toMatchObject({ type: QuestionType.SingleChoice, points: 2.5, generalFeedback: 'fb', options: [{ text: 'x', fraction: 0 }, { text: 'y', fraction: 1 }] });
    // Partial credit by default: right options share 100%, wrong ones share −100%.
    expect(q2).toMatchObject({ type: QuestionType.MultipleChoice, partialCredit: true, options: [{ fraction: 0.5 }, { fraction: -1 }, { fraction: 0.5 }] });
    expect(q3).toMatchObject({ type: QuestionType.MultipleChoice, partialCredit: false, options: [{ fraction: 1 }, { fraction: 0 }, { fraction: 1 }] });
    expect(q4).toMatchObject({ type: QuestionType.TrueFalse, correct: false });
    expect(q5).toMatchObject({
      type: QuestionType.Matching,
      pairs: [
        { prompt: 'Sở Nội vụ', answer: 'Nhân sự' },
        { prompt: 'Sở Tài chính', answer: 'Kinh phí' },
      ],
      distractors: ['Hộ chiếu'],
    });
    expect(q6).toMatchObject({ type: QuestionType.Ordering, partialCredit: false, items: [{ text: 'Bước 1' }, { text: 'Bước 2' }, { text: 'Bước 3' }] });
  });

  it('matches headers whatever the case, diacritics or "(english)" suffix, and infers a blank type', () => {
    const r = importQuestionTable(
      table(
        ['LOAI CAU HOI', 'Nội dung câu hỏi (question)', 'Phương án A|option_a', 'phuong an b', 'Đáp án đúng', 'Ghi chú riêng'],
        [
          ['', 'Có phải Hà Nội?', '', '', 'Đúng', 'bỏ qua'],
          ['', 'Chọn một', 'x', 'y', 'A', ''],
          ['', 'Chọn hai', 'x', 'y', 'A,B', ''],
          ['', 'Điền', '', '', 'Hà Nội|Ha Noi', ''],
          ['Đúng/Sai', 'Sai?', '', '', 'S', ''],
        ],
      ),
    );
    expect(r.errors).toEqual([]);
    expect(r.questions.map((q) => q.definition.type)).toEqual([
      QuestionType.TrueFalse,
      QuestionType.SingleChoice,
      QuestionType.MultipleChoice,
      QuestionType.ShortAnswer,
      QuestionType.TrueFalse,
    ]);
  });

  it('reports errors with the spreadsheet row and the column as written in the file', () => {
    const headers = ['Loại câu hỏi', 'Nội dung câu hỏi', 'Phương án A', 'Phương án B', 'Đáp án đúng', 'Điểm', 'Tính điểm từng phần'];
    const r = importQuestionTable({
      headers,
      rows: [
        { rowNumber: 2, cells: ['Một lựa chọn', 'Hợp lệ', 'x', 'y', 'A', '', ''] },
        { rowNumber: 3, cells: ['Một lựa chọn', 'Đáp án ngoài', 'x', 'y', 'D', '', ''] },
        { rowNumber: 5, cells: ['Tự luận', 'Loại lạ', '', '', '', '', ''] },
        { rowNumber: 6, cells: ['Một lựa chọn', '', 'x', 'y', 'A', '', ''] },
        { rowNumber: 7, cells: ['Một lựa chọn', 'Điểm sai', 'x', 'y', 'A', 'mười', ''] },
        { rowNumber: 8, cells: ['Đúng/Sai', 'TF lạ', '', '', 'Có lẽ', '', ''] },
        { rowNumber: 9, cells: ['Nhiều lựa chọn', 'Cờ lạ', 'x', 'y', 'A', '', 'hmm'] },
        { rowNumber: 10, cells: ['Ghép đôi', 'Ghép thiếu', 'a => 1', 'b', '', '', ''] },
        { rowNumber: 11, cells: ['Một lựa chọn', 'Hai đáp án', 'x', 'y', 'A,B', '', ''] },
        { rowNumber: 12, cells: ['Trả lời ngắn', 'Không đáp án', '', '', ' | ', '', ''] },
        { rowNumber: 13, cells: ['Một lựa chọn', 'Một phương án', 'x', '', 'A', '', ''] },
      ],
    });
    expect(r.questions.map((q) => q.line)).toEqual([2]);
    expect(r.errors.map((e) => [e.line, e.column, e.messageEn])).toEqual([
      [3, 'Đáp án đúng', 'Answer D has no matching option.'],
      [5, 'Loại câu hỏi', 'Unknown question type "Tự luận". Use: single_choice, multiple_choice, true_false, short_answer, matching, ordering.'],
      [6, 'Nội dung câu hỏi', 'The question text is empty.'],
      [7, 'Điểm', 'Invalid points "mười" (a number above 0 is needed).'],
      [8, 'Đáp án đúng', 'Invalid answer "Có lẽ": write TRUE or FALSE.'],
      [9, 'Tính điểm từng phần', 'Invalid value "hmm": use yes/no.'],
      [10, 'Phương án B', 'Option B must read "prompt => answer".'],
      [11, 'Đáp án đúng', 'A single-choice question has exactly one correct answer.'],
      [12, 'Đáp án đúng', 'No accepted answer: write the accepted answers separated by |.'],
      [13, 'Phương án B', 'At least 2 options (A, B) are needed.'],
    ]);
    expect(r.errors[0].message).toBe('Đáp án D không có phương án tương ứng.');
  });

  it('skips rows with nothing to import and reports a missing question column', () => {
    expect(importQuestionTable(table(['Nội dung câu hỏi', 'Danh mục'], [['', 'chỉ ghi chú']]))).toEqual({ questions: [], errors: [] });
    const r = importQuestionTable(table(['Họ tên', 'Email'], [['An', 'an@x.vn']]));
    expect(r.questions).toEqual([]);
    expect(r.errors).toEqual([
      {
        line: 1,
        column: 'Nội dung câu hỏi',
        message: 'Không tìm thấy cột "Nội dung câu hỏi" (question) ở dòng tiêu đề: hãy dùng tệp mẫu.',
        messageEn: 'No "Nội dung câu hỏi" (question) column in the header row: use the template.',
      },
    ]);
  });
});
