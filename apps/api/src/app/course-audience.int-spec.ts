import { CourseAudienceScope, ErrorCode, QuestionType, Role } from '@dxtrain/shared/contracts';
import { publishedCourse } from '../testing/enrolment-helpers';
import { buildFixture, Fixture, FIXTURE_PASSWORD, insertPerson, insertUser } from '../testing/fixtures';
import { createTestApp, signIn, TestApp } from '../testing/test-app';

type Auth = { Authorization: string };

/**
 * Which courses a learner may take (the course's audience: the owner's subtree by default, named units, everyone),
 * and which quizzes: only those of the published version they study. A quiz in no published lesson cannot be
 * started by anyone (before: any learner of any province could start it by id and read the answer key on submit);
 * editors try it with a preview that records nothing.
 */
describe('course audience and takeable quizzes', () => {
  let t: TestApp;
  let f: Fixture;
  let organiser: Auth;
  let learner: Auth;
  let foreign: Auth;
  let courseId: string;
  let questionId: string;

  const quiz = async (title: string) => {
    const res = await t.http.post(`/api/courses/${courseId}/quizzes`).set(organiser).send({ title, mode: 'graded', selection: { mode: 'fixed', questionIds: [questionId] }, review: { score: 'after_submit', answers: 'after_submit' } });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const publishWith = async (quizId: string) => {
    const draft = await t.http.post(`/api/courses/${courseId}/draft`).set(organiser);
    const sectionId = draft.body.draft.sections[0].id as string;
    await t.http.post(`/api/courses/${courseId}/sections/${sectionId}/lessons`).set(organiser).send({ title: 'Kiểm tra', kind: 'quiz', quizId }).expect(201);
    await t.http.post(`/api/courses/${courseId}/publish`).set(organiser).expect(200);
  };
  const catalogue = async (who: Auth) => ((await t.http.get('/api/courses').set(who)).body.items as Array<{ id: string }>).map((c) => c.id);

  beforeAll(async () => {
    t = await createTestApp();
    f = await buildFixture(t.db);
    organiser = await signIn(t.http, `organiser-${f.tag}`, FIXTURE_PASSWORD);
    learner = await signIn(t.http, `learner-${f.tag}`, FIXTURE_PASSWORD);
    const qPerson = await insertPerson(t.db, f.otherProvince, `QL-${f.tag}`, 'Lâm Thị Quyên');
    await insertUser(t.db, `learner-q-${f.tag}`, [[Role.Learner, f.otherProvince]], qPerson);
    foreign = await signIn(t.http, `learner-q-${f.tag}`, FIXTURE_PASSWORD);
    courseId = await publishedCourse(t, organiser, `AUD-${f.tag}`, f.province.id);
    const q = await t.http
      .post(`/api/courses/${courseId}/questions`)
      .set(organiser)
      .send({ definition: { type: QuestionType.TrueFalse, text: 'Đáp án bí mật của đề thi', correct: false, points: 1, tags: [] } });
    questionId = q.body.id;
  });
  afterAll(() => t.close());

  it('a quiz in no published lesson cannot be started by anyone, and leaks nothing', async () => {
    const draftQuiz = await quiz('Đề chưa công bố');
    for (const who of [learner, foreign]) {
      const res = await t.http.post(`/api/quizzes/${draftQuiz}/attempts`).set(who);
      expect(res.status).toBe(404);
      expect(JSON.stringify(res.body)).not.toContain('Đáp án bí mật');
    }
    expect(await t.db.query(`SELECT 1 FROM quiz_attempts WHERE quiz_id = $1`, [draftQuiz])).toHaveLength(0);
    // and the refused start did not start the course on the side
    expect(await t.db.query(`SELECT 1 FROM course_progress WHERE course_id = $1`, [courseId])).toHaveLength(0);
  });

  it('a course is for its owner’s subtree by default: another province neither lists nor takes it', async () => {
    const exam = await quiz('Kiểm tra cuối khoá');
    await publishWith(exam);
    expect(await catalogue(learner)).toContain(courseId);
    expect(await catalogue(foreign)).not.toContain(courseId);
    expect((await t.http.get(`/api/courses/${courseId}`).set(foreign)).status).toBe(404);
    const res = await t.http.post(`/api/quizzes/${exam}/attempts`).set(foreign);
    expect(res.status).toBe(404);
    expect(JSON.stringify(res.body)).not.toContain('Đáp án bí mật');
    // The learner of the province takes it (starting the course on the way).
    const mine = await t.http.post(`/api/quizzes/${exam}/attempts`).set(learner);
    expect(mine.status).toBe(200);
    expect((await t.db.query(`SELECT 1 FROM course_progress WHERE course_id = $1 AND person_id = $2`, [courseId, f.people.learner])).length).toBe(1);
  });

  it('a quiz added in a later version is not for a learner who studies an earlier one', async () => {
    const later = await quiz('Bài bổ sung');
    await publishWith(later);
    const res = await t.http.post(`/api/quizzes/${later}/attempts`).set(learner);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe(ErrorCode.QuizNotFound);
  });

  it('named units or everyone open it to other provinces; only its editors may change that', async () => {
    const refused = await t.http.put(`/api/courses/${courseId}/audience`).set(learner).send({ scope: CourseAudienceScope.Everyone });
    expect(refused.status).toBe(403);
    const bad = await t.http.put(`/api/courses/${courseId}/audience`).set(organiser).send({ scope: CourseAudienceScope.Units, unitIds: [] });
    expect(bad.status).toBe(400);
    const named = await t.http.put(`/api/courses/${courseId}/audience`).set(organiser).send({ scope: CourseAudienceScope.Units, unitIds: [f.otherProvince.id] });
    expect(named.status).toBe(200);
    expect(named.body).toEqual({ scope: CourseAudienceScope.Units, units: [{ id: f.otherProvince.id, name: expect.any(String) }] });
    expect(await catalogue(foreign)).toContain(courseId);
    // the province's own learner started it before: they keep it although the audience no longer names them
    expect(await catalogue(learner)).toContain(courseId);
    const everyone = await t.http.put(`/api/courses/${courseId}/audience`).set(organiser).send({ scope: CourseAudienceScope.Everyone });
    expect(everyone.status).toBe(200);
    expect((await t.http.get(`/api/courses/${courseId}`).set(foreign)).body.audience.scope).toBe(CourseAudienceScope.Everyone);
  });

  it('editors preview a draft quiz with its answers, and nothing is recorded', async () => {
    const draftQuiz = await quiz('Đề nháp để xem trước');
    const before = (await t.db.query(`SELECT count(*)::int AS n FROM quiz_attempts`))[0].n;
    const preview = await t.http.get(`/api/quizzes/${draftQuiz}/preview`).set(organiser);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ quizId: draftQuiz, questions: [{ slot: 1, definition: { correct: false } }] });
    expect((await t.db.query(`SELECT count(*)::int AS n FROM quiz_attempts`))[0].n).toBe(before);
    expect((await t.http.get(`/api/quizzes/${draftQuiz}/preview`).set(learner)).status).toBe(403);
  });
});
