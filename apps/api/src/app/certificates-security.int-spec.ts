import { createHash, createHmac } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { AppConfig } from '@dxtrain/server/platform';
import { CertificateItem, ErrorCode } from '@dxtrain/shared/contracts';
import { publishedCourse, startWorker } from '../testing/enrolment-helpers';
import { buildFixture, Fixture, FIXTURE_PASSWORD, insertPerson } from '../testing/fixtures';
import { createTestApp, signIn, TestApp } from '../testing/test-app';

type Auth = { Authorization: string };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const YEAR = 2026;

function binary(res: NodeJS.ReadableStream, cb: (err: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

/** The result CSV of a bulk check as rows of cells (no quoting in these values). */
const parseCsv = (text: string) =>
  text
    .replace(/^\uFEFF/, '')
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((l) => l.split(','));

jest.setTimeout(120_000);

/**
 * Issue 12, items 4 and 6: bulk verification cannot enumerate another province's certificates by
 * serial and is limited like the public check; a certificate's PDF URL stops working when the
 * certificate is revoked or replaced.
 */
describe('certificates: no enumeration by serial, bulk checks limited, PDF downloads follow the status', () => {
  let t: TestApp;
  let f: Fixture;
  let worker: INestApplication;
  let organiser: Auth;
  let learner: Auth;
  let hr: Auth;
  let otherAdmin: Auth;
  /** Certificates issued in the fixture's province (A) and in the other province (B). */
  let mineA: CertificateItem;
  let otherA: CertificateItem;
  const inB: CertificateItem[] = [];
  const namesB = ['Đinh Thị Bí Mật', 'Lò Văn Kín Đáo', 'Mùa A Riêng Tư'];

  async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
    let v = await read();
    for (let i = 0; i < 450 && !ok(v); i++) {
      await sleep(100);
      v = await read();
    }
    if (!ok(v)) throw new Error(`${what} never happened: ${JSON.stringify(v)}`);
    return v;
  }

  /** A completion recorded for the person, then a manual issue by an editor of the course's province. */
  async function certify(auth: Auth, courseId: string, personId: string): Promise<CertificateItem> {
    const [version] = await t.db.query(`SELECT id FROM course_versions WHERE course_id = $1 ORDER BY created_at DESC LIMIT 1`, [courseId]);
    await t.db.query(`INSERT INTO course_completions (person_id, course_id, version_id, training_year, completed_at) VALUES ($1, $2, $3, $4, now())`, [personId, courseId, version.id, YEAR]);
    const res = await t.http.post('/api/certificates').set(auth).send({ courseId, personId, year: YEAR });
    if (res.status !== 201) throw new Error(`issue: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** The organisers' list entry once the worker has rendered the PDF (it carries a fresh pdfUrl). */
  async function rendered(auth: Auth, courseId: string, id: string): Promise<CertificateItem> {
    const items = await until(
      `the PDF of ${id}`,
      async () => (await t.http.get(`/api/certificates?courseId=${courseId}`).set(auth)).body as CertificateItem[],
      (list) => list.some((c) => c.id === id && c.pdfUrl),
    );
    return items.find((c) => c.id === id) as CertificateItem;
  }

  const bulk = (http: TestApp['http'], auth: Auth, lines: string[], headers: Record<string, string> = {}) =>
    http.post('/api/certificates/verify-bulk').set(auth).set(headers).attach('file', Buffer.from(['Mã xác thực', ...lines].join('\n')), 'ma.csv');

  beforeAll(async () => {
    t = await createTestApp();
    f = await buildFixture(t.db);
    worker = await startWorker();
    organiser = await signIn(t.http, `organiser-${f.tag}`, FIXTURE_PASSWORD);
    learner = await signIn(t.http, `learner-${f.tag}`, FIXTURE_PASSWORD);
    hr = await signIn(t.http, `hr-${f.tag}`, FIXTURE_PASSWORD);
    otherAdmin = await signIn(t.http, `admin-q-${f.tag}`, FIXTURE_PASSWORD);

    const courseA = await publishedCourse(t, organiser, `SEC-A-${f.tag}`, f.province.id);
    mineA = await certify(organiser, courseA, f.people.learner);
    otherA = await certify(organiser, courseA, await insertPerson(t.db, f.commune1b, `SA-${f.tag}`, 'Trần Thị Trong Tỉnh'));
    const courseB = await publishedCourse(t, otherAdmin, `SEC-B-${f.tag}`, f.otherProvince.id);
    for (const [i, name] of namesB.entries()) inB.push(await certify(otherAdmin, courseB, await insertPerson(t.db, f.otherProvince, `SB${i}-${f.tag}`, name)));
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
  });

  it("HR of one province learns nothing from another province's sequential serials: the same not_found as an unknown one", async () => {
    // The other province's serials are sequential: the next ones are as easy to guess as the issued ones.
    expect(inB.map((c) => c.serial)).toEqual(inB.map((_, i) => `${f.otherProvince.code}-${YEAR}-${String(i + 1).padStart(6, '0')}`));
    const guessed = [...inB.map((c) => c.serial), `${f.otherProvince.code}-${YEAR}-000004`, `${f.otherProvince.code}-${YEAR}-000001`.toUpperCase()];
    const res = await bulk(t.http, hr, guessed);
    expect(res.status).toBe(200);
    expect(parseCsv(res.text)).toEqual(guessed.map((s) => [s, 'not_found', '', '', '', '']));
    for (const name of namesB) expect(res.text.normalize('NFC')).not.toContain(name.normalize('NFC'));
    // Organisers of province A are refused the same way.
    expect(parseCsv((await bulk(t.http, organiser, [inB[0].serial])).text)).toEqual([[inB[0].serial, 'not_found', '', '', '', '']]);
  });

  it('serials work within the caller’s scope, codes work across provinces (they are unguessable)', async () => {
    // Province A's HR: its own serials.
    const own = parseCsv((await bulk(t.http, hr, [mineA.serial, ` ${otherA.serial} `])).text);
    expect(own.map((r) => r.slice(0, 4))).toEqual([
      [mineA.serial, 'valid', mineA.serial, mineA.holderName],
      [otherA.serial, 'valid', otherA.serial, otherA.holderName],
    ]);
    // Province B's admin: its own serials, but not province A's.
    const theirs = parseCsv((await bulk(t.http, otherAdmin, [inB[1].serial, mineA.serial])).text);
    expect(theirs.map((r) => r.slice(0, 4))).toEqual([
      [inB[1].serial, 'valid', inB[1].serial, namesB[1]],
      [mineA.serial, 'not_found', '', ''],
    ]);
    // Codes (as printed, with dashes, or lower case) find certificates of any province.
    const typed = inB.map((c) => c.verificationCode.match(/.{4}/g)?.join('-') as string);
    typed[2] = typed[2].toLowerCase();
    const byCode = parseCsv((await bulk(t.http, hr, typed)).text);
    expect(byCode.map((r) => r.slice(0, 4))).toEqual(inB.map((c, i) => [typed[i], 'valid', c.serial, namesB[i]]));
  });

  it('a PDF URL works while the certificate is valid and refuses with 410 CERTIFICATE_REVOKED once it is revoked', async () => {
    const [item] = await until(
      'the learner’s PDF',
      async () => (await t.http.get('/api/me/certificates').set(learner)).body as CertificateItem[],
      (items) => items.some((c) => c.id === mineA.id && c.pdfUrl),
    );
    const url = item.pdfUrl as string;
    expect(url).toMatch(new RegExp(`^/api/public/certificates/${mineA.id}/pdf\\?expires=\\d+&sig=`));
    const before = await t.http.get(url).buffer(true).parse(binary);
    expect(before.status).toBe(200);
    expect(before.headers['content-type']).toBe('application/pdf');
    expect(before.headers['cache-control']).toBe('no-store');
    const [row] = await t.db.query(`SELECT sha256 FROM certificates WHERE id = $1`, [mineA.id]);
    expect(createHash('sha256').update(before.body as Buffer).digest('hex')).toBe(row.sha256);

    // Signatures are checked: another certificate's id, a changed signature, an expired one → 404.
    expect((await t.http.get(url.replace(mineA.id, otherA.id))).status).toBe(404);
    expect((await t.http.get(url.replace(/sig=[^&]+/, 'sig=AAAA'))).status).toBe(404);
    const past = Math.floor(Date.now() / 1000) - 10;
    const secret = t.app.get(AppConfig).JWT_SECRET;
    const expired = createHmac('sha256', secret).update(`certificate-pdf:${mineA.id}:${past}`).digest('base64url');
    expect((await t.http.get(`/api/public/certificates/${mineA.id}/pdf?expires=${past}&sig=${expired}`)).status).toBe(404);

    await t.http.post(`/api/certificates/${mineA.id}/revoke`).set(organiser).send({ reason: 'Cấp nhầm' }).expect(200);
    const after = await t.http.get(url);
    expect([after.status, after.body.code]).toEqual([410, ErrorCode.CertificateRevoked]);
    // No new URL is handed out; the public check shows it revoked; the course's ZIP leaves it out.
    await rendered(organiser, mineA.courseId as string, otherA.id);
    const mine = ((await t.http.get('/api/me/certificates').set(learner)).body as CertificateItem[]).find((c) => c.id === mineA.id);
    expect(mine).toMatchObject({ status: 'revoked', pdfUrl: null });
    expect((await t.http.get(`/api/public/verify/${mineA.verificationCode}`)).body.status).toBe('revoked');
    const zip = await t.http.get(`/api/certificates/archive.zip?courseId=${mineA.courseId}`).set(organiser).buffer(true).parse(binary);
    expect(zip.headers['x-certificate-count']).toBe('1');
  });

  it("a re-issue's old PDF URL refuses with 410 CERTIFICATE_SUPERSEDED and the new certificate's URL works", async () => {
    const old = await rendered(organiser, otherA.courseId as string, otherA.id);
    expect((await t.http.get(old.pdfUrl as string)).status).toBe(200);
    const re = await t.http.post(`/api/certificates/${otherA.id}/reissue`).set(organiser).send({ reason: 'Sửa họ tên', holderName: 'Trần Thị Trong Tỉnh (sửa)' });
    expect(re.status).toBe(201);
    const refused = await t.http.get(old.pdfUrl as string);
    expect([refused.status, refused.body.code]).toEqual([410, ErrorCode.CertificateSuperseded]);
    const fresh = await rendered(organiser, otherA.courseId as string, re.body.id);
    expect(fresh.pdfUrl).not.toBe(old.pdfUrl);
    const pdf = await t.http.get(fresh.pdfUrl as string).buffer(true).parse(binary);
    expect(pdf.status).toBe(200);
    const [row] = await t.db.query(`SELECT sha256 FROM certificates WHERE id = $1`, [re.body.id]);
    expect(createHash('sha256').update(pdf.body as Buffer).digest('hex')).toBe(row.sha256);
  });

  // Last: closing a second api process in this file disturbs the first one's connections.
  it('the bulk check counts each line against the per-IP limit of the public check: past it 429 with Retry-After; a file is capped', async () => {
    const previous = { limit: process.env['VERIFY_RATE_LIMIT_PER_MINUTE'], hops: process.env['TRUST_PROXY_HOPS'] };
    process.env['VERIFY_RATE_LIMIT_PER_MINUTE'] = '6';
    process.env['TRUST_PROXY_HOPS'] = '1';
    const a = await createTestApp();
    const restore = (name: string, value: string | undefined) => (value === undefined ? delete process.env[name] : (process.env[name] = value));
    restore('VERIFY_RATE_LIMIT_PER_MINUTE', previous.limit);
    restore('TRUST_PROXY_HOPS', previous.hops);
    const client = { 'X-Forwarded-For': `203.0.113.${1 + Math.floor(Math.random() * 250)}` };
    try {
      const hrA = await signIn(a.http, `hr-${f.tag}`, FIXTURE_PASSWORD);
      // A minute window must not roll over mid-test (the count would reset).
      if (new Date().getSeconds() > 45) await sleep((61 - new Date().getSeconds()) * 1000);
      const codes = [...inB, mineA, otherA].map((c) => c.verificationCode);

      // More distinct lines than one window allows: refused before any lookup, with a code of its own.
      const big = await bulk(a.http, hrA, [...codes, 'KHONG-CO-MA', 'KHONG-CO-MA-2'], client);
      expect([big.status, JSON.parse(big.text).code]).toEqual([400, ErrorCode.CertificateBulkTooManyLines]);

      // Four lines (a duplicate line is one lookup) use four of the six lookups.
      const first = await bulk(a.http, hrA, [codes[0], codes[1], codes[2], codes[3], codes[0]], client);
      expect(first.status).toBe(200);
      expect(parseCsv(first.text)).toHaveLength(5);
      // Three more do not fit: 429, Retry-After, what is left; a refused file costs nothing.
      const over = await bulk(a.http, hrA, codes.slice(0, 3), client);
      expect(over.status).toBe(429);
      const body = JSON.parse(over.text);
      expect(body.code).toBe(ErrorCode.TooManyRequests);
      expect(body.details).toEqual(expect.arrayContaining([{ field: 'remaining', message: '2' }]));
      const retryAfter = Number(over.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(body.details).toEqual(expect.arrayContaining([{ field: 'retryAfterSeconds', message: String(retryAfter) }]));
      // Two still fit; then the public check from the same address is refused too (one shared budget).
      expect((await bulk(a.http, hrA, codes.slice(3, 5), client)).status).toBe(200);
      const pub = await a.http.get(`/api/public/verify/${codes[0]}`).set(client);
      expect([pub.status, pub.body.code]).toEqual([429, ErrorCode.TooManyRequests]);
      expect(Number(pub.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect((await bulk(a.http, hrA, [codes[0]], client)).status).toBe(429);
      // Another address is not affected.
      expect((await bulk(a.http, hrA, [codes[0]], { 'X-Forwarded-For': '192.0.2.99' })).status).toBe(200);
    } finally {
      await a.close();
    }
  });
});
