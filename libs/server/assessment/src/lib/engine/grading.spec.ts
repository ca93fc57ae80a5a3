import {
  MatchingQuestion,
  MatchingView,
  MultipleChoiceQuestion,
  OrderingQuestion,
  OrderingView,
  QuestionDefinition,
  QuestionType,
  ShortAnswerQuestion,
  SingleChoiceQuestion,
  SingleChoiceView,
  TrueFalseQuestion,
} from '@dxtrain/shared/contracts';
import { grade, matchesAcceptedAnswer, normaliseShortAnswer, toView, validateDefinition, validateResponse } from './grading';

const single: SingleChoiceQuestion = {
  type: QuestionType.SingleChoice,
  text: 'Thủ đô của Việt Nam là?',
  points: 2,
  tags: [],
  generalFeedback: 'Hà Nội là thủ đô từ năm 1010 (Thăng Long).',
  options: [
    { id: 'hn', text: 'Hà Nội', fraction: 1, feedback: 'Chính xác' },
    { id: 'hue', text: 'Huế', fraction: 0.5, feedback: 'Kinh đô thời Nguyễn' },
    { id: 'hcm', text: 'TP. Hồ Chí Minh', fraction: 0 },
    { id: 'dn', text: 'Đà Nẵng', fraction: -0.5 },
  ],
};

const multiple: MultipleChoiceQuestion = {
  type: QuestionType.MultipleChoice,
  text: 'Những nền tảng số quốc gia nào sau đây?',
  tags: [],
  partialCredit: true,
  options: [
    { id: 'a', text: 'VNeID', fraction: 0.5 },
    { id: 'b', text: 'Cổng Dịch vụ công quốc gia', fraction: 0.5 },
    { id: 'c', text: 'Microsoft Excel', fraction: -1 },
    { id: 'd', text: 'Zalo cá nhân', fraction: -0.5 },
  ],
};

const trueFalse: TrueFalseQuestion = {
  type: QuestionType.TrueFalse,
  text: 'Đề án 1690 được phê duyệt năm 2023.',
  tags: [],
  correct: true,
  feedbackTrue: 'Đúng: Quyết định 1690/QĐ-TTg ngày 26/12/2023.',
  feedbackFalse: 'Sai: xem lại Quyết định 1690/QĐ-TTg.',
};

const shortAnswer: ShortAnswerQuestion = {
  type: QuestionType.ShortAnswer,
  text: 'Thủ đô của Việt Nam?',
  tags: [],
  caseSensitive: false,
  ignoreDiacritics: true,
  answers: [
    { text: 'Hà Nội', fraction: 1, feedback: 'Đúng' },
    { text: 'Thăng Long*', fraction: 0.5, feedback: 'Tên cũ' },
  ],
};

const matching: MatchingQuestion = {
  type: QuestionType.Matching,
  text: 'Ghép cơ quan với nhiệm vụ',
  tags: [],
  pairs: [
    { id: 'p1', prompt: 'Sở Nội vụ', answer: 'Tổng hợp nhu cầu đào tạo' },
    { id: 'p2', prompt: 'Sở Tài chính', answer: 'Thẩm định kinh phí' },
    { id: 'p3', prompt: 'Công an tỉnh', answer: 'Bảo vệ dữ liệu cá nhân' },
    { id: 'p4', prompt: 'UBND xã', answer: 'Bảo vệ dữ liệu cá nhân' },
  ],
  distractors: ['Cấp hộ chiếu'],
};

const ordering: OrderingQuestion = {
  type: QuestionType.Ordering,
  text: 'Sắp xếp các bước',
  tags: [],
  partialCredit: true,
  items: [
    { id: 's1', text: 'Đăng ký nhu cầu' },
    { id: 's2', text: 'Lập kế hoạch' },
    { id: 's3', text: 'Tổ chức lớp' },
    { id: 's4', text: 'Kiểm tra' },
    { id: 's5', text: 'Cấp chứng nhận' },
  ],
};

const ALL: QuestionDefinition[] = [single, multiple, trueFalse, shortAnswer, matching, ordering];

