import { ErrorCode, QuestionType } from '@dxtrain/shared/contracts';
import { publishedCourse } from '../testing/enrolment-helpers';
import { buildFixture, Fixture, FIXTURE_PASSWORD } from '../testing/fixtures';
import { createTestApp, signIn, TestApp } from '../testing/test-app';

type Auth = { Authorization: string };

/** Practice quizzes reveal correctness per answer: questions marked "exam only" never reach them. */
describe('exam-only questions stay out of practice quizzes', () => {
  let t: TestApp;
  let f: Fixture;
  let organiser: Auth;
  let learner: Auth;
  let courseId: string;
  const ids: Record<string, string> = {};

  const question = async (key: string, examOnly: boolean) => {
    const res = await t.http
      .post(`/api/courses/${courseId}/questions`)
      .set(organiser)
      .send({ definition: { type: QuestionType.TrueFalse, text: `[${key}] Câu ${key}`, correct: true, points: 1, tags: [], ...(examOnly ? { examOnly: true } : {}) } });
    expect(res.status).toBe(201);
    ids[key] = res.body.id;
  };

  beforeAll(async () => {
    t = await createTestApp();
    f = await buildFixture(t.db);
    organiser = await signIn(t.http, `organiser-${f.tag}`, FIXTURE_PASSWORD);
    learner = await signIn(t.http, `learner-${f.tag}`, FIXTURE_PASSWORD);
    courseId = await publishedCourse(t, organiser, `EX-${f.tag}`, f.province.id);
    await question('P1', false);
    await question('P2', false);
    await question('E1', true);
  });
  afterAll(() => t.close());

  it('keeps the flag on the question', async () => {
    const bank = (await t.http.get(`/api/courses/${courseId}/questions`).set(organiser)).body as Array<{ id: string; definition: { examOnly?: boolean } }>;
    expect(bank.find((q) => q.id === ids['E1'])?.definition.examOnly).toBe(true);
    expect(bank.find((q) => q.id === ids['P1'])?.definition.examOnly).toBeUndefined();
  });

  it('refuses a practice quiz that names an exam-only question, accepts it in a graded exam', async () => {
    const practice = await t.http
      .post(`/api/courses/${courseId}/quizzes`)
      .set(organiser)
      .send({ title: 'Tự kiểm tra', mode: 'practice', selection: { mode: 'fixed', questionIds: [ids['P1'], ids['E1']] } });
    expect(practice.status).toBe(400);
    expect(practice.body).toMatchObject({ code: ErrorCode.QuestionExamOnly, details: [{ field: 'selection.questionIds', message: ids['E1'] }] });
    const exam = await t.http
      .post(`/api/courses/${courseId}/quizzes`)
      .set(organiser)
      .send({ title: 'Kiểm tra cuối khoá', mode: 'graded', selection: { mode: 'fixed', questionIds: [ids['P1'], ids['E1']] } });
    expect(exam.status).toBe(201);
    // Turning the exam into practice is refused the same way.
    const switched = await t.http.patch(`/api/quizzes/${exam.body.id}`).set(organiser).send({ mode: 'practice' });
    expect(switched.status).toBe(400);
    expect(switched.body.code).toBe(ErrorCode.QuestionExamOnly);
  });

  it('a question marked exam only after the fact is not drawn into a practice attempt', async () => {
    const practice = await t.http
      .post(`/api/courses/${courseId}/quizzes`)
      .set(organiser)
      .send({ title: 'Tự kiểm tra 2', mode: 'practice', selection: { mode: 'fixed', questionIds: [ids['P1'], ids['P2']] } });
    expect(practice.status).toBe(201);
    // Learners take a quiz once it is in a published lesson of the course.
    const draft = await t.http.post(`/api/courses/${courseId}/draft`).set(organiser);
    await t.http.post(`/api/courses/${courseId}/sections/${draft.body.draft.sections[0].id}/lessons`).set(organiser).send({ title: 'Tự kiểm tra', kind: 'quiz', quizId: practice.body.id, required: false }).expect(201);
    await t.http.post(`/api/courses/${courseId}/publish`).set(organiser).expect(200);
    const bank = (await t.http.get(`/api/courses/${courseId}/questions`).set(organiser)).body as Array<{ id: string; definition: Record<string, unknown> }>;
    const p2 = bank.find((q) => q.id === ids['P2']);
    expect((await t.http.put(`/api/questions/${ids['P2']}`).set(organiser).send({ definition: { ...p2?.definition, examOnly: true } })).status).toBe(200);
    const attempt = await t.http.post(`/api/quizzes/${practice.body.id}/attempts`).set(learner);
    expect(attempt.status).toBe(200);
    expect(attempt.body.slots.map((s: { question: { text: string } }) => s.question.text)).toEqual(['[P1] Câu P1']);
  });
});
