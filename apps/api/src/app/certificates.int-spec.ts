import { execFileSync } from 'node:child_process';
import { createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { CertificateItem, ErrorCode, JobName, QueueName, VERIFICATION_CODE_ALPHABET } from '@dxtrain/shared/contracts';
import { publishedCourse, startWorker } from '../testing/enrolment-helpers';
import { buildFixture, Fixture, FIXTURE_PASSWORD } from '../testing/fixtures';
import { createTestApp, signIn, TestApp } from '../testing/test-app';

type Auth = { Authorization: string };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('certificates: issued on completion, rendered, verified, revoked', () => {
  let t: TestApp;
  let f: Fixture;
  let worker: INestApplication;
  let organiser: Auth;
  let learner: Auth;
  let hr: Auth;
  let otherAdmin: Auth;
  let courseId: string;
  let cert: CertificateItem;
  let holderName: string;
  const dir = mkdtempSync(join(tmpdir(), 'dxtrain-cert-'));

  beforeAll(async () => {
    t = await createTestApp();
    f = await buildFixture(t.db);
    worker = await startWorker();
    organiser = await signIn(t.http, `organiser-${f.tag}`, FIXTURE_PASSWORD);
    learner = await signIn(t.http, `learner-${f.tag}`, FIXTURE_PASSWORD);
    hr = await signIn(t.http, `hr-${f.tag}`, FIXTURE_PASSWORD);
    otherAdmin = await signIn(t.http, `admin-q-${f.tag}`, FIXTURE_PASSWORD);
    [{ full_name: holderName }] = await t.db.query(`SELECT full_name FROM people WHERE id = $1`, [f.people.learner]);
  });
  afterAll(async () => {
    await worker.close();
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function myCertificates(until: (items: CertificateItem[]) => boolean): Promise<CertificateItem[]> {
    let items: CertificateItem[] = [];
    for (let i = 0; i < 150; i++) {
      items = (await t.http.get('/api/me/certificates').set(learner)).body;
      if (until(items)) return items;
      await sleep(100);
    }
    throw new Error(`certificates never matched: ${JSON.stringify(items)}`);
  }

  it('completing a course issues one certificate and the worker renders its PDF', async () => {
    courseId = await publishedCourse(t, organiser, `CN-${f.tag}`, f.province.id);
    await t.http.post(`/api/courses/${courseId}/start`).set(learner).expect(200);
    const course = (await t.http.get(`/api/courses/${courseId}`).set(learner)).body;
    const lessonId = course.version.sections[0].lessons[0].id;
    const p = await t.http.post(`/api/lessons/${lessonId}/progress`).set(learner).send({ completed: true, timeSpentSeconds: 60 });
    expect(p.body.completedAt).toEqual(expect.any(String));

    [cert] = await myCertificates((items) => items.length > 0 && items[0].pdfUrl !== null);
    expect(cert).toMatchObject({ status: 'valid', version: 1, holderName, courseId, periods: 2 });
    expect(cert.serial).toMatch(new RegExp(`^${f.province.code}-\\d{4}-\\d{6}$`));
    expect(cert.verificationCode).toHaveLength(12);
    expect([...cert.verificationCode].every((ch) => VERIFICATION_CODE_ALPHABET.includes(ch))).toBe(true);
    expect(cert.verifyUrl).toMatch(new RegExp(`/verify/${cert.verificationCode}$`));
  });

  it('a duplicate completion event never issues a second certificate', async () => {
    const [completion] = await t.db.query(`SELECT id, version_id, training_year, completed_at FROM course_completions WHERE course_id = $1`, [courseId]);
    const events = t.app.get<Queue>(getQueueToken(QueueName.Events));
    const job = await events.add(
      JobName.CourseCompleted,
      { completionId: completion.id, personId: f.people.learner, courseId, courseVersionId: completion.version_id, completedAt: completion.completed_at.toISOString(), score: null, trainingYear: completion.training_year },
      { jobId: `duplicate-${f.tag}` },
    );
    for (let i = 0; i < 100 && !(await job.isCompleted()); i++) await sleep(100);
    expect(await job.isCompleted()).toBe(true);
    expect(await t.db.query(`SELECT id FROM certificates WHERE course_id = $1`, [courseId])).toHaveLength(1);
  });

  it('the PDF reads back with real tools: pdftotext gives the holder name, zbarimg decodes the QR to the verify URL', async () => {
    const pdf = await t.http.get(cert.pdfUrl as string).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const file = join(dir, 'cert.pdf');
    writeFileSync(file, pdf.body as Buffer);
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).normalize('NFC').replace(/\s+/g, ' ');
    expect(text).toContain(holderName.normalize('NFC'));
    expect(text).toContain('GIẤY CHỨNG NHẬN');
    expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(text).toContain(`Số vào sổ: ${cert.serial}`);
    expect(text).toContain(cert.verificationCode.match(/.{4}/g)?.join('-'));
    execFileSync('pdftoppm', ['-r', '150', '-png', '-singlefile', file, join(dir, 'page')]);
    const qr = execFileSync('zbarimg', ['--quiet', '--raw', join(dir, 'page.png')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    expect(qr).toBe(cert.verifyUrl);

    // The upload check: these exact bytes are authentic; one changed byte is not; not a PDF is refused.
    const original = pdf.body as Buffer;
    const ok = await t.http.post('/api/public/verify/pdf').attach('file', original, 'cert.pdf');
    expect(ok.body).toMatchObject({ authentic: true, certificate: { serial: cert.serial, holderName, status: 'valid' } });
    const tampered = Buffer.from(original);
    tampered[tampered.length - 10] ^= 1;
    expect((await t.http.post('/api/public/verify/pdf').attach('file', tampered, 'cert.pdf')).body).toEqual({ authentic: false });
    const notPdf = await t.http.post('/api/public/verify/pdf').attach('file', Buffer.from('hello, not a pdf'), 'cert.pdf');
    expect([notPdf.status, notPdf.body.code]).toEqual([400, ErrorCode.FileTypeNotAllowed]);
    const huge = await t.http.post('/api/public/verify/pdf').attach('file', Buffer.alloc(10 * 1024 * 1024 + 1, 0x25), 'huge.pdf');
    expect([huge.status, huge.body.code]).toEqual([413, ErrorCode.FileTooLarge]);
  });

  it('the public verify endpoint shows only what is printed, accepts typed variants, and its signature checks with the published key', async () => {
    const typed = cert.verificationCode.toLowerCase().match(/.{4}/g)?.join('-') as string;
    const res = await t.http.get(`/api/public/verify/${typed}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'valid', serial: cert.serial, holderName, periods: 2, issuer: expect.any(String) });
    expect(Object.keys(res.body).sort()).toEqual(['courseTitle', 'holderName', 'issuedAt', 'issuer', 'periods', 'serial', 'signature', 'status', 'version']);
    expect(JSON.stringify(res.body)).not.toContain(f.people.learner);

    const keys = (await t.http.get('/api/public/keys')).body as Array<{ keyId: string; publicKeyPem: string }>;
    const key = keys.find((k) => k.keyId === res.body.signature.keyId);
    expect(key).toBeDefined();
    const check = (payload: string) => verify(null, Buffer.from(payload), createPublicKey(key!.publicKeyPem), Buffer.from(res.body.signature.value, 'base64'));
    expect(JSON.parse(res.body.signature.payload)).toMatchObject({ serial: cert.serial, holderName, verificationCode: cert.verificationCode });
    expect(check(res.body.signature.payload)).toBe(true);
    expect(check(res.body.signature.payload.replace(holderName, 'Nguyễn Văn Giả'))).toBe(false);

    const malformed = await t.http.get('/api/public/verify/abc');
    expect([malformed.status, malformed.body.code]).toEqual([400, ErrorCode.VerificationCodeInvalid]);
    const unknown = await t.http.get('/api/public/verify/0000-0000-0000');
    expect([unknown.status, unknown.body.code]).toEqual([404, ErrorCode.CertificateNotFound]);
  });

  it('a corrected re-issue keeps the serial and bumps the version; the old code shows superseded', async () => {
    const re = await t.http.post(`/api/certificates/${cert.id}/reissue`).set(organiser).send({ reason: 'Sửa họ tên theo CCCD', holderName: `${holderName} (sửa)` });
    expect(re.status).toBe(201);
    expect(re.body).toMatchObject({ serial: cert.serial, version: 2, status: 'valid', holderName: `${holderName} (sửa)` });
    expect(re.body.verificationCode).not.toBe(cert.verificationCode);
    expect((await t.http.get(`/api/public/verify/${cert.verificationCode}`)).body.status).toBe('superseded');
    const again = await t.http.post(`/api/certificates/${cert.id}/reissue`).set(organiser).send({ reason: 'lần nữa' });
    expect([again.status, again.body.code]).toEqual([409, ErrorCode.CertificateSuperseded]);
    cert = re.body;
  });

  it('revocation: out of scope gets nothing, a reason is required, the public sees it at once, twice is refused, all audited', async () => {
    const outside = await t.http.post(`/api/certificates/${cert.id}/revoke`).set(otherAdmin).send({ reason: 'thử' });
    expect([outside.status, outside.body.code]).toEqual([404, ErrorCode.CertificateNotFound]);
    expect((await t.http.get(`/api/certificates?courseId=${courseId}`).set(otherAdmin)).body).toEqual([]);
    expect((await t.http.post(`/api/certificates/${cert.id}/revoke`).set(learner).send({ reason: 'thử' })).status).toBe(403);
    const empty = await t.http.post(`/api/certificates/${cert.id}/revoke`).set(organiser).send({ reason: '   ' });
    expect([empty.status, empty.body.code]).toEqual([400, ErrorCode.ValidationFailed]);
    expect((await t.http.get(`/api/public/verify/${cert.verificationCode}`)).body.status).toBe('valid');

    const revoked = await t.http.post(`/api/certificates/${cert.id}/revoke`).set(organiser).send({ reason: 'Gian lận khi làm bài kiểm tra' });
    expect(revoked.status).toBe(200);
    const pub = (await t.http.get(`/api/public/verify/${cert.verificationCode}`)).body;
    expect(pub).toMatchObject({ status: 'revoked', revokedReason: 'Gian lận khi làm bài kiểm tra', revokedAt: expect.any(String) });
    const twice = await t.http.post(`/api/certificates/${cert.id}/revoke`).set(organiser).send({ reason: 'lần hai' });
    expect([twice.status, twice.body.code]).toEqual([409, ErrorCode.CertificateRevoked]);
    const reissue = await t.http.post(`/api/certificates/${cert.id}/reissue`).set(organiser).send({ reason: 'cấp lại' });
    expect([reissue.status, reissue.body.code]).toEqual([409, ErrorCode.CertificateRevoked]);
    const audit: Array<{ action: string }> = await t.db.query(`SELECT action FROM audit_events WHERE entity_type = 'certificate' AND entity_id = ANY($1::text[]) ORDER BY occurred_at`, [
      (await t.db.query(`SELECT id FROM certificates WHERE course_id = $1`, [courseId])).map((r: { id: string }) => r.id),
    ]);
    expect(audit.map((a) => a.action)).toEqual(['certificate.issued', 'certificate.superseded', 'certificate.reissued', 'certificate.revoked']);
  });

  it('HR checks a stack of codes and serials at once and gets a CSV of statuses', async () => {
    const [first] = await t.db.query(`SELECT verification_code FROM certificates WHERE course_id = $1 AND version = 1`, [courseId]);
    const csv = ['Mã', cert.verificationCode.match(/.{4}/g)?.join('-'), first.verification_code, cert.serial, 'KHONG-CO-MA', ''].join('\n');
    const res = await t.http.post('/api/certificates/verify-bulk').set(hr).attach('file', Buffer.from(csv), 'ma.csv');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const lines = res.text.replace(/^\uFEFF/, '').trim().split(/\r?\n/).map((l) => l.split(',').slice(0, 2).join(','));
    expect(lines.slice(1)).toEqual([
      `${cert.verificationCode.match(/.{4}/g)?.join('-')},revoked`,
      `${first.verification_code},superseded`,
      `${cert.serial},revoked`,
      'KHONG-CO-MA,not_found',
    ]);
    expect((await t.http.post('/api/certificates/verify-bulk').set(learner).attach('file', Buffer.from(csv), 'ma.csv')).status).toBe(403);
  });
});
