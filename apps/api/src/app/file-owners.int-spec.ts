import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ErrorCode, OrgUnitKind, Role } from '@dxtrain/shared/contracts';
import { CertificatesService } from '@dxtrain/server/certificates';
import { FileAccessService, FileOwnerKind } from '@dxtrain/server/catalog';
// The back-fill is tried on a scratch database migrated up to just before it; only test code reaches into the list.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { MIGRATIONS } from '../../../../libs/server/platform/src/lib/database/migrations';
import { publishedCourse } from '../testing/enrolment-helpers';
import { buildFixture, Fixture, FIXTURE_PASSWORD, insertPerson, insertUser } from '../testing/fixtures';
import { createTestApp, signIn, TestApp } from '../testing/test-app';

type Auth = { Authorization: string };
const YEAR = 2026;

jest.setTimeout(120_000);

/** Enough of an MP4 for the upload check (the `ftyp` box) and for range requests to mean something. */
function fakeMp4(size = 64 * 1024): Buffer {
  const b = randomBytes(size);
  Buffer.from([0, 0, 0, 0x18]).copy(b, 0);
  Buffer.from('ftypisom', 'latin1').copy(b, 4);
  return b;
}
const PDF = () => Buffer.from(`%PDF-1.4\n% ${randomUUID()}\n%%EOF\n`);

/** Collects the raw body (superagent hands the parser the Node response stream). */
const binary: Parameters<ReturnType<TestApp['http']['get']>['parse']>[0] = (res, cb: (err: Error | null, body: Buffer) => void) => {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => cb(null, Buffer.concat(chunks)));
};

/**
 * Issue 12, item 5: every stored file has an owner, and FileAccessService checks it whenever a file is referenced
 * (a lesson's fileId, a template's logo) or served (the signed URL names the owner and the viewer, and only the
 * viewer's browser, holding the viewer cookie, gets the bytes).
 */
