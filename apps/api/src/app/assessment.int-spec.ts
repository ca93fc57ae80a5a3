import { ErrorCode, QuestionDefinition, QuestionType, Role } from '@dxtrain/shared/contracts';
import { MAX_IMPORT_BYTES } from '@dxtrain/server/assessment';
import { readXlsx } from '@dxtrain/server/spreadsheets';
import { publishedCourse } from '../testing/enrolment-helpers';
import { buildFixture, Fixture, FIXTURE_PASSWORD, insertPerson, insertUser } from '../testing/fixtures';
import { createTestApp, signIn, TestApp } from '../testing/test-app';

type Auth = { Authorization: string };

interface Choice {
  id: string;
  text: string;
}
interface SlotBody {
  slot: number;
  question: { type: string; text: string; points: number; options?: Choice[]; prompts?: Choice[]; answers?: Choice[]; items?: Choice[] };
  response: unknown;
  feedback?: unknown;
}
interface Graded {
  fraction: number;
  score: number;
  maxScore: number;
  correct: boolean | 'partial';
  feedback?: string[];
}
interface AttemptBody {
  id: string;
  quizId: string;
  number: number;
  status: string;
  mode: string;
  startedAt: string;
  deadlineAt: string | null;
  submittedAt: string | null;
  slots: SlotBody[];
  result: {
    score: number | null;
    maxScore: number;
    fraction: number | null;
    passed: boolean | null;
    questions: Array<{ slot: number; definition: QuestionDefinition; response: unknown; graded: Graded | null }> | null;
  } | null;
}

// ---- the question bank used by the quizzes (texts start with a tag the tests look up) -------

const G1: QuestionDefinition = {
  type: QuestionType.SingleChoice,
  text: '[G1] Thủ đô của Việt Nam là thành phố nào?',
  points: 1,
  tags: [],
  options: [
    { id: 'o1', text: 'Hà Nội', fraction: 1, feedback: 'PHAN-HOI-HA-NOI' },
    { id: 'o2', text: 'Huế', fraction: 0 },
    { id: 'o3', text: 'Đà Nẵng', fraction: 0 },
  ],
};
const G2: QuestionDefinition = {
  type: QuestionType.MultipleChoice,
  text: '[G2] Những nền tảng nào là nền tảng số quốc gia?',
  points: 2,
  tags: [],
  partialCredit: true,
  options: [
    { id: 'o1', text: 'Ứng dụng VNeID', fraction: 0.5 },
    { id: 'o2', text: 'Cổng Dịch vụ công quốc gia', fraction: 0.5 },
    { id: 'o3', text: 'Phần mềm bảng tính', fraction: -1 },
    { id: 'o4', text: 'Trình duyệt web', fraction: 0 },
  ],
};
const G3: QuestionDefinition = {
  type: QuestionType.MultipleChoice,
  text: '[G3] Chọn các biện pháp bảo vệ tài khoản.',
  points: 1,
  tags: [],
  partialCredit: false,
  options: [
    { id: 'o1', text: 'Xác thực hai lớp', fraction: 0.5 },
    { id: 'o2', text: 'Cập nhật phần mềm', fraction: 0.5 },
    { id: 'o3', text: 'Dùng chung mật khẩu', fraction: -0.5 },
  ],
};
const G4: QuestionDefinition = {
  type: QuestionType.TrueFalse,
  text: '[G4] Chữ ký số có giá trị pháp lý như chữ ký tay.',
  points: 1,
  tags: [],
  correct: true,
  generalFeedback: 'PHAN-HOI-LUAT-GDDT',
};
const G5: QuestionDefinition = {
  type: QuestionType.ShortAnswer,
  text: '[G5] Cơ quan nào cấp thẻ căn cước?',
  points: 1,
  tags: [],
  answers: [{ text: 'Công an', fraction: 1 }],
  caseSensitive: false,
  ignoreDiacritics: false,
};
const G6: QuestionDefinition = {
  type: QuestionType.ShortAnswer,
  text: '[G6] Cơ quan nào chủ trì bảo vệ dữ liệu cá nhân ở tỉnh?',
  points: 1,
  tags: [],
  answers: [
    { text: 'Công an tỉnh', fraction: 1 },
    { text: 'Công an*', fraction: 0.5 },
  ],
  caseSensitive: false,
  ignoreDiacritics: true,
};
const G7: QuestionDefinition = {
  type: QuestionType.Matching,
  text: '[G7] Ghép mỗi cơ quan với lĩnh vực của nó.',
  points: 2,
  tags: [],
  pairs: [
    { id: 'p1', prompt: 'Sở Nội vụ', answer: 'Tổ chức cán bộ' },
    { id: 'p2', prompt: 'Sở Tài chính', answer: 'Ngân sách' },
    { id: 'p3', prompt: 'Sở Y tế', answer: 'Khám chữa bệnh' },
    { id: 'p4', prompt: 'Sở Giáo dục và Đào tạo', answer: 'Trường học' },
  ],
  distractors: ['Hộ chiếu'],
};
const G8_ORDER = ['Đăng nhập', 'Chọn thủ tục', 'Điền tờ khai', 'Nộp hồ sơ'];
const G8: QuestionDefinition = {
  type: QuestionType.Ordering,
  text: '[G8] Sắp xếp các bước nộp hồ sơ trực tuyến.',
  points: 1,
  tags: [],
  partialCredit: true,
  items: G8_ORDER.map((text, i) => ({ id: `b${i + 1}`, text })),
};
const G9_ORDER = ['Trung ương', 'Tỉnh', 'Xã'];
const G9: QuestionDefinition = {
  type: QuestionType.Ordering,
  text: '[G9] Sắp xếp các cấp hành chính từ cao xuống thấp.',
  points: 1,
  tags: [],
  partialCredit: false,
  items: G9_ORDER.map((text, i) => ({ id: `c${i + 1}`, text })),
};
const BANK = { G1, G2, G3, G4, G5, G6, G7, G8, G9 };
type Key = keyof typeof BANK;

// ---- helpers to answer by text (the learner only sees opaque ids) --------------------------

function slotOf(a: AttemptBody, key: string): SlotBody {
  const s = a.slots.find((x) => x.question.text.startsWith(`[${key}]`));
  if (!s) throw new Error(`no slot for ${key} in ${JSON.stringify(a.slots.map((x) => x.question.text))}`);
  return s;
}
function idOf(list: Choice[] | undefined, text: string): string {
  const found = list?.find((c) => c.text === text);
  if (!found) throw new Error(`no choice "${text}" in ${JSON.stringify(list)}`);
  return found.id;
}
const single = (s: SlotBody, text: string) => ({ optionId: idOf(s.question.options, text) });
const multi = (s: SlotBody, ...texts: string[]) => ({ optionIds: texts.map((t) => idOf(s.question.options, t)) });
const matching = (s: SlotBody, pairs: Record<string, string>) => ({
  matches: Object.fromEntries(Object.entries(pairs).map(([prompt, answer]) => [idOf(s.question.prompts, prompt), idOf(s.question.answers, answer)])),
});
const ordering = (s: SlotBody, texts: string[]) => ({ order: texts.map((t) => idOf(s.question.items, t)) });

