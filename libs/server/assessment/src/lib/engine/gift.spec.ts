import { QuestionDefinition, QuestionType } from '@dxtrain/shared/contracts';
import { parseGift, toGift } from './gift';

const SAMPLE = `// Ngân hàng câu hỏi: Chuyển đổi số cơ bản
$CATEGORY: $course$/top/Chuyển đổi số/Cơ bản

::Thủ đô::[markdown]Thủ đô của **Việt Nam** là? {
  =Hà Nội#Chính xác
  ~Huế#Kinh đô thời Nguyễn
  ~%50%Thăng Long#Gần đúng: tên cũ
  ~%-100%Đà Nẵng
  ####Hà Nội là thủ đô từ năm 1010.
}

// Nhiều đáp án đúng, tính điểm từng phần
::Nền tảng::Những nền tảng số quốc gia? {
  ~%50%VNeID
  ~%50%Cổng Dịch vụ công quốc gia
  ~%-100%Microsoft Excel
}

Đề án 1690 được phê duyệt năm 2023.{TRUE#Sai rồi: xem lại Quyết định 1690#Đúng: ngày 26/12/2023}

::Sai::Huyện vẫn tồn tại sau 1/7/2025. {F}

Tên viết tắt của Sở Thông tin và Truyền thông là? {=Sở TT&TT =Sở TTTT =%50%TT&TT#Thiếu chữ Sở}

::Ghép::Ghép cơ quan với nhiệm vụ. {
  =Sở Nội vụ -> Tổng hợp nhu cầu đào tạo
  =Sở Tài chính -> Thẩm định kinh phí
  =Công an tỉnh -> Bảo vệ dữ liệu cá nhân
  = -> Cấp hộ chiếu
}

$CATEGORY: An toàn thông tin

Mật khẩu mạnh cần ít nhất {=12 ~4 ~6} ký tự.

Tỉ lệ 1\\:2, dấu \\{ngoặc\\} và \\= \\~ \\# được giữ.\\nDòng hai. {=a\\#b}
`;

describe('parseGift', () => {
  const { questions, errors } = parseGift(SAMPLE);
  const defs = questions.map((q) => q.definition);

  it('imports every supported question without errors', () => {
    expect(errors).toEqual([]);
    expect(questions.map((q) => q.line)).toEqual([4, 13, 19, 21, 23, 25, 34, 36]);
  });

  it('reads single choice with title, format prefix, feedback, weights and general feedback', () => {
    expect(defs[0]).toEqual({
      type: QuestionType.SingleChoice,
      title: 'Thủ đô',
      text: 'Thủ đô của **Việt Nam** là?',
      points: 1,
      tags: [],
      category: 'Chuyển đổi số/Cơ bản',
      generalFeedback: 'Hà Nội là thủ đô từ năm 1010.',
      options: [
        { id: expect.any(String), text: 'Hà Nội', fraction: 1, feedback: 'Chính xác' },
        { id: expect.any(String), text: 'Huế', fraction: 0, feedback: 'Kinh đô thời Nguyễn' },
        { id: expect.any(String), text: 'Thăng Long', fraction: 0.5, feedback: 'Gần đúng: tên cũ' },
        { id: expect.any(String), text: 'Đà Nẵng', fraction: -1 },
      ],
    });
    const ids = (defs[0] as { options: Array<{ id: string }> }).options.map((o) => o.id);
    expect(new Set(ids).size).toBe(4);
    expect(ids).not.toContain('a');
  });

  it('reads several positive weights as multiple choice with partial credit', () => {
    expect(defs[1]).toMatchObject({
      type: QuestionType.MultipleChoice,
      partialCredit: true,
      options: [
        { text: 'VNeID', fraction: 0.5 },
        { text: 'Cổng Dịch vụ công quốc gia', fraction: 0.5 },
        { text: 'Microsoft Excel', fraction: -1 },
      ],
    });
  });

  it('reads true/false with Moodle feedback order (#wrong#right)', () => {
    expect(defs[2]).toEqual({
      type: QuestionType.TrueFalse,
      text: 'Đề án 1690 được phê duyệt năm 2023.',
      points: 1,
      tags: [],
      category: 'Chuyển đổi số/Cơ bản',
      correct: true,
      feedbackTrue: 'Đúng: ngày 26/12/2023',
      feedbackFalse: 'Sai rồi: xem lại Quyết định 1690',
    });
    expect(defs[3]).toMatchObject({ type: QuestionType.TrueFalse, title: 'Sai', correct: false });
  });

  it('reads short answer with weights and feedback', () => {
    expect(defs[4]).toMatchObject({
      type: QuestionType.ShortAnswer,
      caseSensitive: false,
      ignoreDiacritics: false,
      answers: [
        { text: 'Sở TT&TT', fraction: 1 },
        { text: 'Sở TTTT', fraction: 1 },
        { text: 'TT&TT', fraction: 0.5, feedback: 'Thiếu chữ Sở' },
      ],
    });
  });

  it('reads matching with a distractor', () => {
    expect(defs[5]).toMatchObject({
      type: QuestionType.Matching,
      pairs: [
        { prompt: 'Sở Nội vụ', answer: 'Tổng hợp nhu cầu đào tạo' },
        { prompt: 'Sở Tài chính', answer: 'Thẩm định kinh phí' },
        { prompt: 'Công an tỉnh', answer: 'Bảo vệ dữ liệu cá nhân' },
      ],
      distractors: ['Cấp hộ chiếu'],
    });
  });

  it('keeps a blank for the missing-word format and applies the new category', () => {
    expect(defs[6]).toMatchObject({ type: QuestionType.SingleChoice, text: 'Mật khẩu mạnh cần ít nhất _____ ký tự.', category: 'An toàn thông tin' });
  });

  it('unescapes \\: \\{ \\} \\= \\~ \\# and \\n', () => {
    expect(defs[7]).toMatchObject({
      type: QuestionType.ShortAnswer,
      text: 'Tỉ lệ 1:2, dấu {ngoặc} và = ~ # được giữ.\nDòng hai.',
      answers: [{ text: 'a#b', fraction: 1 }],
    });
  });

  it('gives the same ids when the same file is imported twice', () => {
    expect(parseGift(SAMPLE).questions.map((q) => q.definition)).toEqual(defs);
  });
});