describe('validateDefinition', () => {
  it('accepts every well-formed example', () => {
    for (const q of ALL) expect(validateDefinition(q)).toEqual([]);
  });

  it('requires exactly one fully correct option for single choice', () => {
    const none = { ...single, options: single.options.map((o) => ({ ...o, fraction: 0 })) };
    expect(validateDefinition(none, 'en')).toContain('A single-choice question needs exactly one correct option (found 0).');
    const two = { ...single, options: single.options.map((o) => ({ ...o, fraction: 1 })) };
    expect(validateDefinition(two)).toContain('Câu một lựa chọn cần đúng một phương án đúng (hiện có 4).');
  });

  it('rejects fractions out of range, empty text, duplicate ids and too few options', () => {
    const bad = {
      ...single,
      text: '  ',
      options: [
        { id: 'x', text: 'A', fraction: 1 },
        { id: 'x', text: '', fraction: 2 },
      ],
    };
    expect(validateDefinition(bad, 'en')).toEqual(
      expect.arrayContaining(['The question text is empty.', 'Option 2: duplicate id "x".', 'Option 2: empty text.', 'Option 2: fraction must be between -1 and 1.']),
    );
    expect(validateDefinition({ ...single, options: [single.options[0]] }, 'en')).toContain('At least 2 options are needed.');
  });

  it('requires positive fractions to add up to 100% for partial-credit multiple choice', () => {
    const off = { ...multiple, options: multiple.options.map((o) => (o.id === 'a' ? { ...o, fraction: 0.3 } : o)) };
    expect(validateDefinition(off, 'en')).toEqual(['The positive fractions must add up to 100% (they add up to 80%).']);
    expect(validateDefinition({ ...off, partialCredit: false })).toEqual([]);
    const noneRight = { ...multiple, options: multiple.options.map((o) => ({ ...o, fraction: 0 })) };
    expect(validateDefinition(noneRight, 'en')).toContain('A multiple-choice question needs at least one correct option.');
  });

  it('requires a fully correct short answer', () => {
    expect(validateDefinition({ ...shortAnswer, answers: [{ text: 'Huế', fraction: 0.5 }] }, 'en')).toEqual([
      'At least one answer must be fully correct (fraction 1).',
    ]);
    expect(validateDefinition({ ...shortAnswer, answers: [] }, 'en')).toEqual(['At least one accepted answer is needed.']);
  });

  it('requires at least 2 matching pairs and distractors that are not answers', () => {
    expect(validateDefinition({ ...matching, pairs: [matching.pairs[0]] }, 'en')).toContain('A matching question needs at least 2 pairs.');
    expect(validateDefinition({ ...matching, distractors: ['Thẩm định kinh phí'] }, 'en')).toEqual(['Distractor "Thẩm định kinh phí" is also a correct answer.']);
  });

  it('rejects duplicate ordering texts, unknown types, bad points and non-objects', () => {
    expect(validateDefinition({ ...ordering, items: [...ordering.items, { id: 's6', text: 'Kiểm tra' }] }, 'en')).toEqual(['Item 6: duplicate text.']);
    expect(validateDefinition({ type: 'essay', text: 'x', tags: [] }, 'en')).toEqual(['Unknown question type: essay.']);
    expect(validateDefinition({ ...trueFalse, points: 0 }, 'en')).toEqual(['Points must be a number above 0 (at most 1000).']);
    expect(validateDefinition({ ...trueFalse, correct: 'yes' }, 'en')).toEqual(['correct must be true or false.']);
    expect(validateDefinition(null, 'en')).toEqual(['The question is not an object.']);
  });
});