describe('assessment: grading, review rules, time limits, imports, results', () => {
  let t: TestApp;
  let f: Fixture;
  let organiser: Auth;
  let learner: Auth;
  let learner2: Auth;
  let learner2Person: string;
  let outsider: Auth;
  let otherAdmin: Auth;
  let courseId: string;
  const ids = {} as Record<Key, string>;

  /**
   * A quiz learners can take: created, put into the course as a quiz lesson, and published (a learner may only start
   * a quiz of the published version they study). This file tests grading and rules, not version pinning (see
   * learning.int-spec), so the test learners then study the newest version.
   */
  const createQuiz = async (body: Record<string, unknown>): Promise<string> => {
    const res = await t.http.post(`/api/courses/${courseId}/quizzes`).set(organiser).send(body);
    if (res.status !== 201) throw new Error(`create quiz: ${res.status} ${JSON.stringify(res.body)}`);
    const quizId = res.body.id as string;
    const draft = await t.http.post(`/api/courses/${courseId}/draft`).set(organiser);
    if (draft.status !== 201 && draft.status !== 200) throw new Error(`new draft: ${draft.status} ${JSON.stringify(draft.body)}`);
    const sectionId = draft.body.draft.sections[0].id as string;
    const lesson = await t.http.post(`/api/courses/${courseId}/sections/${sectionId}/lessons`).set(organiser).send({ title: String(body['title']), kind: 'quiz', quizId, required: false });
    if (lesson.status !== 201) throw new Error(`quiz lesson: ${lesson.status} ${JSON.stringify(lesson.body)}`);
    const published = await t.http.post(`/api/courses/${courseId}/publish`).set(organiser);
    if (published.status !== 200) throw new Error(`publish: ${published.status} ${JSON.stringify(published.body)}`);
    await t.db.query(`UPDATE course_progress p SET version_id = c.published_version_id FROM courses c WHERE c.id = p.course_id AND c.id = $1`, [courseId]);
    return quizId;
  };
  const fixedQuiz = (title: string, keys: Key[], extra: Record<string, unknown> = {}) =>
    createQuiz({ title, mode: 'graded', selection: { mode: 'fixed', questionIds: keys.map((k) => ids[k]) }, review: { score: 'after_submit', answers: 'after_submit' }, ...extra });
  const start = async (quizId: string, who: Auth = learner): Promise<AttemptBody> => {
    const res = await t.http.post(`/api/quizzes/${quizId}/attempts`).set(who);
    if (res.status !== 200) throw new Error(`start: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as AttemptBody;
  };
  const save = async (attempt: AttemptBody, key: string, response: Record<string, unknown>, who: Auth = learner) => {
    const res = await t.http.put(`/api/attempts/${attempt.id}/slots/${slotOf(attempt, key).slot}`).set(who).send({ response });
    if (res.status !== 200) throw new Error(`save ${key}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { savedAt: string; feedback: Graded | null };
  };
  const submit = async (attempt: AttemptBody, who: Auth = learner): Promise<AttemptBody> => {
    const res = await t.http.post(`/api/attempts/${attempt.id}/submit`).set(who);
    if (res.status !== 200) throw new Error(`submit: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as AttemptBody;
  };
  /** Per question tag: the grade shown in the result. */
  const gradesByKey = (a: AttemptBody): Record<string, Graded | null> =>
    Object.fromEntries((a.result?.questions ?? []).map((q) => [/^\[(\w+)\]/.exec(q.definition.text)?.[1] ?? '?', q.graded]));
  const bankSize = async (course: string) => {
    const res = await t.http.get(`/api/courses/${course}/questions`).set(organiser);
    expect(res.status).toBe(200);
    return (res.body as unknown[]).length;
  };
  const importFile = (course: string, content: Buffer | string, name: string, query = '') =>
    t.http.post(`/api/courses/${course}/questions/import${query}`).set(organiser).attach('file', Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'), name);

  beforeAll(async () => {
    t = await createTestApp();
    f = await buildFixture(t.db);
    learner2Person = await insertPerson(t.db, f.commune1b, `L2-${f.tag}`, 'Trần Văn Bình', { email: `binh.${f.tag}@example.gov.vn` });
    await insertUser(t.db, `learner2-${f.tag}`, [[Role.Learner, f.commune1b]], learner2Person);
    // An organiser of a sibling subtree (district 2), who does not cover the province's courses.
    await insertUser(t.db, `organiser-h2-${f.tag}`, [[Role.Organiser, f.district2]]);
    organiser = await signIn(t.http, `organiser-${f.tag}`, FIXTURE_PASSWORD);
    learner = await signIn(t.http, `learner-${f.tag}`, FIXTURE_PASSWORD);
    learner2 = await signIn(t.http, `learner2-${f.tag}`, FIXTURE_PASSWORD);
    outsider = await signIn(t.http, `organiser-h2-${f.tag}`, FIXTURE_PASSWORD);
    otherAdmin = await signIn(t.http, `admin-q-${f.tag}`, FIXTURE_PASSWORD);
    courseId = await publishedCourse(t, organiser, `KT-${f.tag}`, f.province.id);
    for (const [key, definition] of Object.entries(BANK) as Array<[Key, QuestionDefinition]>) {
      const res = await t.http.post(`/api/courses/${courseId}/questions`).set(organiser).send({ definition });
      if (res.status !== 201) throw new Error(`question ${key}: ${res.status} ${JSON.stringify(res.body)}`);
      ids[key] = res.body.id;
    }
  });
  afterAll(() => t.close());

  it('grades every question type through real attempts (partial credit, all-or-nothing, normalisation, wildcard, matching, ordering)', async () => {
    const quizId = await fixedQuiz('Chấm điểm mọi loại câu hỏi', ['G1', 'G2', 'G3', 'G4', 'G5', 'G6', 'G7', 'G8', 'G9'], { shuffleQuestions: true, shuffleOptions: true });

    // Attempt 1: right, partial and all-or-nothing-with-a-wrong-option answers.
    const a1 = await start(quizId);
    expect(a1.slots).toHaveLength(9);
    await save(a1, 'G1', single(slotOf(a1, 'G1'), 'Hà Nội'));
    await save(a1, 'G2', multi(slotOf(a1, 'G2'), 'Ứng dụng VNeID'));
    await save(a1, 'G3', multi(slotOf(a1, 'G3'), 'Xác thực hai lớp', 'Cập nhật phần mềm', 'Dùng chung mật khẩu'));
    await save(a1, 'G4', { value: true });
    await save(a1, 'G5', { text: '  CÔNG    AN  ' });
    await save(a1, 'G6', { text: 'cong an tinh' });
    await save(a1, 'G7', matching(slotOf(a1, 'G7'), { 'Sở Nội vụ': 'Tổ chức cán bộ', 'Sở Tài chính': 'Ngân sách', 'Sở Y tế': 'Trường học', 'Sở Giáo dục và Đào tạo': 'Khám chữa bệnh' }));
    // Longest correctly ordered subsequence: Đăng nhập, Chọn thủ tục, Nộp hồ sơ = 3 of 4.
    await save(a1, 'G8', ordering(slotOf(a1, 'G8'), ['Đăng nhập', 'Điền tờ khai', 'Chọn thủ tục', 'Nộp hồ sơ']));
    await save(a1, 'G9', ordering(slotOf(a1, 'G9'), G9_ORDER));
    const r1 = await submit(a1);
    expect(r1.status).toBe('submitted');
    // 1 + 0.5×2 + 0 + 1 + 1 + 1 + 0.5×2 + 0.75 + 1 = 7.75 of 11
    expect(r1.result).toMatchObject({ score: 7.75, maxScore: 11, fraction: 0.70455, passed: true });
    const g1 = gradesByKey(r1);
    expect(g1['G1']).toMatchObject({ fraction: 1, score: 1, maxScore: 1, correct: true, feedback: ['PHAN-HOI-HA-NOI'] });
    expect(g1['G2']).toMatchObject({ fraction: 0.5, score: 1, maxScore: 2, correct: 'partial' });
    expect(g1['G3']).toMatchObject({ fraction: 0, score: 0, maxScore: 1, correct: false });
    expect(g1['G4']).toMatchObject({ fraction: 1, score: 1, maxScore: 1, correct: true, feedback: ['PHAN-HOI-LUAT-GDDT'] });
    expect(g1['G5']).toMatchObject({ fraction: 1, score: 1, correct: true });
    expect(g1['G6']).toMatchObject({ fraction: 1, score: 1, correct: true });
    expect(g1['G7']).toMatchObject({ fraction: 0.5, score: 1, maxScore: 2, correct: 'partial' });
    expect(g1['G8']).toMatchObject({ fraction: 0.75, score: 0.75, maxScore: 1, correct: 'partial' });
    expect(g1['G9']).toMatchObject({ fraction: 1, score: 1, correct: true });

    // Attempt 2: the other side of each rule.
    const a2 = await start(quizId);
    expect(a2.number).toBe(2);
    await save(a2, 'G1', single(slotOf(a2, 'G1'), 'Huế'));
    await save(a2, 'G2', multi(slotOf(a2, 'G2'), 'Ứng dụng VNeID', 'Cổng Dịch vụ công quốc gia'));
    await save(a2, 'G3', multi(slotOf(a2, 'G3'), 'Xác thực hai lớp', 'Cập nhật phần mềm'));
    await save(a2, 'G4', { value: false });
    await save(a2, 'G5', { text: 'Cong an' }); // diacritics matter when ignoreDiacritics is false
    await save(a2, 'G6', { text: 'Công an  huyện' }); // only the wildcard answer "Công an*" (50%)
    await save(a2, 'G7', matching(slotOf(a2, 'G7'), { 'Sở Nội vụ': 'Tổ chức cán bộ', 'Sở Tài chính': 'Ngân sách', 'Sở Y tế': 'Khám chữa bệnh', 'Sở Giáo dục và Đào tạo': 'Trường học' }));
    await save(a2, 'G8', ordering(slotOf(a2, 'G8'), [...G8_ORDER].reverse())); // longest ordered subsequence 1 < 2 → 0
    await save(a2, 'G9', ordering(slotOf(a2, 'G9'), ['Trung ương', 'Xã', 'Tỉnh'])); // 2 of 3 in order, but all-or-nothing
    const r2 = await submit(a2);
    // 0 + 2 + 1 + 0 + 0 + 0.5 + 2 + 0 + 0 = 5.5 of 11
    expect(r2.result).toMatchObject({ score: 5.5, maxScore: 11, fraction: 0.5, passed: true });
    const g2 = gradesByKey(r2);
    expect(g2['G1']).toMatchObject({ fraction: 0, score: 0, correct: false });
    expect(g2['G2']).toMatchObject({ fraction: 1, score: 2, correct: true });
    expect(g2['G3']).toMatchObject({ fraction: 1, score: 1, correct: true });
    expect(g2['G4']).toMatchObject({ fraction: 0, score: 0, correct: false });
    expect(g2['G5']).toMatchObject({ fraction: 0, score: 0, correct: false });
    expect(g2['G6']).toMatchObject({ fraction: 0.5, score: 0.5, correct: 'partial' });
    expect(g2['G7']).toMatchObject({ fraction: 1, score: 2, correct: true });
    expect(g2['G8']).toMatchObject({ fraction: 0, score: 0, correct: false });
    expect(g2['G9']).toMatchObject({ fraction: 0, score: 0, correct: false });

    // Attempt 3: negative option cancels a right one, incomplete all-or-nothing, ordering fully right, blanks.
    const a3 = await start(quizId);
    await save(a3, 'G2', multi(slotOf(a3, 'G2'), 'Ứng dụng VNeID', 'Phần mềm bảng tính')); // 0.5 − 1 → 0
    await save(a3, 'G3', multi(slotOf(a3, 'G3'), 'Xác thực hai lớp'));
    await save(a3, 'G6', { text: '  CÔNG   AN   TỈNH ' });
    await save(a3, 'G8', ordering(slotOf(a3, 'G8'), G8_ORDER));
    const r3 = await submit(a3);
    expect(r3.result).toMatchObject({ score: 2, maxScore: 11, fraction: 0.18182, passed: false });
    const g3 = gradesByKey(r3);
    expect(g3['G1']).toMatchObject({ fraction: 0, score: 0, maxScore: 1, correct: false });
    expect(g3['G2']).toMatchObject({ fraction: 0, score: 0, correct: false });
    expect(g3['G3']).toMatchObject({ fraction: 0, score: 0, correct: false });
    expect(g3['G6']).toMatchObject({ fraction: 1, correct: true });
    expect(g3['G8']).toMatchObject({ fraction: 1, correct: true });
    expect(r3.result?.questions?.find((q) => q.definition.text.startsWith('[G1]'))?.response).toBeNull();

    // The stored numbers match what was shown.
    const rows: Array<{ attempt_number: number; score: string; fraction: string }> = await t.db.query(
      `SELECT attempt_number, score, fraction FROM quiz_attempts WHERE quiz_id = $1 ORDER BY attempt_number`,
      [quizId],
    );
    expect(rows.map((r) => [r.attempt_number, Number(r.score), Number(r.fraction)])).toEqual([
      [1, 7.75, 0.70455],
      [2, 5.5, 0.5],
      [3, 2, 0.18182],
    ]);
  });

  it('never leaks answers: review "never" hides everything before and after submit; "after_close" shows them once closed', async () => {
    const forbidden = (body: unknown) => {
      const json = JSON.stringify(body);
      // Keys that carry grading information: null is "not shown"; a string is the review setting.
      expect(json).not.toMatch(/"(fraction|score|passed|grade)":(?!null|")/);
      expect(json).not.toMatch(/"(correct|feedback|generalFeedback|definition|graded|pairs|distractors|partialCredit|caseSensitive|ignoreDiacritics|prompt|answer)":/);
      // Accepted short answers, feedback texts.
      for (const secret of ['Công an', 'PHAN-HOI-HA-NOI', 'PHAN-HOI-LUAT-GDDT']) expect(json).not.toContain(secret);
      // Ordering items never carry the definition's ids.
      for (const id of ['b1', 'b2', 'b3', 'b4']) expect(json).not.toContain(`"${id}"`);
    };
    const checkViews = (a: AttemptBody) => {
      const g5 = slotOf(a, 'G5').question as Record<string, unknown>;
      expect(Object.keys(g5).sort()).toEqual(['points', 'text', 'type']);
      // Matching: the answers list hides which pair each answer belongs to.
      const g7 = slotOf(a, 'G7').question;
      expect(g7.prompts?.map((p) => p.text).sort()).toEqual(['Sở Giáo dục và Đào tạo', 'Sở Nội vụ', 'Sở Tài chính', 'Sở Y tế']);
      expect(g7.answers).toHaveLength(5);
      for (const answer of g7.answers ?? []) expect(['p1', 'p2', 'p3', 'p4']).not.toContain(answer.id);
      // Ordering: scrambled, never in the correct order.
      expect(slotOf(a, 'G8').question.items?.map((i) => i.text)).not.toEqual(G8_ORDER);
      expect(slotOf(a, 'G9').question.items?.map((i) => i.text)).not.toEqual(G9_ORDER);
    };
    const keys: Key[] = ['G1', 'G4', 'G5', 'G6', 'G7', 'G8', 'G9'];

    const hidden = await fixedQuiz('Không cho xem lại', keys, { review: { score: 'never', answers: 'never' } });
    const a = await start(hidden);
    forbidden(a);
    checkViews(a);
    await save(a, 'G1', single(slotOf(a, 'G1'), 'Hà Nội'));
    await save(a, 'G5', { text: 'Công an' });
    await save(a, 'G8', ordering(slotOf(a, 'G8'), G8_ORDER));
    const during = (await t.http.get(`/api/attempts/${a.id}`).set(learner)).body as AttemptBody;
    expect(during.status).toBe('in_progress');
    expect(during.result).toBeNull();
    // The learner's own saved text comes back; nothing else.
    expect(slotOf(during, 'G5').response).toEqual({ text: 'Công an' });
    expect(slotOf(during, 'G5').feedback).toBeUndefined();
    const submitted = await submit(a);
    expect(submitted.status).toBe('submitted');
    expect(submitted.result).toEqual({ score: null, maxScore: 8, fraction: null, passed: null, questions: null });
    const after = (await t.http.get(`/api/attempts/${a.id}`).set(learner)).body as AttemptBody;
    expect(after.result).toEqual({ score: null, maxScore: 8, fraction: null, passed: null, questions: null });
    for (const s of after.slots) expect(s.feedback).toBeUndefined();
    const info = (await t.http.get(`/api/quizzes/${hidden}`).set(learner)).body;
    expect(info).toMatchObject({ attemptsUsed: 1, grade: null, passed: null, attempts: [{ number: 1, status: 'submitted', fraction: null }] });
    // What the learner's saved answers contain is theirs; take it out before looking for leaks.
    const strip = (v: AttemptBody) => ({ ...v, slots: v.slots.map((s) => ({ ...s, response: null })) });
    forbidden(strip(during));
    forbidden(strip(submitted));
    forbidden(strip(after));
    forbidden(info);
    // But the grade was computed and stored all the same.
    const [stored] = await t.db.query(`SELECT score, fraction FROM quiz_attempts WHERE id = $1`, [a.id]);
    expect([Number(stored.score), Number(stored.fraction)]).toEqual([3, 0.375]);

    // after_close: nothing before the quiz closes, everything after.
    const closeAt = new Date(Date.now() + 3_600_000).toISOString();
    const later = await fixedQuiz('Xem lại sau khi đóng', keys, { review: { score: 'after_close', answers: 'after_close' }, closeAt });
    const b = await start(later);
    expect(b.deadlineAt).toBe(closeAt);
    forbidden(b);
    await save(b, 'G1', single(slotOf(b, 'G1'), 'Hà Nội'));
    await save(b, 'G6', { text: 'Công an xã' });
    const bSubmitted = await submit(b);
    expect(bSubmitted.result).toEqual({ score: null, maxScore: 8, fraction: null, passed: null, questions: null });
    forbidden(strip(bSubmitted));
    forbidden((await t.http.get(`/api/quizzes/${later}`).set(learner)).body);

    const patched = await t.http.patch(`/api/quizzes/${later}`).set(organiser).send({ closeAt: new Date(Date.now() - 60_000).toISOString() });
    expect(patched.status).toBe(200);
    const reviewed = (await t.http.get(`/api/attempts/${b.id}`).set(learner)).body as AttemptBody;
    expect(reviewed.result).toMatchObject({ score: 1.5, maxScore: 8, fraction: 0.1875, passed: false });
    const grades = gradesByKey(reviewed);
    expect(grades['G1']).toMatchObject({ fraction: 1, correct: true, feedback: ['PHAN-HOI-HA-NOI'] });
    expect(grades['G6']).toMatchObject({ fraction: 0.5, correct: 'partial' });
    const g6 = reviewed.result?.questions?.find((q) => q.definition.text.startsWith('[G6]'))?.definition;
    expect(g6).toMatchObject({ answers: [{ text: 'Công an tỉnh', fraction: 1 }, { text: 'Công an*', fraction: 0.5 }] });
    const g8 = reviewed.result?.questions?.find((q) => q.definition.text.startsWith('[G8]'))?.definition;
    expect(g8).toMatchObject({ items: G8_ORDER.map((text) => ({ text })) });
    expect((await t.http.get(`/api/quizzes/${later}`).set(learner)).body).toMatchObject({ grade: 0.1875, passed: false });
  });

  it('enforces the time limit on the server: late answers are refused and the attempt is closed as timed out on what was saved', async () => {
    const quizId = await fixedQuiz('Có giới hạn thời gian', ['G1', 'G4'], { timeLimitSeconds: 30, maxAttempts: 3 });
    const a = await start(quizId);
    expect(new Date(a.deadlineAt as string).getTime() - new Date(a.startedAt).getTime()).toBe(30_000);
    await save(a, 'G1', single(slotOf(a, 'G1'), 'Hà Nội'));
    await t.db.query(`UPDATE quiz_attempts SET deadline_at = now() - interval '5 seconds' WHERE id = $1`, [a.id]);

    const late = await t.http.put(`/api/attempts/${a.id}/slots/${slotOf(a, 'G4').slot}`).set(learner).send({ response: { value: true } });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe(ErrorCode.AttemptFinished);
    const [row] = await t.db.query(`SELECT status, score, fraction, submitted_at, deadline_at FROM quiz_attempts WHERE id = $1`, [a.id]);
    expect(row.status).toBe('timed_out');
    expect((row.submitted_at as Date).toISOString()).toBe((row.deadline_at as Date).toISOString());
    expect([Number(row.score), Number(row.fraction)]).toEqual([1, 0.5]);
    const slots: Array<{ response: unknown }> = await t.db.query(`SELECT response FROM quiz_attempt_slots WHERE attempt_id = $1 AND question_id = $2`, [a.id, ids.G4]);
    expect(slots[0].response).toBeNull();
    const view = (await t.http.get(`/api/attempts/${a.id}`).set(learner)).body as AttemptBody;
    expect(view.status).toBe('timed_out');
    expect(view.submittedAt).toBe((row.deadline_at as Date).toISOString());
    expect(view.result).toMatchObject({ score: 1, maxScore: 2, fraction: 0.5, passed: true });
    // Submitting a timed-out attempt changes nothing.
    expect((await submit(a)).result).toMatchObject({ score: 1, fraction: 0.5 });
    expect((await t.db.query(`SELECT status FROM quiz_attempts WHERE id = $1`, [a.id]))[0].status).toBe('timed_out');

    // Only reading after the deadline closes it too.
    const b = await start(quizId);
    expect(b.number).toBe(2);
    await save(b, 'G4', { value: true });
    await t.db.query(`UPDATE quiz_attempts SET deadline_at = now() - interval '1 second' WHERE id = $1`, [b.id]);
    expect((await t.db.query(`SELECT status FROM quiz_attempts WHERE id = $1`, [b.id]))[0].status).toBe('in_progress');
    const read = (await t.http.get(`/api/attempts/${b.id}`).set(learner)).body as AttemptBody;
    expect(read.status).toBe('timed_out');
    expect(read.result).toMatchObject({ score: 1, fraction: 0.5 });
    const [rowB] = await t.db.query(`SELECT status, score FROM quiz_attempts WHERE id = $1`, [b.id]);
    expect([rowB.status, Number(rowB.score)]).toEqual(['timed_out', 1]);
  });

  it('closing a quiz earlier ends the attempts in progress at the new close time', async () => {
    const quizId = await fixedQuiz('Đóng sớm', ['G1', 'G4'], { maxAttempts: 3 });
    const a = await start(quizId);
    expect(a.deadlineAt).toBeNull();
    await save(a, 'G4', { value: true });
    const closeAt = new Date(Date.now() - 1000).toISOString();
    expect((await t.http.patch(`/api/quizzes/${quizId}`).set(organiser).send({ closeAt })).status).toBe(200);
    const view = (await t.http.get(`/api/attempts/${a.id}`).set(learner)).body as AttemptBody;
    expect(view.status).toBe('timed_out');
    expect(view.submittedAt).toBe(closeAt);
    const late = await t.http.put(`/api/attempts/${a.id}/slots/${slotOf(a, 'G1').slot}`).set(learner).send({ response: single(slotOf(a, 'G1'), 'Hà Nội') });
    expect(late.body.code).toBe(ErrorCode.AttemptFinished);
  });

  it('submission is idempotent; attempt limit, foreign attempts, unknown slots and malformed answers are refused', async () => {
    const quizId = await fixedQuiz('Một lần duy nhất', ['G1', 'G4'], { maxAttempts: 1 });
    const countAttempts = async () => (await t.db.query(`SELECT COUNT(*)::int AS n FROM quiz_attempts WHERE quiz_id = $1`, [quizId]))[0].n as number;
    const a = await start(quizId);
    await save(a, 'G1', single(slotOf(a, 'G1'), 'Hà Nội'));
    const snapshot = async () => t.db.query(`SELECT s.slot, s.response, a.status, a.score FROM quiz_attempt_slots s JOIN quiz_attempts a ON a.id = s.attempt_id WHERE a.id = $1 ORDER BY s.slot`, [a.id]);
    const before = await snapshot();

    // Another learner: the attempt does not exist for them, and nothing changes.
    const g4 = slotOf(a, 'G4').slot;
    for (const res of [
      await t.http.get(`/api/attempts/${a.id}`).set(learner2),
      await t.http.put(`/api/attempts/${a.id}/slots/${g4}`).set(learner2).send({ response: { value: false } }),
      await t.http.post(`/api/attempts/${a.id}/submit`).set(learner2),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.code).toBe(ErrorCode.AttemptNotFound);
      expect(JSON.stringify(res.body)).not.toContain('[G1]');
    }
    expect(await snapshot()).toEqual(before);
    // Someone without a staff record cannot take quizzes at all.
    const noPerson = await t.http.post(`/api/quizzes/${quizId}/attempts`).set(organiser);
    expect(noPerson.status).toBe(403);
    expect(noPerson.body.code).toBe(ErrorCode.NoPersonRecord);

    // A slot that is not in the attempt, and answers of the wrong shape.
    const slot99 = await t.http.put(`/api/attempts/${a.id}/slots/99`).set(learner).send({ response: { value: true } });
    expect(slot99.status).toBe(404);
    expect(slot99.body.code).toBe(ErrorCode.AttemptSlotNotFound);
    const g1 = slotOf(a, 'G1').slot;
    const foreignOption = await t.http.put(`/api/attempts/${a.id}/slots/${g1}`).set(learner).send({ response: { optionId: 'o9' } });
    expect(foreignOption.status).toBe(400);
    expect(foreignOption.body.code).toBe(ErrorCode.ResponseInvalid);
    expect(foreignOption.body.details).toEqual([{ field: 'response', message: 'Option "o9" is not in this question.' }]);
    const wrongKey = await t.http.put(`/api/attempts/${a.id}/slots/${g4}`).set(learner).send({ response: { optionId: 'o1' } });
    expect(wrongKey.status).toBe(400);
    expect(wrongKey.body.code).toBe(ErrorCode.ResponseInvalid);
    const wrongType = await t.http.put(`/api/attempts/${a.id}/slots/${g4}`).set(learner).send({ response: { value: 'yes' } });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.code).toBe(ErrorCode.ResponseInvalid);
    const noResponse = await t.http.put(`/api/attempts/${a.id}/slots/${g4}`).set(learner).send({ value: true });
    expect(noResponse.status).toBe(400);
    expect(noResponse.body.code).toBe(ErrorCode.ValidationFailed);
    const badSlot = await t.http.put(`/api/attempts/${a.id}/slots/abc`).set(learner).send({ response: { value: true } });
    expect(badSlot.status).toBe(400);
    expect(await snapshot()).toEqual(before);

    // Submitting twice gives the same result and no new attempt.
    const first = await submit(a);
    expect(first.result).toMatchObject({ score: 1, maxScore: 2, fraction: 0.5, passed: true });
    const second = await submit(a);
    expect(second.status).toBe(first.status);
    expect(second.submittedAt).toBe(first.submittedAt);
    expect(second.result).toEqual(first.result);
    expect(await countAttempts()).toBe(1);
    const afterSubmit = await t.http.put(`/api/attempts/${a.id}/slots/${g4}`).set(learner).send({ response: { value: true } });
    expect(afterSubmit.status).toBe(409);
    expect(afterSubmit.body.code).toBe(ErrorCode.AttemptFinished);
    expect((await t.http.post(`/api/attempts/${a.id}/submit`).set(learner2)).status).toBe(404);

    // Beyond maxAttempts.
    const again = await t.http.post(`/api/quizzes/${quizId}/attempts`).set(learner);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe(ErrorCode.AttemptLimitReached);
    expect(await countAttempts()).toBe(1);
    expect((await t.http.get(`/api/quizzes/${quizId}`).set(learner)).body).toMatchObject({ attemptsUsed: 1, inProgressAttemptId: null, grade: 0.5, passed: true });
  });

  it('practice mode: unlimited attempts and immediate feedback on each saved answer', async () => {
    const quizId = await createQuiz({
      title: 'Tự luyện',
      mode: 'practice',
      maxAttempts: 1,
      selection: { mode: 'fixed', questionIds: [ids.G1, ids.G2, ids.G6] },
      review: { score: 'never', answers: 'never' },
    });
    const settings = await t.http.get(`/api/quizzes/${quizId}/settings`).set(organiser);
    expect(settings.body).toMatchObject({ mode: 'practice', maxAttempts: null });

    const a = await start(quizId);
    expect(a.mode).toBe('practice');
    const partial = await save(a, 'G2', multi(slotOf(a, 'G2'), 'Ứng dụng VNeID'));
    expect(partial.feedback).toEqual({ fraction: 0.5, score: 1, maxScore: 2, correct: 'partial' });
    const right = await save(a, 'G1', single(slotOf(a, 'G1'), 'Hà Nội'));
    expect(right.feedback).toEqual({ fraction: 1, score: 1, maxScore: 1, correct: true, feedback: ['PHAN-HOI-HA-NOI'] });
    const wrong = await save(a, 'G1', single(slotOf(a, 'G1'), 'Huế'));
    expect(wrong.feedback).toEqual({ fraction: 0, score: 0, maxScore: 1, correct: false });
    const view = (await t.http.get(`/api/attempts/${a.id}`).set(learner)).body as AttemptBody;
    expect(slotOf(view, 'G1').feedback).toEqual({ fraction: 0, score: 0, maxScore: 1, correct: false });
    expect(slotOf(view, 'G2').feedback).toEqual({ fraction: 0.5, score: 1, maxScore: 2, correct: 'partial' });
    expect('feedback' in slotOf(view, 'G6')).toBe(false);
    const done = await submit(a);
    expect(done.result).toMatchObject({ score: 1, maxScore: 4, fraction: 0.25 });

    for (let n = 2; n <= 4; n++) {
      const next = await start(quizId);
      expect(next.number).toBe(n);
      const fb = await save(next, 'G6', { text: 'Cong An Tinh' });
      expect(fb.feedback).toMatchObject({ fraction: 1, correct: true });
      await submit(next);
    }
    expect((await t.http.get(`/api/quizzes/${quizId}`).set(learner)).body).toMatchObject({ attemptsUsed: 4, inProgressAttemptId: null });
  });

  describe('question import and export', () => {
    let bankCourse: string;

    beforeAll(async () => {
      bankCourse = await publishedCourse(t, organiser, `NH-${f.tag}`, f.province.id);
    });

    it('imports a well-formed Aiken file (guessed from a .txt with ANSWER lines) with the right answer mapped', async () => {
      const before = await bankSize(bankCourse);
      const aiken = [
        'Cơ quan nào cấp thẻ căn cước công dân?',
        'A. Ủy ban nhân dân xã',
        'B. Công an',
        'C. Bưu điện',
        'ANSWER: B',
        '',
        'Dịch vụ công trực tuyến toàn trình cho phép làm gì?',
        'A) Nộp hồ sơ tại quầy',
        'B) Thực hiện toàn bộ thủ tục trên mạng',
        'ANSWER: b',
      ].join('\n');
      const res = await importFile(bankCourse, aiken, 'ngan-hang.txt');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ dryRun: false, imported: 2, errors: [] });
      const list = (await t.http.get(`/api/courses/${bankCourse}/questions`).set(organiser)).body as Array<{ type: string; definition: QuestionDefinition }>;
      expect(list).toHaveLength(before + 2);
      const q = list.find((x) => x.definition.text === 'Cơ quan nào cấp thẻ căn cước công dân?');
      expect(q?.type).toBe(QuestionType.SingleChoice);
      const options = (q?.definition as { options: Array<{ text: string; fraction: number }> }).options;
      expect(options.map((o) => [o.text, o.fraction])).toEqual([
        ['Ủy ban nhân dân xã', 0],
        ['Công an', 1],
        ['Bưu điện', 0],
      ]);
      const second = list.find((x) => x.definition.text.startsWith('Dịch vụ công'))?.definition as { options: Array<{ text: string; fraction: number }> };
      expect(second.options.find((o) => o.fraction === 1)?.text).toBe('Thực hiện toàn bộ thủ tục trên mạng');
    });

    it('reports malformed Aiken questions with their line numbers and writes nothing', async () => {
      const before = await bankSize(bankCourse);
      const aiken = [
        'Câu hỏi không có dòng đáp án?', // 1
        'A. Một', // 2
        'B. Hai', // 3
        '', // 4
        'Câu hỏi có đáp án không nằm trong các phương án?', // 5
        'A. Một', // 6
        'B. Hai', // 7
        'ANSWER: D', // 8
      ].join('\n');
      const res = await importFile(bankCourse, aiken, 'loi.txt', '?format=aiken');
      expect(res.status).toBe(200);
      expect(res.body.imported).toBe(0);
      expect(res.body.errors.map((e: { line: number }) => e.line)).toEqual([1, 8]);
      expect(res.body.errors[0].message).toContain('ANSWER');
      expect(res.body.errors[1].message).toContain('"D"');
      expect(await bankSize(bankCourse)).toBe(before);
    });

    it('GIFT: reports an unclosed brace and a choice question without a right answer by line; the valid questions of the file are imported', async () => {
      const before = await bankSize(bankCourse);
      const gift = [
        '// Ngân hàng câu hỏi thử', // 1
        '::GIFT-OK:: Thủ đô của Việt Nam là? {=Hà Nội ~Huế ~Đà Nẵng}', // 2
        '', // 3
        '::GIFT-BRACE:: Câu hỏi thiếu dấu đóng {=a ~b', // 4
        '', // 5
        '::GIFT-NONE:: Câu hỏi không có đáp án đúng', // 6
        '{~a ~b ~c}', // 7
        '', // 8
        '::GIFT-TF:: Trái Đất quay quanh Mặt Trời. {T}', // 9
      ].join('\n');
      const dry = await importFile(bankCourse, gift, 'bank.gift', '?dryRun=true');
      expect(dry.status).toBe(200);
      expect(dry.body).toMatchObject({ dryRun: true, imported: 2 });
      expect(await bankSize(bankCourse)).toBe(before);

      const res = await importFile(bankCourse, gift, 'bank.gift');
      expect(res.status).toBe(200);
      expect(res.body.imported).toBe(2);
      expect(res.body.errors.map((e: { line: number }) => e.line)).toEqual([4, 6]);
      expect(res.body.errors[0].message).toContain('{');
      expect(res.body.errors[1].message).toBe('Không có đáp án đúng.');
      // The documented contract: errors are reported per question, the rest of the file imports.
      const list = (await t.http.get(`/api/courses/${bankCourse}/questions`).set(organiser)).body as Array<{ definition: QuestionDefinition }>;
      expect(list).toHaveLength(before + 2);
      expect(list.map((q) => q.definition.title).filter((x) => x?.startsWith('GIFT-')).sort()).toEqual(['GIFT-OK', 'GIFT-TF']);
    });

    it('imports the CSV template with a bad row reported by row and column', async () => {
      const before = await bankSize(bankCourse);
      const csv = [
        'Loại câu hỏi,Danh mục,Nội dung câu hỏi,Phương án A,Phương án B,Phương án C,Đáp án đúng,Điểm',
        'Một lựa chọn,CSV,Đề án 1690 được phê duyệt năm nào?,2021,2022,2023,C,1', // row 2
        'Nhiều lựa chọn,CSV,Đâu là nền tảng số quốc gia?,VNeID,Cổng Dịch vụ công,Bảng tính,"A,B",2', // row 3
        'Một lựa chọn,CSV,Câu có đáp án không tồn tại,x,y,,E,1', // row 4
        'Đúng/Sai,CSV,Chữ ký số thay được chữ ký tay.,,,,Đúng,', // row 5
        'Loại lạ,CSV,Câu có loại không hợp lệ,x,y,,A,1', // row 6
      ].join('\r\n');
      const res = await importFile(bankCourse, csv, 'cau-hoi.csv');
      expect(res.status).toBe(200);
      expect(res.body.imported).toBe(3);
      expect(res.body.errors.map((e: { line: number; column?: string }) => [e.line, e.column])).toEqual([
        [4, 'Đáp án đúng'],
        [6, 'Loại câu hỏi'],
      ]);
      const list = (await t.http.get(`/api/courses/${bankCourse}/questions?category=CSV`).set(organiser)).body as Array<{ type: string; definition: QuestionDefinition }>;
      expect(list.map((q) => q.type).sort()).toEqual([QuestionType.MultipleChoice, QuestionType.SingleChoice, QuestionType.TrueFalse].sort());
      const mc = list.find((q) => q.type === QuestionType.MultipleChoice)?.definition as { points: number; partialCredit: boolean; options: Array<{ fraction: number }> };
      expect(mc).toMatchObject({ points: 2, partialCredit: true });
      expect(mc.options.map((o) => o.fraction)).toEqual([0.5, 0.5, -1]);
      expect(await bankSize(bankCourse)).toBe(before + 3);
    });

    it('serves the CSV and XLSX templates, and each imports back without errors', async () => {
      const csv = await t.http.get(`/api/courses/${bankCourse}/questions/template.csv`).set(organiser);
      expect(csv.status).toBe(200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      const dataRows = csv.text.trim().split(/\r?\n/).length - 1;
      expect(dataRows).toBeGreaterThan(2);
      const fromCsv = await t.http.post(`/api/courses/${bankCourse}/questions/import?dryRun=true`).set(organiser).attach('file', Buffer.from(csv.text), 'mau-cau-hoi.csv');
      expect(fromCsv.body).toMatchObject({ dryRun: true, imported: dataRows, errors: [] });
      const xlsx = await t.http.get(`/api/courses/${bankCourse}/questions/template.xlsx`).set(organiser).buffer(true).parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
      expect(xlsx.status).toBe(200);
      const fromXlsx = await t.http.post(`/api/courses/${bankCourse}/questions/import?dryRun=true`).set(organiser).attach('file', xlsx.body as Buffer, 'mau-cau-hoi.xlsx');
      expect(fromXlsx.body).toMatchObject({ dryRun: true, imported: dataRows, errors: [] });
      expect((await t.http.get(`/api/courses/${bankCourse}/questions/template.csv`).set(learner)).status).toBe(403);
    });

    it('refuses oversized, empty and binary / unsupported files with a clear code and writes nothing', async () => {
      const before = await bankSize(bankCourse);
      const huge = await importFile(bankCourse, Buffer.alloc(MAX_IMPORT_BYTES + 1, 0x41), 'huge.gift');
      expect(huge.status).toBe(413);
      expect(huge.body.code).toBe(ErrorCode.FileTooLarge);
      const empty = await importFile(bankCourse, Buffer.alloc(0), 'empty.gift');
      expect(empty.status).toBe(400);
      expect(empty.body.code).toBe(ErrorCode.ImportInvalid);
      const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), Buffer.from('IHDR')]);
      const image = await importFile(bankCourse, png, 'anh.png');
      expect(image.status).toBe(400);
      expect(image.body.code).toBe(ErrorCode.ImportInvalid);
      const xls = await importFile(bankCourse, Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(64)]), 'cu.xls', '?format=table');
      expect(xls.status).toBe(400);
      expect(xls.body.code).toBe(ErrorCode.ImportInvalid);
      const badFormat = await importFile(bankCourse, 'x', 'a.gift', '?format=docx');
      expect(badFormat.status).toBe(400);
      expect(badFormat.body.code).toBe(ErrorCode.ValidationFailed);
      expect(await bankSize(bankCourse)).toBe(before);
    });

    it('exports the bank as GIFT (ordering skipped) and re-imports it with the same questions', async () => {
      const source = (await t.http.get(`/api/courses/${courseId}/questions`).set(organiser)).body as Array<{ type: string; definition: QuestionDefinition }>;
      const exportable = source.filter((q) => q.type !== QuestionType.Ordering);
      const exported = await t.http.get(`/api/courses/${courseId}/questions/export.gift`).set(organiser);
      expect(exported.status).toBe(200);
      expect(exported.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(exported.headers['x-skipped']).toBe(String(source.length - exportable.length));
      expect(source.length - exportable.length).toBe(2);

      const target = await publishedCourse(t, organiser, `GIFT-${f.tag}`, f.province.id);
      const res = await importFile(target, exported.text, 'questions.gift.txt', '?format=gift');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ dryRun: false, imported: exportable.length, errors: [] });
      const back = (await t.http.get(`/api/courses/${target}/questions`).set(organiser)).body as Array<{ type: string; definition: QuestionDefinition }>;
      const shape = (list: typeof back) => list.map((q) => `${q.type}|${q.definition.text}`).sort();
      expect(shape(back)).toEqual(shape(exportable));
      // Answers survive the trip: the reimported G2 grades like the original.
      const g2 = back.find((q) => q.definition.text === G2.text)?.definition as { partialCredit: boolean; options: Array<{ text: string; fraction: number }> };
      expect(g2.partialCredit).toBe(true);
      expect(g2.options.map((o) => [o.text, o.fraction])).toEqual((G2 as { options: Array<{ text: string; fraction: number }> }).options.map((o) => [o.text, o.fraction]));
    });
  });

  it('random draws: each attempt has exactly N distinct questions from the category', async () => {
    const category = 'An toàn thông tin/Cơ bản';
    const inCategory: string[] = [];
    for (let i = 1; i <= 5; i++) {
      const res = await t.http
        .post(`/api/courses/${courseId}/questions`)
        .set(organiser)
        .send({ definition: { type: 'true_false', text: `[R${i}] Câu an toàn thông tin số ${i}`, tags: [], correct: i % 2 === 0, category } });
      expect(res.status).toBe(201);
      expect(res.body.category).toBe(category);
      inCategory.push(res.body.id);
    }
    for (let i = 1; i <= 3; i++) {
      await t.http
        .post(`/api/courses/${courseId}/questions`)
        .set(organiser)
        .send({ definition: { type: 'true_false', text: `[S${i}] Câu chuyển đổi số ${i}`, tags: [], correct: true, category: 'Chuyển đổi số' } })
        .expect(201);
    }
    const slotQuestions = async (attemptId: string): Promise<string[]> =>
      (await t.db.query(`SELECT question_id FROM quiz_attempt_slots WHERE attempt_id = $1 ORDER BY slot`, [attemptId])).map((r: { question_id: string }) => r.question_id);

    const quizId = await createQuiz({ title: 'Ngẫu nhiên', mode: 'graded', selection: { mode: 'random', draws: [{ category, count: 3 }] } });
    expect((await t.http.get(`/api/quizzes/${quizId}`).set(learner)).body.quiz.questionCount).toBe(3);
    for (let n = 0; n < 4; n++) {
      const a = await start(quizId);
      expect(a.slots).toHaveLength(3);
      for (const s of a.slots) expect(s.question.text).toMatch(/^\[R[1-5]\]/);
      const qs = await slotQuestions(a.id);
      expect(new Set(qs).size).toBe(3);
      for (const q of qs) expect(inCategory).toContain(q);
      expect(a.result).toBeNull();
      expect((await submit(a)).result?.maxScore).toBe(3);
    }

    // Two draws from the same category never give the same question twice.
    const twice = await createQuiz({ title: 'Hai lượt rút', mode: 'graded', selection: { mode: 'random', draws: [{ category, count: 2 }, { category, count: 2 }] } });
    for (let n = 0; n < 6; n++) {
      const a = await start(twice);
      const qs = await slotQuestions(a.id);
      expect(qs).toHaveLength(4);
      expect(new Set(qs).size).toBe(4);
      for (const q of qs) expect(inCategory).toContain(q);
      await submit(a);
    }
  });

  it('results (JSON, CSV, XLSX) and item analysis match the submitted attempts', async () => {
    const quizId = await fixedQuiz('Thống kê', ['G1', 'G4'], { gradingMethod: 'highest' });
    // Learner A: attempt 1 = G1 wrong (Huế), G4 right → 1/2; attempt 2 = both right → 2/2.
    const a1 = await start(quizId);
    await save(a1, 'G1', single(slotOf(a1, 'G1'), 'Huế'));
    await save(a1, 'G4', { value: true });
    await submit(a1);
    const a2 = await start(quizId);
    await save(a2, 'G1', single(slotOf(a2, 'G1'), 'Hà Nội'));
    await save(a2, 'G4', { value: true });
    await submit(a2);
    // Learner B: attempt 1 = both wrong → 0; attempt 2 still open (not counted in the analysis).
    const b1 = await start(quizId, learner2);
    await save(b1, 'G1', single(slotOf(b1, 'G1'), 'Đà Nẵng'), learner2);
    await save(b1, 'G4', { value: false }, learner2);
    const b1Done = await submit(b1, learner2);
    const b2 = await start(quizId, learner2);
    await save(b2, 'G1', single(slotOf(b2, 'G1'), 'Hà Nội'), learner2);

    const results = await t.http.get(`/api/quizzes/${quizId}/results`).set(organiser);
    expect(results.status).toBe(200);
    expect(results.body).toHaveLength(2);
    const rowA = results.body.find((r: { personId: string }) => r.personId === f.people.learner);
    const rowB = results.body.find((r: { personId: string }) => r.personId === learner2Person);
    expect(rowA).toMatchObject({ staffCode: `L-${f.tag}`, fullName: 'Nguyễn Thị Hương', unitName: 'Phường Hội Thương', attempts: 2, grade: 1, passed: true });
    expect(rowB).toMatchObject({ staffCode: `L2-${f.tag}`, fullName: 'Trần Văn Bình', unitName: 'Phường Diên Hồng', attempts: 2, grade: 0, passed: false, lastSubmittedAt: b1Done.submittedAt });

    const csv = await t.http.get(`/api/quizzes/${quizId}/results?format=csv`).set(organiser);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toContain('ket-qua.csv');
    const lines = csv.text.replace(/^\uFEFF/, '').split('\r\n').filter(Boolean);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe('Mã cán bộ,Họ và tên,Đơn vị,Số lần làm,Điểm (thang 10),Đạt,Lần nộp cuối');
    expect(lines.filter((l) => l.startsWith(`L-${f.tag},Nguyễn Thị Hương,Phường Hội Thương,2,10,Đạt,`))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith(`L2-${f.tag},Trần Văn Bình,Phường Diên Hồng,2,0,Chưa đạt,`))).toHaveLength(1);

    const xlsx = await t.http
      .get(`/api/quizzes/${quizId}/results?format=xlsx`)
      .set(organiser)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const sheet = await readXlsx(xlsx.body as Buffer);
    expect(sheet.headers).toEqual(['Mã cán bộ', 'Họ và tên', 'Đơn vị', 'Số lần làm', 'Điểm (thang 10)', 'Đạt', 'Lần nộp cuối']);
    expect(sheet.rows.map((r) => r.cells.slice(0, 6)).sort()).toEqual(
      [
        [`L-${f.tag}`, 'Nguyễn Thị Hương', 'Phường Hội Thương', '2', '10', 'Đạt'],
        [`L2-${f.tag}`, 'Trần Văn Bình', 'Phường Diên Hồng', '2', '0', 'Chưa đạt'],
      ].sort(),
    );

    // Item analysis over the 3 finished attempts (A1, A2, B1):
    //   G1 fractions 0, 1, 0 → facility 33.33; G4 fractions 1, 1, 0 → 66.67.
    //   Discrimination (Pearson of the question vs the rest of the test):
    //   G1 x = [0,1,0], rest = [1,1,0] → r = (1/3) / (2/3) = 0.5; G4 x = [1,1,0], rest = [0,1,0] → 0.5.
    const analysis = await t.http.get(`/api/quizzes/${quizId}/item-analysis`).set(organiser);
    expect(analysis.status).toBe(200);
    expect(analysis.body).toHaveLength(2);
    const q1 = analysis.body.find((r: { questionId: string }) => r.questionId === ids.G1);
    const q4 = analysis.body.find((r: { questionId: string }) => r.questionId === ids.G4);
    expect(q1).toEqual({
      questionId: ids.G1,
      title: G1.text,
      type: QuestionType.SingleChoice,
      attempts: 3,
      facilityIndex: 33.33,
      discriminationIndex: 50,
      options: [
        { key: 'o1', text: 'Hà Nội', count: 1 },
        { key: 'o2', text: 'Huế', count: 1 },
        { key: 'o3', text: 'Đà Nẵng', count: 1 },
      ],
    });
    expect(q4).toEqual({
      questionId: ids.G4,
      title: G4.text,
      type: QuestionType.TrueFalse,
      attempts: 3,
      facilityIndex: 66.67,
      discriminationIndex: 50,
      options: [
        { key: 'true', text: 'Đúng', count: 2 },
        { key: 'false', text: 'Sai', count: 1 },
      ],
    });
  });

  it('quiz settings of the wrong type are refused with VALIDATION_FAILED (not a database error) and nothing changes', async () => {
    const quizId = await fixedQuiz('Kiểm tra thiết lập', ['G1']);
    const before = (await t.http.get(`/api/quizzes/${quizId}/settings`).set(organiser)).body;
    for (const [field, body] of [
      ['shuffleOptions', { shuffleOptions: 'abc' }],
      ['shuffleQuestions', { shuffleQuestions: 5 }],
      ['timeLimitSeconds', { timeLimitSeconds: 10 }],
      ['maxAttempts', { maxAttempts: 0 }],
      ['passMark', { passMark: 1.5 }],
    ] as const) {
      const res = await t.http.patch(`/api/quizzes/${quizId}`).set(organiser).send(body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe(ErrorCode.ValidationFailed);
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    const created = await t.http
      .post(`/api/courses/${courseId}/quizzes`)
      .set(organiser)
      .send({ title: 'Sai kiểu', mode: 'graded', selection: { mode: 'fixed', questionIds: [ids.G1] }, shuffleQuestions: 'yes' });
    expect(created.status).toBe(400);
    expect(created.body.code).toBe(ErrorCode.ValidationFailed);
    expect((await t.http.get(`/api/quizzes/${quizId}/settings`).set(organiser)).body).toEqual(before);
    expect((await t.db.query(`SELECT 1 FROM quizzes WHERE course_id = $1 AND title = 'Sai kiểu'`, [courseId])).length).toBe(0);
  });

  it('organisers outside the course owner subtree, and learners, cannot read the bank, quiz settings or results', async () => {
    const quizId = await fixedQuiz('Phạm vi', ['G1', 'G5']);
    const a = await start(quizId);
    await save(a, 'G5', { text: 'Công an' });
    await submit(a);
    const bankBefore = await bankSize(courseId);

    for (const who of [outsider, otherAdmin]) {
      // One at a time: supertest listens on the app's server per request.
      const requests = [
        () => t.http.get(`/api/courses/${courseId}/questions`).set(who),
        () => t.http.get(`/api/courses/${courseId}/questions/export.gift`).set(who),
        () => t.http.get(`/api/courses/${courseId}/quizzes`).set(who),
        () => t.http.get(`/api/quizzes/${quizId}/settings`).set(who),
        () => t.http.get(`/api/quizzes/${quizId}/results`).set(who),
        () => t.http.get(`/api/quizzes/${quizId}/results?format=csv`).set(who),
        () => t.http.get(`/api/quizzes/${quizId}/item-analysis`).set(who),
        () => t.http.patch(`/api/quizzes/${quizId}`).set(who).send({ title: 'Bị sửa' }),
        () => t.http.post(`/api/courses/${courseId}/questions`).set(who).send({ definition: G4 }),
        () => t.http.put(`/api/questions/${ids.G1}`).set(who).send({ definition: G4 }),
        () => t.http.post(`/api/courses/${courseId}/questions/import`).set(who).attach('file', Buffer.from('Câu hỏi? {T}'), 'a.gift'),
      ];
      for (const send of requests) {
        const res = await send();
        expect([403, 404]).toContain(res.status);
        // A course outside the caller's audience does not exist for them (404), like an out-of-scope question.
        expect([ErrorCode.Forbidden, ErrorCode.QuestionNotFound, ErrorCode.CourseNotFound, ErrorCode.QuizNotFound]).toContain(res.body.code);
        const json = JSON.stringify(res.body);
        for (const secret of ['[G1]', '[G5]', 'Công an', 'Hà Nội', 'Nguyễn Thị Hương', 'Phạm vi']) expect(json).not.toContain(secret);
      }
    }
    // A learner is not an editor at all.
    for (const path of [`/api/courses/${courseId}/questions`, `/api/quizzes/${quizId}/settings`, `/api/quizzes/${quizId}/results`, `/api/quizzes/${quizId}/item-analysis`]) {
      const res = await t.http.get(path).set(learner);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe(ErrorCode.Forbidden);
    }
    // Nothing changed.
    expect(await bankSize(courseId)).toBe(bankBefore);
    expect((await t.http.get(`/api/quizzes/${quizId}/settings`).set(organiser)).body.title).toBe('Phạm vi');
    const [g1] = await t.db.query(`SELECT definition FROM questions WHERE id = $1`, [ids.G1]);
    expect(g1.definition.text).toBe(G1.text);
  });
});
