import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { EnrolmentImportSummary } from '@dxtrain/shared/contracts';
// Tests run the real worker app in-process next to the api; only test code reaches into another app.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { WorkerModule } from '../../../worker/src/app/worker.module';
import { TestApp } from './test-app';

type Auth = { Authorization: string };

/** The real worker module (every processor) in this process, on the run's Redis prefix. */
export async function startWorker(): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [WorkerModule] }).compile();
  const app = moduleRef.createNestApplication({ logger: ['error'] });
  await app.init();
  return app;
}

/** A published course with one text lesson, owned by `ownerUnitId`. */
export async function publishedCourse(t: TestApp, auth: Auth, code: string, ownerUnitId: string, audienceCategories: string[] = []): Promise<string> {
  const created = await t.http.post('/api/courses').set(auth).send({ code, title: `Khoá học ${code}`, periods: 2, ownerUnitId, audienceCategories });
  if (created.status !== 201) throw new Error(`create course: ${created.status} ${JSON.stringify(created.body)}`);
  const id = created.body.id as string;
  const section = await t.http.post(`/api/courses/${id}/sections`).set(auth).send({ title: 'Phần 1' });
  await t.http.post(`/api/courses/${id}/sections/${section.body.id}/lessons`).set(auth).send({ title: 'Bài 1', kind: 'text', markdown: 'Nội dung' });
  const published = await t.http.post(`/api/courses/${id}/publish`).set(auth);
  if (published.status !== 200) throw new Error(`publish: ${published.status} ${JSON.stringify(published.body)}`);
  return id;
}

/** Uploads a file and waits until the import is completed or failed. */
export async function runImport(
  t: TestApp,
  auth: Auth,
  file: Buffer,
  fileName: string,
  fields: Record<string, string> = {},
  timeoutMs = 60_000,
): Promise<EnrolmentImportSummary> {
  let req = t.http.post('/api/enrolment-imports').set(auth).attach('file', file, fileName);
  for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
  const res = await req;
  if (res.status !== 202) throw new Error(`upload: ${res.status} ${JSON.stringify(res.body)}`);
  return waitForImport(t, auth, res.body.id as string, timeoutMs);
}

export async function waitForImport(t: TestApp, auth: Auth, id: string, timeoutMs = 60_000): Promise<EnrolmentImportSummary> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const s = await t.http.get(`/api/enrolment-imports/${id}`).set(auth);
    if (s.status !== 200) throw new Error(`status: ${s.status} ${JSON.stringify(s.body)}`);
    if (s.body.status === 'completed' || s.body.status === 'failed') return s.body as EnrolmentImportSummary;
    if (Date.now() > until) throw new Error(`import ${id} still ${s.body.status} after ${timeoutMs} ms: ${JSON.stringify(s.body)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