describe('toView', () => {
  it('never contains fractions, correct flags or feedback', () => {
    for (const q of ALL) {
      for (const shuffle of [true, false]) {
        const json = JSON.stringify(toView(q, 12345, { shuffle }));
        expect(json).not.toMatch(/fraction|correct|feedback|partialCredit|caseSensitive|ignoreDiacritics|distractor|answers":\[\{"text":"Hà Nội"/);
        expect(json).not.toContain('Chính xác');
        expect(json).not.toContain('Thăng Long');
      }
    }
    expect(JSON.stringify(toView(shortAnswer, 1))).not.toContain('Hà Nội"');
  });

  it('is deterministic for a seed, and different seeds shuffle differently', () => {
    expect(toView(single, 7)).toEqual(toView(single, 7));
    const orders = new Set(Array.from({ length: 20 }, (_, seed) => (toView(single, seed) as SingleChoiceView).options.map((o) => o.id).join()));
    expect(orders.size).toBeGreaterThan(3);
  });

  it('keeps authored option order when shuffle is off', () => {
    const v = toView(single, 99, { shuffle: false }) as SingleChoiceView;
    expect(v.options).toEqual(single.options.map((o) => ({ id: o.id, text: o.text })));
    expect(v).toMatchObject({ type: QuestionType.SingleChoice, text: single.text, points: 2 });
  });

  it('gives matching answers opaque ids, deduplicated, with distractors', () => {
    const v = toView(matching, 3) as MatchingView;
    expect(v.prompts.map((p) => p.id).sort()).toEqual(['p1', 'p2', 'p3', 'p4']);
    expect(v.answers.map((a) => a.text).sort()).toEqual(['Bảo vệ dữ liệu cá nhân', 'Cấp hộ chiếu', 'Thẩm định kinh phí', 'Tổng hợp nhu cầu đào tạo'].sort());
    for (const a of v.answers) expect(a.id).toMatch(/^m[0-9a-z]{6}$/);
    expect(v.answers.map((a) => a.id)).not.toEqual(expect.arrayContaining(['p1']));
  });

  it('scrambles ordering items behind opaque ids, never in the correct order', () => {
    for (let seed = 0; seed < 50; seed++) {
      const v = toView(ordering, seed, { shuffle: false }) as OrderingView;
      expect(v.items.map((i) => i.text)).not.toEqual(ordering.items.map((i) => i.text));
      for (const it of v.items) expect(it.id).toMatch(/^i[0-9a-z]{6}$/);
    }
    const two: OrderingQuestion = { ...ordering, items: ordering.items.slice(0, 2) };
    for (let seed = 0; seed < 10; seed++) expect((toView(two, seed) as OrderingView).items.map((i) => i.text)).toEqual(['Lập kế hoạch', 'Đăng ký nhu cầu']);
  });
});

describe('grade', () => {
  it('single choice: full, partial, zero and negative clamped to zero, with feedback', () => {
    expect(grade(single, { optionId: 'hn' })).toEqual({ fraction: 1, score: 2, maxScore: 2, correct: true, feedback: ['Chính xác', single.generalFeedback] });
    expect(grade(single, { optionId: 'hue' })).toMatchObject({ fraction: 0.5, score: 1, correct: 'partial' });
    expect(grade(single, { optionId: 'hcm' })).toMatchObject({ fraction: 0, score: 0, correct: false });
    expect(grade(single, { optionId: 'dn' })).toMatchObject({ fraction: 0, score: 0, correct: false });
    expect(grade(single, { optionId: 'nope' })).toMatchObject({ fraction: 0, score: 0 });
  });

  it('multiple choice with partial credit: sums fractions, wrong choices subtract, clamped to 0..1', () => {
    expect(grade(multiple, { optionIds: ['a', 'b'] })).toMatchObject({ fraction: 1, score: 1, maxScore: 1, correct: true });
    expect(grade(multiple, { optionIds: ['a'] })).toMatchObject({ fraction: 0.5, correct: 'partial' });
    expect(grade(multiple, { optionIds: ['a', 'b', 'd'] })).toMatchObject({ fraction: 0.5, correct: 'partial' });
    expect(grade(multiple, { optionIds: ['a', 'c'] })).toMatchObject({ fraction: 0, correct: false });
    expect(grade(multiple, { optionIds: ['a', 'b', 'c', 'd'] })).toMatchObject({ fraction: 0, correct: false });
    expect(grade(multiple, { optionIds: [] })).toMatchObject({ fraction: 0 });
  });

  it('multiple choice all-or-nothing: exactly the positive set', () => {
    const aon = { ...multiple, partialCredit: false };
    expect(grade(aon, { optionIds: ['b', 'a'] })).toMatchObject({ fraction: 1, correct: true });
    expect(grade(aon, { optionIds: ['a'] })).toMatchObject({ fraction: 0, correct: false });
    expect(grade(aon, { optionIds: ['a', 'b', 'd'] })).toMatchObject({ fraction: 0 });
  });

  it('true/false with the feedback of the chosen value', () => {
    expect(grade(trueFalse, { value: true })).toEqual({ fraction: 1, score: 1, maxScore: 1, correct: true, feedback: [trueFalse.feedbackTrue] });
    expect(grade(trueFalse, { value: false })).toEqual({ fraction: 0, score: 0, maxScore: 1, correct: false, feedback: [trueFalse.feedbackFalse] });
    expect(grade({ ...trueFalse, correct: false }, { value: false })).toMatchObject({ fraction: 1 });
  });

  it('short answer ignoring diacritics: "ha noi" matches "Hà Nội"', () => {
    expect(grade(shortAnswer, { text: 'ha noi' })).toMatchObject({ fraction: 1, correct: true, feedback: ['Đúng'] });
    expect(grade(shortAnswer, { text: '  HÀ   NỘI ' })).toMatchObject({ fraction: 1 });
    expect(grade(shortAnswer, { text: 'Hà Nội'.normalize('NFD') })).toMatchObject({ fraction: 1 });
    expect(grade(shortAnswer, { text: 'Hải Phòng' })).toMatchObject({ fraction: 0, correct: false });
    expect(grade(shortAnswer, { text: '' })).toMatchObject({ fraction: 0 });
  });

  it('short answer with diacritics required: "ha noi" does not match, tone marks matter', () => {
    const strict = { ...shortAnswer, ignoreDiacritics: false };
    expect(grade(strict, { text: 'ha noi' })).toMatchObject({ fraction: 0 });
    expect(grade(strict, { text: 'hà nội' })).toMatchObject({ fraction: 1 });
    expect(grade(strict, { text: 'hà nôi' })).toMatchObject({ fraction: 0 });
  });

  it('short answer case sensitivity', () => {
    const cs = { ...shortAnswer, caseSensitive: true };
    expect(grade(cs, { text: 'hà nội' })).toMatchObject({ fraction: 0 });
    expect(grade(cs, { text: 'Ha Noi' })).toMatchObject({ fraction: 1 });
    expect(normaliseShortAnswer(' Đà  Nẵng ', { caseSensitive: true, ignoreDiacritics: true })).toBe('Da Nang');
    expect(normaliseShortAnswer(' Đà  Nẵng ', { caseSensitive: false, ignoreDiacritics: true })).toBe('da nang');
  });

  it('short answer wildcard picks the best matching fraction', () => {
    expect(grade(shortAnswer, { text: 'Thăng Long thành' })).toMatchObject({ fraction: 0.5, correct: 'partial', feedback: ['Tên cũ'] });
    expect(grade(shortAnswer, { text: 'thang long' })).toMatchObject({ fraction: 0.5 });
    expect(grade(shortAnswer, { text: 'Long Thăng' })).toMatchObject({ fraction: 0 });
    expect(matchesAcceptedAnswer('a*b', 'a\\*b')).toBe(true);
    expect(matchesAcceptedAnswer('axb', 'a\\*b')).toBe(false);
    expect(matchesAcceptedAnswer('a.b(c)', 'a.*(c)')).toBe(true);
    expect(matchesAcceptedAnswer('axb(c)', 'a.b*')).toBe(false);
  });

  it('matching: correct pairs / pairs, through the view the learner saw', () => {
    const view = toView(matching, 42) as MatchingView;
    const id = (text: string) => view.answers.find((a) => a.text === text)?.id as string;
    const all = { p1: id('Tổng hợp nhu cầu đào tạo'), p2: id('Thẩm định kinh phí'), p3: id('Bảo vệ dữ liệu cá nhân'), p4: id('Bảo vệ dữ liệu cá nhân') };
    expect(grade(matching, { matches: all }, view)).toMatchObject({ fraction: 1, correct: true });
    expect(grade(matching, { matches: { ...all, p2: id('Cấp hộ chiếu') } }, view)).toMatchObject({ fraction: 0.75, correct: 'partial' });
    expect(grade(matching, { matches: { p1: id('Thẩm định kinh phí') } }, view)).toMatchObject({ fraction: 0, correct: false });
    // Without a view, ids are the definition's: pair ids and distractor:<i>.
    expect(grade(matching, { matches: { p1: 'p1', p2: 'p2', p3: 'p4', p4: 'distractor:0' } })).toMatchObject({ fraction: 0.75 });
  });

  it('ordering: longest ordered subset / n, 0 below 2, or all-or-nothing', () => {
    const ids = (texts: string[], view: OrderingView) => texts.map((t) => view.items.find((i) => i.text === t)?.id as string);
    const view = toView(ordering, 5) as OrderingView;
    const t = ordering.items.map((i) => i.text);
    expect(grade(ordering, { order: ids(t, view) }, view)).toMatchObject({ fraction: 1, correct: true });
    // s2 s1 s3 s4 s5: longest ordered subset s1 s3 s4 s5 (or s2 s3 s4 s5) = 4 of 5.
    expect(grade(ordering, { order: ids([t[1], t[0], t[2], t[3], t[4]], view) }, view)).toMatchObject({ fraction: 0.8, correct: 'partial' });
    // Reversed: every ordered subset has 1 item → 0.
    expect(grade(ordering, { order: ids([...t].reverse(), view) }, view)).toMatchObject({ fraction: 0, correct: false });
    const aon = { ...ordering, partialCredit: false };
    expect(grade(aon, { order: ids([t[1], t[0], t[2], t[3], t[4]], view) }, view)).toMatchObject({ fraction: 0 });
    expect(grade(aon, { order: ['s1', 's2', 's3', 's4', 's5'] })).toMatchObject({ fraction: 1 });
  });

  it('scores malformed or missing responses as 0 instead of throwing', () => {
    for (const q of ALL) {
      expect(grade(q, null)).toMatchObject({ fraction: 0, score: 0 });
      expect(grade(q, { nonsense: 1 } as never)).toMatchObject({ fraction: 0, score: 0 });
    }
  });
});

describe('validateResponse', () => {
  it('accepts well-formed responses against the view', () => {
    const sv = toView(single, 1);
    expect(validateResponse(sv, { optionId: 'hn' })).toEqual([]);
    expect(validateResponse(toView(multiple, 1), { optionIds: ['a', 'c'] })).toEqual([]);
    expect(validateResponse(toView(trueFalse, 1), { value: false })).toEqual([]);
    expect(validateResponse(toView(shortAnswer, 1), { text: 'Hà Nội' })).toEqual([]);
    const mv = toView(matching, 1) as MatchingView;
    expect(validateResponse(mv, { matches: { p1: mv.answers[0].id } })).toEqual([]);
    const ov = toView(ordering, 1) as OrderingView;
    expect(validateResponse(ov, { order: ov.items.map((i) => i.id) })).toEqual([]);
  });

  it('rejects option ids that are not in the question', () => {
    expect(validateResponse(toView(single, 1), { optionId: 'evil' })).toEqual(['Option "evil" is not in this question.']);
    expect(validateResponse(single, { optionId: 'evil' })).toEqual(['Option "evil" is not in this question.']);
    expect(validateResponse(toView(multiple, 1), { optionIds: ['a', 'zzz'] })).toEqual(['Option(s) "zzz" are not in this question.']);
    expect(validateResponse(toView(multiple, 1), { optionIds: ['a', 'a'] })).toEqual(['optionIds has duplicates.']);
  });

  it('rejects matching and ordering ids from outside the view (including definition ids)', () => {
    const mv = toView(matching, 1) as MatchingView;
    expect(validateResponse(mv, { matches: { p1: 'p1' } })).toEqual(['Answer "p1" is not in this question.']);
    expect(validateResponse(mv, { matches: { ghost: mv.answers[0].id } })).toEqual(['Prompt "ghost" is not in this question.']);
    const ov = toView(ordering, 1) as OrderingView;
    expect(validateResponse(ov, { order: ['s1', 's2', 's3', 's4', 's5'] })[0]).toMatch(/^Item\(s\) "s1", "s2"/);
    expect(validateResponse(ov, { order: ov.items.slice(1).map((i) => i.id) })).toEqual(['order must list all 5 items.']);
  });

  it('rejects the wrong shape, extra fields and over-long text', () => {
    expect(validateResponse(toView(single, 1), { optionIds: ['hn'] })).toEqual([
      'Unexpected field(s) optionIds; a single_choice response has only "optionId".',
      'The response needs "optionId".',
    ]);
    expect(validateResponse(toView(trueFalse, 1), { value: 'true' })).toEqual(['value must be true or false.']);
    expect(validateResponse(toView(shortAnswer, 1), { text: 'x'.repeat(1001) })).toEqual(['text is longer than 1000 characters.']);
    expect(validateResponse(toView(shortAnswer, 1), { text: 'x'.repeat(1000) })).toEqual([]);
    expect(validateResponse(toView(shortAnswer, 1), 'Hà Nội')).toEqual(['The response must be an object.']);
    expect(validateResponse(toView(shortAnswer, 1), null)).toEqual(['The response must be an object.']);
  });
});
