import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import QRCode from 'qrcode';
import { CertificateItem, ClassCompletedEvent, ErrorCode, JobName, QueueName } from '@dxtrain/shared/contracts';
import { publishedCourse, startWorker } from '../testing/enrolment-helpers';
import { buildFixture, Fixture, FIXTURE_PASSWORD, insertPerson } from '../testing/fixtures';
import { createTestApp, signIn, TestApp } from '../testing/test-app';

type Auth = { Authorization: string };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function binary(res: NodeJS.ReadableStream, cb: (err: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

jest.setTimeout(120_000);

describe('certificates: issuer templates, manual and batch issue, classes, ZIP of a course', () => {
  let t: TestApp;
  let f: Fixture;
  let worker: INestApplication;
  let organiser: Auth;
  let learner: Auth;
  let otherAdmin: Auth;
  let courseId: string;
  const dir = mkdtempSync(join(tmpdir(), 'dxtrain-cert2-'));

  beforeAll(async () => {
    t = await createTestApp();
    f = await buildFixture(t.db);
    worker = await startWorker();
    organiser = await signIn(t.http, `organiser-${f.tag}`, FIXTURE_PASSWORD);
    learner = await signIn(t.http, `learner-${f.tag}`, FIXTURE_PASSWORD);
    otherAdmin = await signIn(t.http, `admin-q-${f.tag}`, FIXTURE_PASSWORD);
    courseId = await publishedCourse(t, organiser, `TPL-${f.tag}`, f.district1.id);
  });
  afterAll(async () => {
    await worker.close();
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
    let v = await read();
    // Up to ~45 s: on a loaded machine the worker's chain (enrolment, certificate, classes, compliance) can be slow.
    for (let i = 0; i < 450 && !ok(v); i++) {
      await sleep(100);
      v = await read();
    }
    if (!ok(v)) {
      // Say what the queues were doing, so a failure here can be told apart from a slow machine.
      const queues = await Promise.all(
        [QueueName.Events, QueueName.Certificates].map(async (name) => {
          const q = t.app.get<Queue>(getQueueToken(name));
          const failed = await q.getFailed(0, 3);
          return `${name}: ${JSON.stringify(await q.getJobCounts())} ${failed.map((j) => `${j.name}: ${j.failedReason}`).join('; ')}`;
        }),
      );
      throw new Error(`${what} never happened: ${JSON.stringify(v)}\n${queues.join('\n')}`);
    }
    return v;
  }

  it('a province template (signer, wording, validity, logo) is checked, audited and inherited by its districts', async () => {
    const png = await QRCode.toBuffer('logo', { type: 'png', width: 120 });
    const logo = await t.http.post('/api/files').set(organiser).attach('file', png, 'logo.png');
    expect(logo.status).toBe(201);
    const pdf = await t.http.post('/api/files').set(organiser).attach('file', Buffer.from('%PDF-1.4\n%%EOF\n'), 'a.pdf');
    expect(pdf.status).toBe(201);

    const base = { signerTitle: 'KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC', signerName: 'Trần Văn Ký', subtitle: 'Hoàn thành lớp bồi dưỡng kỹ năng số', validityMonths: 24 };
    const badLogo = await t.http.put(`/api/certificate-templates/${f.province.id}`).set(organiser).send({ ...base, logoFileId: pdf.body.id });
    expect([badLogo.status, badLogo.body.code]).toEqual([400, ErrorCode.CertificateTemplateInvalid]);
    const noTitle = await t.http.put(`/api/certificate-templates/${f.province.id}`).set(organiser).send({ ...base, signerTitle: '  ' });
    expect([noTitle.status, noTitle.body.code]).toEqual([400, ErrorCode.ValidationFailed]);
    const badMonths = await t.http.put(`/api/certificate-templates/${f.province.id}`).set(organiser).send({ ...base, validityMonths: 0 });
    expect([badMonths.status, badMonths.body.code]).toEqual([400, ErrorCode.ValidationFailed]);
    const outside = await t.http.put(`/api/certificate-templates/${f.province.id}`).set(otherAdmin).send(base);
    expect([outside.status, outside.body.code]).toEqual([404, ErrorCode.OrgUnitNotFound]);
    expect((await t.http.get(`/api/certificate-templates/${f.province.id}`).set(otherAdmin)).status).toBe(404);
    expect((await t.http.put(`/api/certificate-templates/${f.province.id}`).set(learner).send(base)).status).toBe(403);
    expect(await t.db.query(`SELECT 1 FROM certificate_templates WHERE issuer_unit_id = $1`, [f.province.id])).toHaveLength(0);

    const saved = await t.http.put(`/api/certificate-templates/${f.province.id}`).set(organiser).send({ ...base, logoFileId: logo.body.id });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ issuerUnitId: f.province.id, inherited: false, signerName: 'Trần Văn Ký', validityMonths: 24, logoFileId: logo.body.id });
    const district = (await t.http.get(`/api/certificate-templates/${f.district1.id}`).set(organiser)).body;
    expect(district).toMatchObject({ issuerUnitId: f.province.id, inherited: true, signerTitle: base.signerTitle });
    const audit = await t.db.query(`SELECT action FROM audit_events WHERE entity_id = $1 AND action LIKE 'certificate_template.%'`, [f.province.id]);
    expect(audit).toEqual([{ action: 'certificate_template.saved' }]);
  });

  it('a course completed in a district is certified with the inherited template: pdftotext shows the signer, the wording and the expiry', async () => {
    await t.http.post(`/api/courses/${courseId}/start`).set(learner).expect(200);
    const course = (await t.http.get(`/api/courses/${courseId}`).set(learner)).body;
    await t.http.post(`/api/lessons/${course.version.sections[0].lessons[0].id}/progress`).set(learner).send({ completed: true, timeSpentSeconds: 30 }).expect(200);
    const [cert] = await until(
      'the certificate PDF',
      async () => (await t.http.get('/api/me/certificates').set(learner)).body as CertificateItem[],
      (items) => items.some((c) => c.courseId === courseId && c.pdfUrl),
    );
    expect(cert.classId).toBeNull();
    const months = (new Date(cert.expiresAt as string).getTime() - new Date(cert.issuedAt).getTime()) / (30.44 * 86_400_000);
    expect(Math.round(months)).toBe(24);
    const file = join(dir, 'templated.pdf');
    writeFileSync(file, (await t.http.get(cert.pdfUrl as string).buffer(true).parse(binary)).body as Buffer);
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).normalize('NFC').replace(/\s+/g, ' ');
    expect(text).toContain('KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC');
    expect(text).toContain('Trần Văn Ký');
    expect(text).toContain('Hoàn thành lớp bồi dưỡng kỹ năng số');
    expect(text).toContain('Có giá trị đến');
    // The logo is an image in the PDF.
    expect(execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' })).toMatch(/\bimage\b/);
    // Certificates already issued keep their template: a later change does not touch them.
    await t.http.delete(`/api/certificate-templates/${f.province.id}`).set(organiser).expect(200);
    const [row] = await t.db.query(`SELECT signer_name, subtitle FROM certificates WHERE id = $1`, [cert.id]);
    expect(row).toEqual({ signer_name: 'Trần Văn Ký', subtitle: 'Hoàn thành lớp bồi dưỡng kỹ năng số' });
  });

  it('manual issue needs a completion; for one it returns the same certificate every time', async () => {
    const stranger = await insertPerson(t.db, f.commune1b, `M-${f.tag}`, 'Lê Văn Chưa Học');
    const refused = await t.http.post('/api/certificates').set(organiser).send({ courseId, personId: stranger });
    expect([refused.status, refused.body.code]).toEqual([409, ErrorCode.CertificateNotEligible]);
    const bad = await t.http.post('/api/certificates').set(organiser).send({ courseId: 'not-a-uuid', personId: stranger });
    expect([bad.status, bad.body.code]).toEqual([400, ErrorCode.ValidationFailed]);
    const outside = await t.http.post('/api/certificates').set(otherAdmin).send({ courseId, personId: f.people.learner });
    expect([outside.status, outside.body.code]).toEqual([404, ErrorCode.CourseNotFound]);
    const first = await t.http.post('/api/certificates').set(organiser).send({ courseId, personId: f.people.learner });
    const second = await t.http.post('/api/certificates').set(organiser).send({ courseId, personId: f.people.learner });
    expect(first.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    expect(await t.db.query(`SELECT id FROM certificates WHERE course_id = $1 AND person_id = $2`, [courseId, f.people.learner])).toHaveLength(1);
  });

  it('a batch for a course issues one certificate per completion without one, on the worker; a second batch queues nothing', async () => {
    const [version] = await t.db.query(`SELECT id FROM course_versions WHERE course_id = $1 ORDER BY created_at DESC LIMIT 1`, [courseId]);
    const people: string[] = [];
    for (let i = 0; i < 12; i++) {
      const id = await insertPerson(t.db, i % 2 ? f.commune1a : f.commune1b, `CB${i}-${f.tag}`, `Phạm Thị Lô ${i}`);
      people.push(id);
      // Completions recorded without their event (e.g. imported from a former system): only a batch certifies them.
      await t.db.query(`INSERT INTO course_completions (person_id, course_id, version_id, training_year, completed_at) VALUES ($1, $2, $3, 2026, now())`, [id, courseId, version.id]);
    }
    expect((await t.http.post('/api/certificates/batch').set(learner).send({ courseId })).status).toBe(403);
    const outside = await t.http.post('/api/certificates/batch').set(otherAdmin).send({ courseId });
    expect(outside.status).toBe(404);
    const res = await t.http.post('/api/certificates/batch').set(organiser).send({ courseId, year: 2026 });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ completions: 13, alreadyIssued: 1, queued: 12 });
    await until(
      'batch certificates',
      async () => (await t.db.query(`SELECT count(*)::int AS n FROM certificates WHERE course_id = $1 AND file_id IS NOT NULL`, [courseId]))[0].n,
      (n) => n === 13,
    );
    const again = await t.http.post('/api/certificates/batch').set(organiser).send({ courseId, year: 2026 });
    expect(again.body).toEqual({ completions: 13, alreadyIssued: 13, queued: 0 });
    const serials: Array<{ serial: string }> = await t.db.query(`SELECT serial FROM certificates WHERE course_id = $1`, [courseId]);
    expect(new Set(serials.map((s) => s.serial)).size).toBe(13);
  });

  it('the ZIP of a course holds every rendered PDF byte for byte; out of scope it holds nothing; a filter is required', async () => {
    const res = await t.http.get(`/api/certificates/archive.zip?courseId=${courseId}`).set(organiser).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['x-certificate-count']).toBe('13');
    const zip = join(dir, 'course.zip');
    writeFileSync(zip, res.body as Buffer);
    const names = execFileSync('zipinfo', ['-1', zip], { encoding: 'utf8' }).trim().split('\n');
    expect(names).toHaveLength(13);
    expect(names.every((n) => n.endsWith('.pdf'))).toBe(true);
    const out = join(dir, 'unzipped');
    execFileSync('unzip', ['-q', zip, '-d', out]);
    const hashes = new Set(names.map((n) => createHash('sha256').update(readFileSync(join(out, n))).digest('hex')));
    const stored: Array<{ sha256: string }> = await t.db.query(`SELECT sha256 FROM certificates WHERE course_id = $1 AND status <> 'superseded'`, [courseId]);
    expect(hashes).toEqual(new Set(stored.map((s) => s.sha256)));

    const outside = await t.http.get(`/api/certificates/archive.zip?courseId=${courseId}`).set(otherAdmin).buffer(true).parse(binary);
    expect(outside.headers['x-certificate-count']).toBe('0');
    const none = await t.http.get('/api/certificates/archive.zip').set(organiser);
    expect([none.status, none.body.code]).toEqual([400, ErrorCode.ValidationFailed]);
    expect((await t.http.get(`/api/certificates/archive.zip?courseId=${courseId}`).set(learner)).status).toBe(403);
  });

  it('class.completed certifies a class with no course once, issued by the organiser unit, and lists under the class', async () => {
    const classId = randomUUID();
    const event: ClassCompletedEvent = {
      completionId: randomUUID(),
      personId: f.people.learner,
      classId,
      courseId: null,
      classTitle: 'Lớp tập huấn An toàn thông tin cho cán bộ cấp xã',
      organiserUnitId: f.district1.id,
      periods: 8,
      completedAt: new Date().toISOString(),
      trainingYear: 2026,
    };
    const events = t.app.get<Queue>(getQueueToken(QueueName.Events));
    const jobs = [await events.add(JobName.ClassCompleted, event, { jobId: `class-${event.completionId}` }), await events.add(JobName.ClassCompleted, event, { jobId: `class-dup-${event.completionId}` })];
    for (const job of jobs) await until('the class event', () => job.isCompleted(), (done) => done);
    const rows = await t.db.query(`SELECT course_id, course_title, periods, issuer_unit_id FROM certificates WHERE class_id = $1`, [classId]);
    expect(rows).toEqual([{ course_id: null, course_title: event.classTitle, periods: 8, issuer_unit_id: f.district1.id }]);
    const listed = (await t.http.get(`/api/certificates?classId=${classId}`).set(organiser)).body as CertificateItem[];
    expect(listed.map((c) => [c.classId, c.courseId, c.holderName])).toEqual([[classId, null, 'Nguyễn Thị Hương']]);
    expect((await t.http.get(`/api/certificates?classId=${classId}`).set(otherAdmin)).body).toEqual([]);
    // The province template was removed above: with none left, the built-in signer block applies.
    const [{ signer_title }] = await t.db.query(`SELECT signer_title FROM certificates WHERE class_id = $1`, [classId]);
    expect(signer_title).toBe('THỦ TRƯỞNG ĐƠN VỊ');
  });

  it('the verify cache of every api process drops a certificate as soon as it is revoked elsewhere', async () => {
    const second = await createTestApp(); // another api process, with its own cache and subscriber
    try {
      const [row] = await t.db.query(`SELECT id, verification_code FROM certificates WHERE course_id = $1 AND status = 'valid' ORDER BY serial LIMIT 1`, [courseId]);
      // Both processes have read (and cached) it as valid.
      expect((await t.http.get(`/api/public/verify/${row.verification_code}`)).body.status).toBe('valid');
      expect((await second.http.get(`/api/public/verify/${row.verification_code}`)).body.status).toBe('valid');
      await t.http.post(`/api/certificates/${row.id}/revoke`).set(organiser).send({ reason: 'Cấp nhầm người' }).expect(200);
      // The other process hears of it through Redis pub/sub (asynchronously, so poll briefly).
      const status = await until('the second process to see the revocation', async () => (await second.http.get(`/api/public/verify/${row.verification_code}`)).body.status, (s) => s === 'revoked');
      expect(status).toBe('revoked');
    } finally {
      await second.close();
    }
  });

  it('the public check is limited per IP across api processes: past the limit a clear 429, in every process', async () => {
    const previous = { limit: process.env['VERIFY_RATE_LIMIT_PER_MINUTE'], hops: process.env['TRUST_PROXY_HOPS'] };
    process.env['VERIFY_RATE_LIMIT_PER_MINUTE'] = '6';
    // Behind one proxy, so this test's client has an address of its own (X-Forwarded-For).
    process.env['TRUST_PROXY_HOPS'] = '1';
    const a = await createTestApp();
    const b = await createTestApp();
    const restore = (name: string, value: string | undefined) => (value === undefined ? delete process.env[name] : (process.env[name] = value));
    restore('VERIFY_RATE_LIMIT_PER_MINUTE', previous.limit);
    restore('TRUST_PROXY_HOPS', previous.hops);
    const client = { 'X-Forwarded-For': `198.51.100.${1 + Math.floor(Math.random() * 250)}` };
    try {
      // A minute window must not roll over mid-test (the limit would reset).
      if (new Date().getSeconds() > 50) await sleep((61 - new Date().getSeconds()) * 1000);
      const [row] = await t.db.query(`SELECT verification_code FROM certificates WHERE course_id = $1 LIMIT 1`, [courseId]);
      const statuses: number[] = [];
      const check = async (app: TestApp, n: number) => {
        statuses.length = 0;
        for (let i = 0; i < n; i++) statuses.push((await app.http.get(`/api/public/verify/${row.verification_code}`).set(client)).status);
        return [...statuses];
      };
      expect(await check(a, 4)).toEqual([200, 200, 200, 200]);
      // Another process reads the shared count on its first request of the window: two left, then a clear 429.
      expect(await check(b, 4)).toEqual([200, 200, 429, 429]);
      const limited = await b.http.get(`/api/public/verify/${row.verification_code}`).set(client);
      expect([limited.status, limited.body.code]).toEqual([429, ErrorCode.TooManyRequests]);
      // The first process, past half the limit, asks Redis too: refused as well, unknown codes included.
      expect(await check(a, 2)).toEqual([429, 429]);
      expect((await a.http.get('/api/public/verify/0000-0000-0000').set(client)).status).toBe(429);
      // Another client is not affected.
      expect((await a.http.get(`/api/public/verify/${row.verification_code}`).set({ 'X-Forwarded-For': '192.0.2.7' })).status).toBe(200);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