describe('parseGift errors', () => {
  it('reports unsupported types on their line and still imports the rest', () => {
    const text = [
      '::Số:: 2 + 2 = ? {#4}', // 1
      '', // 2
      'Viết cảm nghĩ của bạn. {}', // 3
      '', // 4
      'Đây chỉ là đoạn mô tả.', // 5
      '', // 6
      'Câu hợp lệ {T}', // 7
    ].join('\n');
    const r = parseGift(text);
    expect(r.questions.map((q) => q.line)).toEqual([7]);
    expect(r.errors).toEqual([
      { line: 1, message: 'Câu hỏi dạng số {#...} chưa được hỗ trợ.', messageEn: 'Numerical questions {#...} are not supported.' },
      { line: 3, message: 'Khối đáp án trống {}: câu tự luận chưa được hỗ trợ.', messageEn: 'Empty answer block {}: essay questions are not supported.' },
      {
        line: 5,
        message: 'Không có khối đáp án {...}: câu mô tả (không có đáp án) chưa được hỗ trợ.',
        messageEn: 'No answer block {...}: description items (no answers) are not supported.',
      },
    ]);
  });

  it('reports an unclosed brace with the line of the brace', () => {
    const r = parseGift('Câu 1 {T}\n\n::Q2::\nCâu hai dài\nvà tiếp {\n=a\n~b\n\nCâu 3 {F}');
    expect(r.questions.map((q) => q.line)).toEqual([1, 9]);
    expect(r.errors).toEqual([{ line: 5, message: 'Dấu { ở dòng 5 chưa được đóng bằng }.', messageEn: 'The { on line 5 is not closed with }.' }]);
  });

  it('reports no correct answer, text before answers, bad matching and bad weights', () => {
    const text = ['Không có đáp án đúng {~a ~b ~c}', '', 'Sai cú pháp {Hà Nội}', '', 'Ghép {=a -> 1 =b}', '', 'Ghép một cặp {=a -> 1}', '', 'Trọng số {~%abc%x =y}', '', 'Rỗng {=a ~ ~c}'].join('\n');
    const r = parseGift(text);
    expect(r.questions).toEqual([]);
    expect(r.errors.map((e) => [e.line, e.messageEn])).toEqual([
      [1, 'No correct answer.'],
      [3, 'Text before the first answer: every answer must start with =.'],
      [5, 'Every matching pair must read "=prompt -> answer" ("b").'],
      [7, 'A matching question needs at least 2 pairs.'],
      [9, 'Invalid weight: "%abc%x".'],
      [11, 'Answer 2 is empty.'],
    ]);
    expect(r.errors[0].message).toBe('Không có đáp án đúng.');
  });

  it('reports definitions that parse but are invalid (weights over 100%)', () => {
    const r = parseGift('Câu {~%60%a ~%60%b ~c}');
    expect(r.questions).toEqual([]);
    expect(r.errors).toEqual([
      { line: 1, message: 'Tổng tỉ lệ điểm các phương án đúng phải bằng 100% (hiện là 120%).', messageEn: 'The positive fractions must add up to 100% (they add up to 120%).' },
    ]);
  });

  it('reports an unclosed title and several answer blocks', () => {
    const r = parseGift('::Tiêu đề {T}\n\nHai khối {T} và {F}');
    expect(r.errors.map((e) => [e.line, e.messageEn])).toEqual([
      [1, 'The "::" title is not closed with "::".'],
      [3, 'The question has more than one answer block {...}.'],
    ]);
  });

  it('returns nothing for an empty or comment-only file', () => {
    expect(parseGift('')).toEqual({ questions: [], errors: [] });
    expect(parseGift('// chỉ có chú thích\n\n   \n')).toEqual({ questions: [], errors: [] });
  });
});

