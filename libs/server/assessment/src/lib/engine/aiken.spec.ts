import { QuestionType, SingleChoiceQuestion } from '@dxtrain/shared/contracts';
import { parseAiken } from './aiken';

describe('parseAiken', () => {
  it('reads questions with "A." and "A)" options, multi-line text, with or without blank lines between', () => {
    const text = [
      'Cơ quan nào tổng hợp nhu cầu bồi dưỡng hằng năm?', // 1
      'A. Sở Tài chính',
      'B) Sở Nội vụ',
      'C. Công an tỉnh',
      'ANSWER: B', // 5
      'Đề án 1690 do ai phê duyệt?', // 6
      '(chọn một)',
      'A) Thủ tướng Chính phủ',
      'B) Bộ Nội vụ',
      'answer: a', // 10
      '',
      '\uFEFF',
    ].join('\r\n');
    const r = parseAiken(text);
    expect(r.errors).toEqual([]);
    expect(r.questions.map((q) => q.line)).toEqual([1, 6]);
    const first = r.questions[0].definition as SingleChoiceQuestion;
    expect(first).toEqual({
      type: QuestionType.SingleChoice,
      text: 'Cơ quan nào tổng hợp nhu cầu bồi dưỡng hằng năm?',
      points: 1,
      tags: [],
      options: [
        { id: expect.any(String), text: 'Sở Tài chính', fraction: 0 },
        { id: expect.any(String), text: 'Sở Nội vụ', fraction: 1 },
        { id: expect.any(String), text: 'Công an tỉnh', fraction: 0 },
      ],
    });
    expect(r.questions[1].definition).toMatchObject({ text: 'Đề án 1690 do ai phê duyệt?\n(chọn một)', options: [{ fraction: 1 }, { fraction: 0 }] });
  });

  it('accepts "ĐÁP ÁN:" as the answer line', () => {
    const r = parseAiken('Thủ đô?\nA. Hà Nội\nB. Huế\nĐÁP ÁN: A');
    expect(r.errors).toEqual([]);
    expect(r.questions).toHaveLength(1);
  });

  it('reports a missing ANSWER line, a letter not among the options and fewer than 2 options, and keeps the valid ones', () => {
    const text = [
      'Câu thiếu đáp án', // 1
      'A. x',
      'B. y',
      '', // 4
      'Câu đáp án lạ', // 5
      'A. x',
      'B. y',
      'ANSWER: D', // 8
      '',
      'Câu một phương án', // 10
      'A. x',
      'ANSWER: A',
      '',
      'Câu hợp lệ', // 14
      'A. x',
      'B. y',
      'ANSWER: B',
      '',
      'Câu cuối không có đáp án', // 19
      'A. x',
      'B. y',
    ].join('\n');
    const r = parseAiken(text);
    expect(r.questions.map((q) => q.line)).toEqual([14]);
    expect(r.errors).toEqual([
      { line: 1, message: 'Câu hỏi không có dòng "ANSWER: <chữ cái>".', messageEn: 'The question has no "ANSWER: <letter>" line.' },
      { line: 8, message: 'Đáp án "D" không nằm trong các phương án (A, B).', messageEn: 'Answer "D" is not one of the options (A, B).' },
      { line: 10, message: 'Câu hỏi cần ít nhất 2 phương án (có 1).', messageEn: 'The question needs at least 2 options (found 1).' },
      { line: 19, message: 'Câu hỏi không có dòng "ANSWER: <chữ cái>".', messageEn: 'The question has no "ANSWER: <letter>" line.' },
    ]);
  });

  it('reports duplicate letters, an empty answer, and an ANSWER line without a question', () => {
    const r = parseAiken('ANSWER: A\n\nCâu\nA. x\nA. y\nANSWER: A\n\nCâu 2\nA. x\nB. y\nANSWER:');
    expect(r.questions).toEqual([]);
    expect(r.errors.map((e) => [e.line, e.messageEn])).toEqual([
      [1, 'ANSWER line without a question.'],
      [5, 'Option A appears twice.'],
      [11, 'Answer "" is not one of the options (A, B).'],
    ]);
  });

  it('returns nothing for an empty file', () => {
    expect(parseAiken('')).toEqual({ questions: [], errors: [] });
  });
});
