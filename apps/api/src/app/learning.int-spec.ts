import { Queue } from 'bullmq';
import { ErrorCode, JobName, QueueName } from '@dxtrain/shared/contracts';
import { getQueueToken } from '@nestjs/bullmq';
import { buildFixture, Fixture, FIXTURE_PASSWORD } from '../testing/fixtures';
import { createTestApp, signIn, TestApp } from '../testing/test-app';

type Auth = { Authorization: string };

const tf = (text: string, correct: boolean) => ({ type: 'true_false', text, points: 1, tags: [], correct });

describe('self-paced learning: course, quiz, completion', () => {
  let t: TestApp;
  let f: Fixture;
  let organiser: Auth;
  let learner: Auth;
  let courseId: string;
  let quizId: string;
  const questionIds: string[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    f = await buildFixture(t.db);
    organiser = await signIn(t.http, `organiser-${f.tag}`, FIXTURE_PASSWORD);
    learner = await signIn(t.http, `learner-${f.tag}`, FIXTURE_PASSWORD);
  });
  afterAll(() => t.close());

  it('an organiser builds a course with a text lesson and a graded final quiz, and publishes it', async () => {
    const created = await t.http.post('/api/courses').set(organiser).send({ code: `KN-${f.tag}`, title: 'Kỹ năng số cơ bản', periods: 4, ownerUnitId: f.province.id });
    expect(created.status).toBe(201);
    courseId = created.body.id;
    for (const [text, correct] of [['Chữ ký số có giá trị pháp lý.', true], ['Mật khẩu nên dùng chung cho mọi hệ thống.', false]] as const) {
      const q = await t.http.post(`/api/courses/${courseId}/questions`).set(organiser).send({ definition: tf(text, correct) });
      expect(q.status).toBe(201);
      questionIds.push(q.body.id);
    }
    const quiz = await t.http
      .post(`/api/courses/${courseId}/quizzes`)
      .set(organiser)
      .send({ title: 'Bài kiểm tra cuối khóa', mode: 'graded', selection: { mode: 'fixed', questionIds }, maxAttempts: 3, review: { score: 'after_submit', answers: 'never' } });
    expect(quiz.status).toBe(201);
    quizId = quiz.body.id;
    const section = await t.http.post(`/api/courses/${courseId}/sections`).set(organiser).send({ title: 'Phần 1' });
    await t.http.post(`/api/courses/${courseId}/sections/${section.body.id}/lessons`).set(organiser).send({ title: 'Giới thiệu', kind: 'text', markdown: '# Xin chào\n<script>alert(1)</script>' }).expect(201);
    await t.http.post(`/api/courses/${courseId}/sections/${section.body.id}/lessons`).set(organiser).send({ title: 'Kiểm tra', kind: 'quiz', quizId }).expect(201);
    await t.http.patch(`/api/courses/${courseId}/draft`).set(organiser).send({ finalQuizId: quizId }).expect(200);
    const published = await t.http.post(`/api/courses/${courseId}/publish`).set(organiser);
    expect(published.status).toBe(200);
    expect(published.body.status).toBe('published');
    // Published content is not edited in place.
    const edit = await t.http.patch(`/api/courses/${courseId}/draft`).set(organiser).send({ title: 'Đổi tên' });
    expect(edit.body.code).toBe(ErrorCode.CourseNoDraft);
  });

  it('the learner finds it in the catalogue without diacritics and starts it', async () => {
    const list = await t.http.get('/api/courses?q=ky nang so').set(learner);
    expect(list.body.items.map((c: { id: string }) => c.id)).toContain(courseId);
    const started = await t.http.post(`/api/courses/${courseId}/start`).set(learner);
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ percentComplete: 0, lessonsRequired: 2 });
  });

  it('renders lesson Markdown sanitised and records progress', async () => {
    const course = (await t.http.get(`/api/courses/${courseId}`).set(learner)).body;
    const textLesson = course.version.sections[0].lessons[0];
    const lesson = await t.http.get(`/api/lessons/${textLesson.id}`).set(learner);
    expect(lesson.body.html).toContain('<h1>Xin chào</h1>');
    expect(lesson.body.html).not.toContain('<script');
    const progress = await t.http.post(`/api/lessons/${textLesson.id}/progress`).set(learner).send({ completed: true, timeSpentSeconds: 120 });
    expect(progress.body).toMatchObject({ lessonsCompleted: 1, percentComplete: 50, timeSpentSeconds: 120, completedAt: null });
  });

  it('never sends correct answers, rejects foreign answers, fails once, then passes and completes the course', async () => {
    const attempt = await t.http.post(`/api/quizzes/${quizId}/attempts`).set(learner);
    expect(attempt.status).toBe(200);
    expect(JSON.stringify(attempt.body)).not.toMatch(/"correct"|fraction/);
    // Another start while one is open resumes it.
    expect((await t.http.post(`/api/quizzes/${quizId}/attempts`).set(learner)).body.id).toBe(attempt.body.id);
    const bySlot = (a: { slots: Array<{ slot: number; question: { text: string } }> }, needle: string) => a.slots.find((s) => s.question.text.includes(needle))!.slot;
    const bad = await t.http.put(`/api/attempts/${attempt.body.id}/slots/99`).set(learner).send({ response: { value: true } });
    expect(bad.body.code).toBe(ErrorCode.AttemptSlotNotFound);
    const wrongShape = await t.http.put(`/api/attempts/${attempt.body.id}/slots/1`).set(learner).send({ response: { optionId: 'x' } });
    expect(wrongShape.body.code).toBe(ErrorCode.ResponseInvalid);
    // Someone else cannot touch the attempt.
    expect((await t.http.get(`/api/attempts/${attempt.body.id}`).set(organiser)).status).toBe(404);

    await t.http.put(`/api/attempts/${attempt.body.id}/slots/${bySlot(attempt.body, 'Chữ ký')}`).set(learner).send({ response: { value: false } }).expect(200);
    const failed = await t.http.post(`/api/attempts/${attempt.body.id}/submit`).set(learner);
    expect(failed.body.result).toMatchObject({ fraction: 0, passed: false, questions: null });
    // Submitting again changes nothing.
    expect((await t.http.post(`/api/attempts/${attempt.body.id}/submit`).set(learner)).body.result.fraction).toBe(0);
    expect((await t.http.get(`/api/courses/${courseId}`).set(learner)).body.progress.completedAt).toBeNull();

    const second = (await t.http.post(`/api/quizzes/${quizId}/attempts`).set(learner)).body;
    expect(second.number).toBe(2);
    await t.http.put(`/api/attempts/${second.id}/slots/${bySlot(second, 'Chữ ký')}`).set(learner).send({ response: { value: true } }).expect(200);
    const passed = await t.http.post(`/api/attempts/${second.id}/submit`).set(learner);
    expect(passed.body.result).toMatchObject({ fraction: 0.5, passed: true });

    const progress = (await t.http.get(`/api/courses/${courseId}`).set(learner)).body.progress;
    expect(progress).toMatchObject({ percentComplete: 100, score: 0.5 });
    expect(progress.completedAt).toEqual(expect.any(String));
    const completions = await t.db.query(`SELECT id, score FROM course_completions WHERE course_id = $1`, [courseId]);
    expect(completions).toHaveLength(1);
    const queue = t.app.get<Queue>(getQueueToken(QueueName.Events));
    const job = await queue.getJob(`course.completed.${completions[0].id}`);
    expect(job?.name).toBe(JobName.CourseCompleted);
    expect(job?.data).toMatchObject({ personId: f.people.learner, courseId, score: 0.5 });
  });

  it('refuses attempts beyond the maximum', async () => {
    const third = (await t.http.post(`/api/quizzes/${quizId}/attempts`).set(learner)).body;
    await t.http.post(`/api/attempts/${third.id}/submit`).set(learner).expect(200);
    const fourth = await t.http.post(`/api/quizzes/${quizId}/attempts`).set(learner);
    expect(fourth.status).toBe(409);
    expect(fourth.body.code).toBe(ErrorCode.AttemptLimitReached);
  });

  it('imports GIFT with line-numbered errors and nothing written on a dry run', async () => {
    const gift = '::Q1:: Thủ đô của Việt Nam là? {=Hà Nội ~Huế ~Đà Nẵng}\n\n::Q2:: Câu hỏi hỏng {=a ~b\n';
    const before = (await t.http.get(`/api/courses/${courseId}/questions`).set(organiser)).body.length;
    const dry = await t.http.post(`/api/courses/${courseId}/questions/import?dryRun=true`).set(organiser).attach('file', Buffer.from(gift), 'bank.gift');
    expect(dry.status).toBe(200);
    expect(dry.body.imported).toBe(1);
    expect(dry.body.errors[0].line).toBe(3);
    expect((await t.http.get(`/api/courses/${courseId}/questions`).set(organiser)).body.length).toBe(before);
  });
});