describe('toGift', () => {
  it('round-trips: parseGift(toGift(parseGift(x))) gives the same definitions', () => {
    const first = parseGift(SAMPLE).questions.map((q) => q.definition);
    const exported = toGift(first);
    expect(exported.skipped).toEqual([]);
    expect(exported.warnings).toEqual([]);
    const second = parseGift(exported.text);
    expect(second.errors).toEqual([]);
    expect(second.questions.map((q) => q.definition)).toEqual(first);
  });

  it('round-trips all-or-nothing multiple choice, text with GIFT characters and missing words at the start and end', () => {
    const defs: QuestionDefinition[] = [
      {
        type: QuestionType.MultipleChoice,
        text: 'Chọn {tất cả}: a=b? ~ # \\ đáp án\nđúng',
        points: 1,
        tags: [],
        partialCredit: false,
        options: [
          { id: 'x', text: 'A: 1', fraction: 1 },
          { id: 'y', text: 'B', fraction: 1, feedback: 'đúng # vậy' },
          { id: 'z', text: 'C', fraction: 0 },
        ],
      },
      { type: QuestionType.TrueFalse, text: '_____ là thủ đô', points: 1, tags: [], correct: false, feedbackTrue: 'Không' },
      { type: QuestionType.TrueFalse, text: 'Thủ đô là _____', points: 1, tags: [], correct: true, feedbackTrue: 'Có', generalFeedback: 'Chung' },
    ];
    const back = parseGift(toGift(defs).text);
    expect(back.errors).toEqual([]);
    const got = back.questions.map((q) => q.definition);
    expect(got[0]).toEqual({ ...defs[0], options: (defs[0] as { options: object[] }).options.map((o) => ({ ...o, id: expect.any(String) })) });
    expect(got.slice(1)).toEqual(defs.slice(1));
  });

  it('skips ordering questions and reports which; warns about settings GIFT cannot carry', () => {
    const defs: QuestionDefinition[] = [
      { type: QuestionType.TrueFalse, text: 'Câu 1', points: 2, tags: ['a'], correct: true },
      { type: QuestionType.Ordering, title: 'Các bước', text: 'Sắp xếp', tags: [], partialCredit: true, items: [{ id: '1', text: 'a' }, { id: '2', text: 'b' }] },
      { type: QuestionType.ShortAnswer, text: 'Câu 3', tags: [], caseSensitive: false, ignoreDiacritics: true, answers: [{ text: 'Hà Nội', fraction: 1 }] },
    ];
    const r = toGift(defs);
    expect(r.skipped).toEqual(['#2 "Các bước" (ordering)']);
    expect(r.skippedIndexes).toEqual([1]);
    expect(r.warnings).toEqual([
      '#1 "Câu 1" (true_false): points (2) are not kept in GIFT',
      '#1 "Câu 1" (true_false): tags are not kept in GIFT',
      '#3 "Câu 3" (short_answer): case/diacritics settings are not kept in GIFT',
    ]);
    expect(r.text).not.toContain('Sắp xếp');
    expect(parseGift(r.text).questions).toHaveLength(2);
  });
});