describe('stored files: owners checked on reference and on serving, URLs bound to the viewer', () => {
  let t: TestApp;
  let f: Fixture;
  let organiser: Auth;
  let admin: Auth;
  let otherAdmin: Auth;
  let learner: Auth;
  let learner2: Auth;
  let learner2UserId: string;
  let courseP: string;
  let sectionP: string;
  let qCourseFile: string;
  let qCertificateFile: string;
  let qCertificateId: string;
  const video = fakeMp4();

  const upload = async (auth: Auth, data: Buffer, name: string): Promise<string> => {
    const res = await t.http.post('/api/files').set(auth).attach('file', data, name);
    if (res.status !== 201) throw new Error(`upload: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  };
  const viewerCookie = (res: { headers: Record<string, unknown> }): string => {
    const c = ((res.headers['set-cookie'] as string[] | undefined) ?? []).find((x) => x.startsWith('dxtrain_viewer='));
    if (!c) throw new Error('no viewer cookie');
    expect(c).toMatch(/HttpOnly/i);
    expect(c).toMatch(/Path=\/api\/files/);
    return c.split(';')[0];
  };
  const get = (url: string, cookie?: string, range?: string) => {
    let req = t.http.get(url).buffer(true).parse(binary);
    if (cookie) req = req.set('Cookie', cookie);
    if (range) req = req.set('Range', range);
    return req;
  };

  beforeAll(async () => {
    t = await createTestApp();
    f = await buildFixture(t.db);
    organiser = await signIn(t.http, `organiser-${f.tag}`, FIXTURE_PASSWORD);
    admin = await signIn(t.http, `admin-${f.tag}`, FIXTURE_PASSWORD);
    otherAdmin = await signIn(t.http, `admin-q-${f.tag}`, FIXTURE_PASSWORD);
    learner = await signIn(t.http, `learner-${f.tag}`, FIXTURE_PASSWORD);
    const person2 = await insertPerson(t.db, f.commune1b, `L2-${f.tag}`, 'Võ Thị Lan');
    learner2UserId = await insertUser(t.db, `learner2-${f.tag}`, [[Role.Learner, f.commune1b]], person2);
    learner2 = await signIn(t.http, `learner2-${f.tag}`, FIXTURE_PASSWORD);

    // Province Q: a course with its own PDF lesson, and a rendered certificate.
    const qCourse = await publishedCourse(t, otherAdmin, `FQ-${f.tag}`, f.otherProvince.id);
    await t.http.post(`/api/courses/${qCourse}/draft`).set(otherAdmin).expect(201);
    const qSection = await t.http.post(`/api/courses/${qCourse}/sections`).set(otherAdmin).send({ title: 'Tài liệu' }).expect(201);
    qCourseFile = await upload(otherAdmin, PDF(), 'q-tai-lieu.pdf');
    await t.http.post(`/api/courses/${qCourse}/sections/${qSection.body.id}/lessons`).set(otherAdmin).send({ title: 'Tài liệu Q', kind: 'document', fileId: qCourseFile }).expect(201);
    const [version] = await t.db.query(`SELECT published_version_id AS id FROM courses WHERE id = $1`, [qCourse]);
    await t.db.query(`INSERT INTO course_completions (person_id, course_id, version_id, training_year, completed_at) VALUES ($1, $2, $3, $4, now())`, [
      f.people.otherProvincePerson,
      qCourse,
      version.id,
      YEAR,
    ]);
    const issued = await t.http.post('/api/certificates').set(otherAdmin).send({ courseId: qCourse, personId: f.people.otherProvincePerson, year: YEAR });
    expect(issued.status).toBe(201);
    qCertificateId = issued.body.id;
    await t.app.get(CertificatesService).render(qCertificateId);
    [{ file_id: qCertificateFile }] = await t.db.query(`SELECT file_id FROM certificates WHERE id = $1`, [qCertificateId]);
    expect(qCertificateFile).toBeTruthy();

    // Province P: a draft course the organiser edits.
    const created = await t.http.post('/api/courses').set(organiser).send({ code: `FP-${f.tag}`, title: 'Khoá học có video', periods: 2, ownerUnitId: f.province.id });
    expect(created.status).toBe(201);
    courseP = created.body.id;
    sectionP = (await t.http.post(`/api/courses/${courseP}/sections`).set(organiser).send({ title: 'Phần 1' }).expect(201)).body.id;
  });
  afterAll(() => t.close());

  it('every stored file written has an owner: certificate PDFs from the start, course files once used', async () => {
    const rows: Array<{ id: string; owner_kind: string; owner_id: string }> = await t.db.query(`SELECT id, owner_kind, owner_id FROM stored_files WHERE id = ANY($1)`, [
      [qCourseFile, qCertificateFile],
    ]);
    expect(rows.find((r) => r.id === qCertificateFile)).toMatchObject({ owner_kind: 'certificate', owner_id: qCertificateId });
    expect(rows.find((r) => r.id === qCourseFile)).toMatchObject({ owner_kind: 'course' });
  });

  it("refuses a lesson on P's course naming Q's course file or a certificate PDF, another editor's upload, or a file of another course", async () => {
    const lessons = `/api/courses/${courseP}/sections/${sectionP}/lessons`;
    for (const fileId of [qCourseFile, qCertificateFile]) {
      const res = await t.http.post(lessons).set(organiser).send({ title: 'Lấy trộm', kind: 'document', fileId });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe(ErrorCode.FileNotFound);
    }
    // An upload of another editor (P's admin) that no course owns yet: only its uploader can place it.
    const adminsUpload = await upload(admin, PDF(), 'cua-admin.pdf');
    const notMine = await t.http.post(lessons).set(organiser).send({ title: 'Không phải của tôi', kind: 'document', fileId: adminsUpload });
    expect(notMine.status).toBe(400);
    expect(notMine.body.code).toBe(ErrorCode.FileNotFound);
    // A file of another course the organiser edits: said plainly (upload it again), still refused.
    const other = await publishedCourse(t, organiser, `FP2-${f.tag}`, f.province.id);
    await t.http.post(`/api/courses/${other}/draft`).set(organiser).expect(201);
    const otherSection = await t.http.post(`/api/courses/${other}/sections`).set(organiser).send({ title: 'Phần 2' }).expect(201);
    const otherFile = await upload(organiser, PDF(), 'khoa-khac.pdf');
    await t.http.post(`/api/courses/${other}/sections/${otherSection.body.id}/lessons`).set(organiser).send({ title: 'Của khoá khác', kind: 'document', fileId: otherFile }).expect(201);
    const reused = await t.http.post(lessons).set(organiser).send({ title: 'Dùng lại', kind: 'document', fileId: otherFile });
    expect(reused.status).toBe(400);
    expect(reused.body.code).toBe(ErrorCode.FileNotAttachable);
    // Editing an existing lesson to name a foreign file is refused the same way.
    const mine = await upload(organiser, PDF(), 'cua-toi.pdf');
    const ok = await t.http.post(lessons).set(organiser).send({ title: 'Của tôi', kind: 'document', fileId: mine });
    expect(ok.status).toBe(201);
    const patched = await t.http.patch(`/api/courses/${courseP}/lessons/${ok.body.id}`).set(organiser).send({ fileId: qCertificateFile });
    expect(patched.status).toBe(400);
    expect(patched.body.code).toBe(ErrorCode.FileNotFound);
    // Nothing of Q changed hands.
    const owners: Array<{ id: string; owner_kind: string; owner_id: string }> = await t.db.query(`SELECT id, owner_kind, owner_id FROM stored_files WHERE id = ANY($1)`, [
      [qCertificateFile, adminsUpload, otherFile, mine],
    ]);
    expect(owners.find((r) => r.id === qCertificateFile)?.owner_kind).toBe('certificate');
    expect(owners.find((r) => r.id === adminsUpload)?.owner_kind).toBeNull();
    expect(owners.find((r) => r.id === otherFile)).toMatchObject({ owner_kind: 'course', owner_id: other });
    expect(owners.find((r) => r.id === mine)).toMatchObject({ owner_kind: 'course', owner_id: courseP });
  });

  it("serves a lesson video only to the viewer it was signed for (range requests included), never to another user or to nobody", async () => {
    const fileId = await upload(organiser, video, 'bai-giang.mp4');
    const lesson = await t.http.post(`/api/courses/${courseP}/sections/${sectionP}/lessons`).set(organiser).send({ title: 'Video', kind: 'video', fileId });
    expect(lesson.status).toBe(201);
    await t.http.post(`/api/courses/${courseP}/publish`).set(organiser).expect(200);
    await t.http.post(`/api/courses/${courseP}/start`).set(learner).expect(200);
    await t.http.post(`/api/courses/${courseP}/start`).set(learner2).expect(200);

    const mine = await t.http.get(`/api/lessons/${lesson.body.id}`).set(learner).expect(200);
    const url: string = mine.body.fileUrl;
    const learnerUserId = f.users.learner;
    expect(url).toContain(`owner=course%3A${courseP}`);
    expect(url).toContain(`viewer=${learnerUserId}`);
    const myCookie = viewerCookie(mine);

    // The viewer, with their cookie: the whole file and a seek (206) work.
    const whole = await get(url, myCookie).expect(200);
    expect(Buffer.compare(whole.body as Buffer, video)).toBe(0);
    const part = await get(url, myCookie, 'bytes=1000-4999').expect(206);
    expect(part.headers['content-range']).toBe(`bytes 1000-4999/${video.length}`);
    expect(Buffer.compare(part.body as Buffer, video.subarray(1000, 5000))).toBe(0);
    const tail = await get(url, myCookie, 'bytes=60000-').expect(206);
    expect((tail.body as Buffer).length).toBe(video.length - 60000);

    // Handed to nobody (no cookie) or to another signed-in learner of the same course (their own viewer cookie): 404.
    const theirs = await t.http.get(`/api/lessons/${lesson.body.id}`).set(learner2).expect(200);
    const theirCookie = viewerCookie(theirs);
    for (const [cookie, range] of [
      [undefined, undefined],
      [undefined, 'bytes=0-99'],
      [theirCookie, undefined],
      [theirCookie, 'bytes=0-99'],
      ['dxtrain_viewer=forged', 'bytes=0-99'],
    ] as Array<[string | undefined, string | undefined]>) {
      const res = await get(url, cookie, range);
      expect(res.status).toBe(404);
      expect(res.headers['content-range']).toBeUndefined();
      expect((res.body as Buffer).includes(video.subarray(0, 64))).toBe(false);
    }
    // Rewriting the URL to name the other viewer breaks the signature.
    const rewritten = url.replace(`viewer=${learnerUserId}`, `viewer=${learner2UserId}`);
    expect((await get(rewritten, theirCookie, 'bytes=0-99')).status).toBe(404);
    // Re-labelling the owner (e.g. as a certificate) breaks it too.
    expect((await get(url.replace('owner=course', 'owner=certificate'), myCookie)).status).toBe(404);
    // Their own URL with their own cookie works for them.
    expect((await get(theirs.body.fileUrl, theirCookie, 'bytes=0-99')).status).toBe(206);
  });

  it('a lesson that names a foreign file (as old data may) gets no URL for it', async () => {
    const [lesson] = await t.db.query(
      `SELECT l.id FROM lessons l JOIN courses c ON c.published_version_id = l.version_id WHERE c.id = $1 AND l.kind = 'document' LIMIT 1`,
      [courseP],
    );
    await t.db.query(`UPDATE lessons SET content = jsonb_set(content, '{fileId}', to_jsonb($2::text)) WHERE id = $1`, [lesson.id, qCertificateFile]);
    const res = await t.http.get(`/api/lessons/${lesson.id}`).set(learner).expect(200);
    expect(res.body.fileUrl).toBeNull();
    expect(res.body.fileName).toBeNull();
  });

  it("a certificate's file stops being served once the certificate is revoked (the owner's policy is asked at every request)", async () => {
    const access = t.app.get(FileAccessService);
    const signed = await access.signedInfo(qCertificateFile, { kind: FileOwnerKind.Certificate, id: qCertificateId }, f.users.otherAdmin);
    expect(signed.fileUrl).toBeTruthy();
    const cookie = access.viewerCookie(f.users.otherAdmin, false);
    const jar = `${cookie.name}=${cookie.value}`;
    expect((await get(signed.fileUrl as string, jar)).status).toBe(200);
    await t.http.post(`/api/certificates/${qCertificateId}/revoke`).set(otherAdmin).send({ reason: 'Cấp nhầm' }).expect(200);
    expect((await get(signed.fileUrl as string, jar)).status).toBe(404);
  });

  it('the migration places existing files: lesson files on their course (copies for other courses of the province), certificate PDFs and logos; the rest is unplaced', async () => {
    const admin = process.env['DXTRAIN_TEST_ADMIN_URL'] as string;
    const name = `dxtrain_fileowners_${process.pid}_${Date.now()}`;
    const pg = new Client({ connectionString: admin });
    await pg.connect();
    await pg.query(`CREATE DATABASE "${name}"`);
    const url = new URL(admin);
    url.pathname = `/${name}`;
    const index = MIGRATIONS.findIndex((m) => m.name === 'StoredFileOwners1796232400000');
    expect(index).toBeGreaterThan(0);
    const before = new DataSource({ type: 'postgres', url: url.toString(), migrations: MIGRATIONS.slice(0, index), migrationsTransactionMode: 'each' });
    try {
      await before.initialize();
      await before.runMigrations();
      const db = before;
      const unit = async (code: string, parent?: { id: string; path: string; root: string }) => {
        const id = randomUUID();
        const path = `${parent?.path ?? '/'}${id}/`;
        await db.query(
          `INSERT INTO org_units (id, code, name, kind, parent_id, root_id, path, depth, search_text, valid_from) VALUES ($1, $2, $8, $3, $4, $5, $6, $7, $9, '2020-01-01')`,
          [id, code, parent ? OrgUnitKind.District : OrgUnitKind.Province, parent?.id ?? null, parent?.root ?? id, path, parent ? 1 : 0, code, code],
        );
        return { id, path, root: parent?.root ?? id };
      };
      const p = await unit('P');
      const pDistrict = await unit('P-H1', p);
      const q = await unit('Q');
      const uploader = randomUUID();
      await db.query(`INSERT INTO users (id, username, password_hash, display_name) VALUES ($1, 'u', 'x', 'u')`, [uploader]);
      await db.query(`INSERT INTO role_grants (user_id, role, org_unit_id) VALUES ($1, 'organiser', $2)`, [uploader, q.id]);
      const file = async (type = 'application/pdf') => {
        const id = randomUUID();
        await db.query(`INSERT INTO stored_files (id, storage_key, file_name, content_type, size, sha256, uploaded_by) VALUES ($1, $2, 'f', $3, 1, repeat('0', 64), $4)`, [
          id,
          `uploads/${id}`,
          type,
          uploader,
        ]);
        return id;
      };
      const course = async (code: string, owner: { id: string }, createdAt: string) => {
        const id = randomUUID();
        const version = randomUUID();
        const section = randomUUID();
        await db.query(`INSERT INTO courses (id, code, owner_unit_id, status) VALUES ($1, $2, $3, 'draft')`, [id, code, owner.id]);
        await db.query(
          `INSERT INTO course_versions (id, course_id, version, status, title, periods, search_text, created_at) VALUES ($1, $2, 1, 'draft', $3, 1, $4, $5)`,
          [version, id, code, code, createdAt],
        );
        await db.query(`INSERT INTO course_sections (id, version_id, title, position) VALUES ($1, $2, 's', 1)`, [section, version]);
        return { id, version, section };
      };
      const lesson = (c: { version: string; section: string }, fileId: string) =>
        db.query(`INSERT INTO lessons (version_id, section_id, position, title, kind, content) VALUES ($1, $2, 1, 'l', 'document', $3)`, [
          c.version,
          c.section,
          JSON.stringify({ kind: 'document', fileId }),
        ]);
      // A file uploaded by Q's organiser, used by Q's course (later) and by P's course (earlier: the leak).
      const shared = await file();
      const qCourse = await course('QC', q, '2026-02-01');
      const pCourse = await course('PC', p, '2026-01-01');
      await lesson(qCourse, shared);
      await lesson(pCourse, shared);
      // A file used by two courses of P (no uploader grant there): the earlier keeps it, the other gets a copy.
      const reused = await file();
      const pFirst = await course('PC1', p, '2025-01-01');
      const pSecond = await course('PC2', pDistrict, '2025-06-01');
      await lesson(pFirst, reused);
      await lesson(pSecond, reused);
      // A certificate's PDF also named by a lesson of P: the certificate keeps it.
      const pdf = await file();
      const certificateId = randomUUID();
      await db.query(
        `INSERT INTO certificates (id, serial, verification_code, person_id, holder_name, course_id, course_title, periods, training_year, issuer_unit_id,
                                   issuer_name, place, signer_title, signer_name, signed_payload, signature, key_id, issued_at, file_id)
         VALUES ($1, 'Q-2026-000001', 'CODE1', gen_random_uuid(), 'x', $2, 'x', 1, 2026, $3, 'Q', 'Q', 's', 's', '{}', 'sig', gen_random_uuid(), now(), $4)`,
        [certificateId, qCourse.id, q.id, pdf],
      );
      await lesson(await course('PC3', p, '2025-01-01'), pdf);
      // A logo of a Q template, and an upload nobody uses.
      const logo = await file('image/png');
      await db.query(`INSERT INTO certificate_templates (issuer_unit_id, signer_title, logo_file_id, updated_at) VALUES ($1, 's', $2, '2025-01-01')`, [q.id, logo]);
      const qDistrict = await unit('Q-H1', q);
      await db.query(`INSERT INTO certificate_templates (issuer_unit_id, signer_title, logo_file_id) VALUES ($1, 's', $2)`, [qDistrict.id, logo]);
      const orphan = await file();

      // As the runner applies it: in one transaction.
      const runner = db.createQueryRunner();
      await runner.startTransaction();
      await new (MIGRATIONS[index] as new () => { up(qr: unknown): Promise<void> })().up(runner);
      await runner.commitTransaction();
      await runner.release();

      const owner = async (id: string) => (await db.query(`SELECT owner_kind, owner_id FROM stored_files WHERE id = $1`, [id]))[0];
      expect(await owner(shared)).toEqual({ owner_kind: 'course', owner_id: qCourse.id });
      expect(await owner(reused)).toEqual({ owner_kind: 'course', owner_id: pFirst.id });
      expect(await owner(pdf)).toEqual({ owner_kind: 'certificate', owner_id: certificateId });
      expect(await owner(logo)).toEqual({ owner_kind: 'certificate_template', owner_id: q.id });
      expect(await owner(orphan)).toEqual({ owner_kind: 'unplaced', owner_id: null });
      const [districtTemplate] = await db.query(`SELECT logo_file_id FROM certificate_templates WHERE issuer_unit_id = $1`, [qDistrict.id]);
      expect(districtTemplate.logo_file_id).not.toBe(logo);
      expect(await owner(districtTemplate.logo_file_id)).toEqual({ owner_kind: 'certificate_template', owner_id: qDistrict.id });
      // The second P course now names its own copy (same bytes), owned by it; P's lesson naming Q's file is left dangling.
      const [second] = await db.query(`SELECT content->>'fileId' AS id FROM lessons WHERE version_id = $1`, [pSecond.version]);
      expect(second.id).not.toBe(reused);
      expect(await owner(second.id)).toEqual({ owner_kind: 'course', owner_id: pSecond.id });
      const [copy] = await db.query(`SELECT storage_key FROM stored_files WHERE id = $1`, [second.id]);
      expect(copy.storage_key).toBe(`uploads/${reused}`);
      const [leak] = await db.query(`SELECT content->>'fileId' AS id FROM lessons WHERE version_id = $1`, [pCourse.version]);
      expect(leak.id).toBe(shared);
      const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM stored_files WHERE storage_key = $1`, [`uploads/${shared}`]);
      expect(n).toBe(1);
    } finally {
      if (before.isInitialized) await before.destroy();
      await pg.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await pg.end();
    }
  });
});
