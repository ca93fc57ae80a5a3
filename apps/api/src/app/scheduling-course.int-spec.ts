import { INestApplication } from '@nestjs/common';
import { startWorker } from '../testing/enrolment-helpers';
import { buildFixture, Fixture, FIXTURE_PASSWORD } from '../testing/fixtures';
import { createTestApp, signIn, TestApp } from '../testing/test-app';

type Auth = { Authorization: string };
const H = 3600_000;
const at = (ms: number) => new Date(Math.floor((Date.now() + ms) / 60_000) * 60_000).toISOString();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('training classes linked to a course with a final quiz', () => {
  let t: TestApp;
  let f: Fixture;
  let worker: INestApplication;
  let organiser: Auth;
  let learner: Auth;

  beforeAll(async () => {
    t = await createTestApp();
    f = await buildFixture(t.db);
    worker = await startWorker();
    organiser = await signIn(t.http, `organiser-${f.tag}`, FIXTURE_PASSWORD);
    learner = await signIn(t.http, `learner-${f.tag}`, FIXTURE_PASSWORD);
  });
  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  it('attendance alone does not complete; passing the final quiz afterwards does (via course.completed)', async () => {
    const course = await t.http.post('/api/courses').set(organiser).send({ code: `LK-${f.tag}`, title: 'Chữ ký số trong công vụ', periods: 4, ownerUnitId: f.province.id });
    const courseId = course.body.id as string;
    const q = await t.http.post(`/api/courses/${courseId}/questions`).set(organiser).send({ definition: { type: 'true_false', text: 'Văn bản ký số hợp lệ có giá trị pháp lý.', points: 1, tags: [], correct: true } });
    const quiz = await t.http
      .post(`/api/courses/${courseId}/quizzes`)
      .set(organiser)
      .send({ title: 'Kiểm tra cuối khoá', mode: 'graded', selection: { mode: 'fixed', questionIds: [q.body.id] }, maxAttempts: 3, review: { score: 'after_submit', answers: 'never' } });
    const section = await t.http.post(`/api/courses/${courseId}/sections`).set(organiser).send({ title: 'Phần 1' });
    await t.http.post(`/api/courses/${courseId}/sections/${section.body.id}/lessons`).set(organiser).send({ title: 'Kiểm tra', kind: 'quiz', quizId: quiz.body.id }).expect(201);
    await t.http.patch(`/api/courses/${courseId}/draft`).set(organiser).send({ finalQuizId: quiz.body.id }).expect(200);
    await t.http.post(`/api/courses/${courseId}/publish`).set(organiser).expect(200);

    const created = await t.http
      .post('/api/classes')
      .set(organiser)
      .send({ title: `Lớp chữ ký số ${f.tag}`, courseId, mode: 'online', orgUnitId: f.province.id, capacity: 10, sessions: [{ startsAt: at(-3 * H), endsAt: at(-H) }] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ courseId, courseTitle: 'Chữ ký số trong công vụ', periods: 4 });
    const classId = created.body.id as string;
    await t.http.post(`/api/classes/${classId}/status`).set(organiser).send({ status: 'open' }).expect(200);
    await t.http.post(`/api/classes/${classId}/registrations`).set(learner).send({}).expect(201);
    await t.http.put(`/api/class-sessions/${created.body.sessions[0].id}/attendance`).set(organiser).send({ marks: [{ personId: f.people.learner, status: 'present' }] }).expect(200);
    expect(await t.db.query(`SELECT 1 FROM class_completions WHERE class_id = $1`, [classId])).toHaveLength(0);

    await t.http.post(`/api/courses/${courseId}/start`).set(learner).expect(200);
    const attempt = (await t.http.post(`/api/quizzes/${quiz.body.id}/attempts`).set(learner)).body;
    await t.http.put(`/api/attempts/${attempt.id}/slots/1`).set(learner).send({ response: { value: true } }).expect(200);
    const submitted = await t.http.post(`/api/attempts/${attempt.id}/submit`).set(learner);
    expect(submitted.body.result).toMatchObject({ passed: true });

    // course.completed → the worker's dispatcher → the class completes, and class.completed is queued.
    let rows: Array<{ id: string; published_at: Date | null }> = [];
    // The completion row commits first; published_at is set just after the event is queued: wait for both.
    for (let i = 0; i < 300 && !(rows.length === 1 && rows[0].published_at); i++) {
      rows = await t.db.query(`SELECT id, published_at FROM class_completions WHERE class_id = $1 AND person_id = $2`, [classId, f.people.learner]);
      if (!(rows.length === 1 && rows[0].published_at)) await sleep(100);
    }
    expect(rows).toHaveLength(1);
    expect(rows[0].published_at).not.toBeNull();
    const mine = (await t.http.get('/api/me/classes').set(learner)).body as Array<{ id: string; registration: { completedAt: string | null } }>;
    expect(mine.find((c) => c.id === classId)?.registration.completedAt).toEqual(expect.any(String));
  });
});
