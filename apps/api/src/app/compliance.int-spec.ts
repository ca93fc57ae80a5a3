import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { Workbook } from 'exceljs';
import { ErrorCode, JobName, NetworkCategory, OrgUnitKind, QueueName, Role } from '@dxtrain/shared/contracts';
import { ComplianceRefreshService, ComplianceRemindersService, vnYear } from '@dxtrain/server/compliance';
import { publishedCourse, startWorker } from '../testing/enrolment-helpers';
import { buildFixture, Fixture, FIXTURE_PASSWORD, FixtureUnit, insertPerson, insertUnit, insertUser } from '../testing/fixtures';
import { createTestApp, signIn, TestApp } from '../testing/test-app';

type Auth = { Authorization: string };

/**
 * A small hand-computed data set (fixture province P: department SO, district H1 with communes X1A,
 * X1B and X1C — X1C merged into X1B on 1 July of last year — and district H2 with commune X2A):
 *
 * last year (Y)          unit at end of Y  facts                                        status
 *   L   (learner)        X1A               class completion via the events queue       trained
 *   A1                   X1A               enrolled, nothing completed                  in progress
 *   A2  (focal point)    X1B               exempt (long leave)                          exempt
 *   B1                   X2A               enrolled, final quiz failed (30% < 50%)      in progress (failed exam)
 *   D1  (focal point)    SO                nothing                                      not started
 *   C1                   X1B (was X1C)     course completion in March (before merger)   trained
 *   C2                   X1B (was X1C)     nothing                                      not started
 * → P: 7 members, 2 trained, 2 in progress, 2 not started, 1 exempt, coverage 2/6; focal points 2 of 7 units.
 * → H1: 5 members (L, A1, A2, C1, C2), 2 trained, 1/1/1, coverage 2/4; children X1A (2) and X1B (3).
 * the year before (Y−1): only D1 trained; C1 and C2 counted in X1C (closed since, still answers): 1/7.
 * this year (C): rule "at least 6 periods" on P; L has 4 periods (in progress), A1 has 8 (trained).
 */
describe('compliance: coverage, trend, untrained, rules, exemptions, reminders, exports', () => {
  let t: TestApp;
  let worker: INestApplication;
  let f: Fixture;
  let admin: Auth;
  let organiser: Auth;
  let manager: Auth;
  let learner: Auth;
  let otherAdmin: Auth;
  let x1c: FixtureUnit;
  const C = vnYear();
  const Y = C - 1;
  const ids: Record<string, string> = {};

  const personId = async (code: string) => ((await t.db.query('SELECT id FROM people WHERE staff_code = $1', [code])) as Array<{ id: string }>)[0].id;
  const refresh = (years: number[]) => t.app.get(ComplianceRefreshService).refresh(years);
  const until = async (what: string, check: () => Promise<boolean>) => {
    for (let i = 0; i < 600; i++) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`gave up waiting for ${what}`);
  };

  beforeAll(async () => {
    t = await createTestApp();
    worker = await startWorker();
    f = await buildFixture(t.db);
    admin = await signIn(t.http, `admin-${f.tag}`, FIXTURE_PASSWORD);
    organiser = await signIn(t.http, `organiser-${f.tag}`, FIXTURE_PASSWORD);
    manager = await signIn(t.http, `manager-${f.tag}`, FIXTURE_PASSWORD);
    learner = await signIn(t.http, `learner-${f.tag}`, FIXTURE_PASSWORD);
    otherAdmin = await signIn(t.http, `admin-q-${f.tag}`, FIXTURE_PASSWORD);

    x1c = await insertUnit(t.db, `X1C-${f.tag}`, 'Phường Yên Đỗ', OrgUnitKind.Commune, f.district1);
    await insertPerson(t.db, x1c, `C1-${f.tag}`, 'Võ Thị Cúc');
    await insertPerson(t.db, x1c, `C2-${f.tag}`, 'Đỗ Văn Cường');
    for (const code of ['L', 'A1', 'A2', 'B1', 'D1', 'C1', 'C2']) ids[code] = await personId(`${code}-${f.tag}`);
    // They were in these units long before the years under test (as people loaded before the compliance migration are).
    await t.db.query(`UPDATE person_unit_history SET valid_from = '-infinity' WHERE person_id = ANY($1::uuid[])`, [Object.values(ids)]);

    // The merger on 1 July of last year, through the organisation api: C1 and C2 move to X1B.
    const merged = await t.http.post(`/api/org-units/${x1c.id}/merge`).set(admin).send({ targetId: f.commune1b.id, effectiveDate: `${Y}-07-01` });
    expect(merged.status).toBe(201);

    const courseId = await publishedCourse(t, organiser, `CMP-${f.tag}`, f.province.id);
    const [{ versionId }] = (await t.db.query('SELECT published_version_id AS "versionId" FROM courses WHERE id = $1', [courseId])) as Array<{ versionId: string }>;
    ids['course'] = courseId;
    const refresher = t.app.get(ComplianceRefreshService);
    // C1: a course completion in March of Y (periods come from the course version: 2).
    const courseEvent = { completionId: randomUUID(), personId: ids['C1'], courseId, courseVersionId: versionId, completedAt: `${Y}-03-15T03:00:00Z`, score: 0.9, trainingYear: Y };
    expect(await refresher.onCourseCompleted(courseEvent)).toBe(true);
    expect(await refresher.onCourseCompleted(courseEvent)).toBe(false);
    // A1 and B1 enrolled in Y; B1 failed the final quiz.
    for (const who of ['A1', 'B1']) {
      await t.db.query(`INSERT INTO enrolments (person_id, course_id, training_year, source, status) VALUES ($1, $2, $3, 'manual', 'enrolled')`, [ids[who], courseId, Y]);
    }
    const [{ id: quizId }] = (await t.db.query(
      `INSERT INTO quizzes (course_id, title, mode, selection, pass_mark, review) VALUES ($1, 'Kiểm tra cuối khoá', 'graded', '{}'::jsonb, 0.5, '{}'::jsonb) RETURNING id`,
      [courseId],
    )) as Array<{ id: string }>;
    await t.db.query(
      `INSERT INTO quiz_attempts (quiz_id, person_id, attempt_number, status, started_at, submitted_at, score, max_score, fraction)
       VALUES ($1, $2, 1, 'submitted', $3, $3, 3, 10, 0.3)`,
      [quizId, ids['B1'], `${Y}-09-01T02:00:00Z`],
    );
    // D1 trained the year before.
    await refresher.onClassCompleted({ completionId: randomUUID(), personId: ids['D1'], classId: randomUUID(), courseId: null, classTitle: 'Lớp an toàn thông tin', periods: 8, completedAt: `${Y - 1}-10-01T02:00:00Z`, trainingYear: Y - 1 });
    // This year: A1 8 periods, L 4 periods.
    await refresher.onClassCompleted({ completionId: randomUUID(), personId: ids['A1'], classId: randomUUID(), courseId: null, classTitle: 'Lớp kỹ năng số', periods: 8, completedAt: new Date().toISOString(), trainingYear: C });
    await refresher.onClassCompleted({ completionId: randomUUID(), personId: ids['L'], classId: randomUUID(), courseId: null, classTitle: 'Lớp kỹ năng số', periods: 4, completedAt: new Date().toISOString(), trainingYear: C });
  });
  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  it('a class.completed event on the events queue becomes one training record, once, even when replayed', async () => {
    const events = t.app.get<Queue>(getQueueToken(QueueName.Events));
    const completionId = randomUUID();
    const event = { completionId, personId: ids['L'], classId: randomUUID(), courseId: null, classTitle: 'Lớp chuyển đổi số cơ bản', periods: 8, completedAt: `${Y}-05-10T02:00:00Z`, trainingYear: Y };
    await events.add(JobName.ClassCompleted, event, { jobId: `cmp-${completionId}` });
    await events.add(JobName.ClassCompleted, event, { jobId: `cmp-replay-${completionId}` });
    const count = async () => ((await t.db.query(`SELECT count(*)::int AS n FROM training_records WHERE source_id = $1`, [completionId])) as Array<{ n: number }>)[0].n;
    await until('the class record', async () => (await count()) === 1);
    const [rec] = (await t.db.query(`SELECT source_kind, periods, training_year FROM training_records WHERE source_id = $1`, [completionId])) as Array<Record<string, unknown>>;
    expect(rec).toEqual({ source_kind: 'class', periods: 8, training_year: Y });
  });

  it('an exemption is recorded (audited); a second one for the same person and year is refused', async () => {
    const res = await t.http.post('/api/compliance/exemptions').set(organiser).send({ personId: ids['A2'], year: Y, reason: 'Nghỉ thai sản' });
    expect(res.status).toBe(201);
    const again = await t.http.post('/api/compliance/exemptions').set(organiser).send({ personId: ids['A2'], year: Y, reason: 'Nghỉ thai sản' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe(ErrorCode.ExemptionExists);
    const outside = await t.http.post('/api/compliance/exemptions').set(organiser).send({ personId: f.people.otherProvincePerson, year: Y, reason: 'Nghỉ dài hạn' });
    expect(outside.status).toBe(404);
    const [{ n }] = (await t.db.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'compliance_exemption.created' AND entity_id = $1`, [res.body.id])) as Array<{ n: number }>;
    expect(n).toBe(1);
    // Recorded by mistake and removed again (also audited).
    const mistake = await t.http.post('/api/compliance/exemptions').set(organiser).send({ personId: ids['C2'], year: Y, reason: 'Nhập nhầm' });
    expect(mistake.status).toBe(201);
    expect((await t.http.delete(`/api/compliance/exemptions/${mistake.body.id}`).set(organiser)).status).toBe(204);
    const listed = await t.http.get(`/api/compliance/exemptions?year=${Y}&unitId=${f.province.id}`).set(organiser);
    expect(listed.body.map((e: { staffCode: string; reason: string }) => [e.staffCode, e.reason])).toEqual([[`A2-${f.tag}`, 'Nghỉ thai sản']]);
    const [{ d }] = (await t.db.query(`SELECT count(*)::int AS d FROM audit_events WHERE action = 'compliance_exemption.deleted' AND entity_id = $1`, [mistake.body.id])) as Array<{ d: number }>;
    expect(d).toBe(1);
  });

  it('requirement rules: a contradicting rule is refused with RULES_CONTRADICT and nothing changes', async () => {
    const ok = await t.http.post('/api/compliance/requirements').set(organiser).send({ year: C, orgUnitId: f.province.id, minPeriods: 6 });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ year: C, minPeriods: 6, deadline: `${C}-12-31`, active: true });
    const clash = await t.http.post('/api/compliance/requirements').set(organiser).send({ year: C, orgUnitId: f.province.id, minPeriods: 40 });
    expect(clash.status).toBe(409);
    expect(clash.body.code).toBe(ErrorCode.RulesContradict);
    expect(clash.body.details[0]).toEqual({ field: 'ruleId', message: ok.body.id });
    const list = await t.http.get(`/api/compliance/requirements?year=${C}`).set(organiser);
    expect(list.body.items.filter((r: { orgUnitId: string }) => r.orgUnitId === f.province.id)).toHaveLength(1);
    expect(list.body.conflicts).toEqual([]);
    // A contradicting rule that got into the database another way (an older version, by hand) is reported …
    const [{ id: legacy }] = (await t.db.query(
      `INSERT INTO training_requirements (training_year, org_unit_id, min_periods, deadline) VALUES ($1, $2, 40, $3) RETURNING id`,
      [C, f.province.id, `${C}-12-31`],
    )) as Array<{ id: string }>;
    const reported = await t.http.get(`/api/compliance/requirements?year=${C}`).set(organiser);
    expect(reported.body.conflicts).toEqual([{ ruleIds: [ok.body.id, legacy], message: expect.stringContaining('6 vs 40') }]);
    // … until one of them is deactivated; re-activating it is refused.
    expect((await t.http.patch(`/api/compliance/requirements/${legacy}`).set(organiser).send({ active: false })).status).toBe(200);
    expect((await t.http.get(`/api/compliance/requirements?year=${C}`).set(organiser)).body.conflicts).toEqual([]);
    const reactivate = await t.http.patch(`/api/compliance/requirements/${legacy}`).set(organiser).send({ active: true });
    expect(reactivate.status).toBe(409);
    expect(reactivate.body.code).toBe(ErrorCode.RulesContradict);
    const badDeadline = await t.http.post('/api/compliance/requirements').set(organiser).send({ year: C, orgUnitId: f.district1.id, minPeriods: 2, deadline: `${C + 1}-01-15` });
    expect(badDeadline.status).toBe(400);
    const byManager = await t.http.post('/api/compliance/requirements').set(manager).send({ year: C, orgUnitId: f.district1.id, minPeriods: 2 });
    expect(byManager.status).toBe(403);
  });

  describe('figures (after the refresh job)', () => {
    beforeAll(async () => {
      await refresh([Y - 1, Y, C]);
    });

    it('province, last year: the hand-computed figures, children SO/H1/H2', async () => {
      const res = await t.http.get(`/api/compliance?year=${Y}&unitId=${f.province.id}`).set(admin);
      expect(res.status).toBe(200);
      expect(res.body.unit).toMatchObject({ members: 7, trained: 2, inProgress: 2, notStarted: 2, exempt: 1, units: 7, unitsWithFocalPoint: 2, membersWithAccount: 1, membersSignedIn: 0 });
      expect(res.body.unit.coverageRate).toBeCloseTo(2 / 6);
      const byCode = Object.fromEntries(res.body.children.map((c: { code: string }) => [c.code, c]));
      expect(Object.keys(byCode).sort()).toEqual([`H1-${f.tag}`, `H2-${f.tag}`, `SO-${f.tag}`].sort());
      expect(byCode[`H1-${f.tag}`]).toMatchObject({ members: 5, trained: 2, inProgress: 1, notStarted: 1, exempt: 1, coverageRate: 0.5 });
      expect(byCode[`H2-${f.tag}`]).toMatchObject({ members: 1, trained: 0, inProgress: 1 });
      expect(byCode[`SO-${f.tag}`]).toMatchObject({ members: 1, notStarted: 1, unitsWithFocalPoint: 1 });
    });

    it('the merged commune: last year its people count in X1B; the year before it still answers, closed', async () => {
      const last = await t.http.get(`/api/compliance?year=${Y}&unitId=${f.district1.id}`).set(admin);
      const lastByCode = Object.fromEntries(last.body.children.map((c: { code: string }) => [c.code, c]));
      expect(Object.keys(lastByCode).sort()).toEqual([`X1A-${f.tag}`, `X1B-${f.tag}`].sort());
      expect(lastByCode[`X1B-${f.tag}`]).toMatchObject({ members: 3, trained: 1, exempt: 1, notStarted: 1 });
      const before = await t.http.get(`/api/compliance?year=${Y - 1}&unitId=${f.district1.id}`).set(admin);
      const beforeByCode = Object.fromEntries(before.body.children.map((c: { code: string }) => [c.code, c]));
      expect(beforeByCode[`X1C-${f.tag}`]).toMatchObject({ members: 2, trained: 0, closed: true });
      expect(beforeByCode[`X1B-${f.tag}`]).toMatchObject({ members: 1 });
      const province = await t.http.get(`/api/compliance?year=${Y - 1}&unitId=${f.province.id}`).set(admin);
      expect(province.body.unit).toMatchObject({ members: 7, trained: 1, notStarted: 6 });
    });

    it('this year: the 6-period rule — 8 periods trained, 4 periods in progress', async () => {
      const res = await t.http.get(`/api/compliance?year=${C}&unitId=${f.province.id}`).set(admin);
      // The learner (L's account) signed in this year, not last year: platform use 1 of 7.
      expect(res.body.unit).toMatchObject({ members: 7, trained: 1, inProgress: 1, notStarted: 5, exempt: 0, membersWithAccount: 1, membersSignedIn: 1 });
      const list = await t.http.get(`/api/compliance/untrained?year=${C}&unitId=${f.commune1a.id}`).set(admin);
      expect(list.body.items).toEqual([expect.objectContaining({ staffCode: `L-${f.tag}`, status: 'in_progress', periods: 4, requiredPeriods: 6, reason: 'enrolled_not_completed' })]);
    });

    it('trend: one point per year from the first with data, and a projection to 2030 against the 100% target', async () => {
      const res = await t.http.get(`/api/compliance/trend?unitId=${f.province.id}`).set(admin);
      expect(res.status).toBe(200);
      const points = res.body.points.filter((p: { year: number }) => p.year >= Y - 1);
      expect(points.map((p: { year: number; trained: number }) => [p.year, p.trained])).toEqual([
        [Y - 1, 1],
        [Y, 2],
        [C, 1],
      ]);
      expect(res.body.target).toEqual({ year: 2030, coverageRate: 1 });
      expect(res.body.projection.at(-1).year).toBe(2030);
    });

    it('untrained list: paged, filtered by reason and category', async () => {
      const all = await t.http.get(`/api/compliance/untrained?year=${Y}&unitId=${f.province.id}&pageSize=2`).set(admin);
      expect(all.body.total).toBe(4);
      expect(all.body.items).toHaveLength(2);
      const failed = await t.http.get(`/api/compliance/untrained?year=${Y}&unitId=${f.province.id}&reason=failed_exam`).set(admin);
      expect(failed.body.items.map((p: { staffCode: string }) => p.staffCode)).toEqual([`B1-${f.tag}`]);
      const notEnrolled = await t.http.get(`/api/compliance/untrained?year=${Y}&unitId=${f.province.id}&reason=not_enrolled`).set(admin);
      expect(notEnrolled.body.items.map((p: { staffCode: string }) => p.staffCode).sort()).toEqual([`C2-${f.tag}`, `D1-${f.tag}`].sort());
      const staff = await t.http.get(`/api/compliance/untrained?year=${Y}&unitId=${f.province.id}&category=${NetworkCategory.ProvincialDxStaff}`).set(admin);
      expect(staff.body.items.map((p: { staffCode: string }) => p.staffCode)).toEqual([`D1-${f.tag}`]);
    });

    it('scope: the district manager sees the district by default and nothing above or beside it; a learner gets 403', async () => {
      const own = await t.http.get(`/api/compliance?year=${Y}`).set(manager);
      expect(own.status).toBe(200);
      expect(own.body.unit).toMatchObject({ unitId: f.district1.id, members: 5 });
      expect((await t.http.get(`/api/compliance?year=${Y}&unitId=${f.commune1a.id}`).set(manager)).status).toBe(200);
      for (const unit of [f.province.id, f.district2.id]) {
        const res = await t.http.get(`/api/compliance?year=${Y}&unitId=${unit}`).set(manager);
        expect(res.status).toBe(404);
        expect(res.body.code).toBe(ErrorCode.OrgUnitNotFound);
      }
      expect((await t.http.get(`/api/compliance/untrained?year=${Y}&unitId=${f.province.id}`).set(manager)).status).toBe(404);
      expect((await t.http.get(`/api/compliance?year=${Y}&unitId=${f.province.id}`).set(otherAdmin)).status).toBe(404);
      expect((await t.http.get(`/api/compliance?year=${Y}`).set(learner)).status).toBe(403);
      expect((await t.http.get(`/api/compliance/trend`).set(learner)).status).toBe(403);
    });

    it('bad years: future, unknown and malformed', async () => {
      const future = await t.http.get(`/api/compliance?year=${C + 1}&unitId=${f.province.id}`).set(admin);
      expect(future.status).toBe(400);
      expect(future.body.code).toBe(ErrorCode.YearInFuture);
      const unknown = await t.http.get(`/api/compliance?year=1990&unitId=${f.province.id}`).set(admin);
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe(ErrorCode.YearUnknown);
      const malformed = await t.http.get(`/api/compliance?year=abc&unitId=${f.province.id}`).set(admin);
      expect(malformed.status).toBe(400);
      expect(malformed.body.code).toBe(ErrorCode.ValidationFailed);
    });

    it('exports: styled XLSX with one sheet per level, CSV with BOM, PDF summary — parsed back', async () => {
      const xlsx = await t.http.get(`/api/compliance/export/coverage?year=${Y}&unitId=${f.province.id}&format=xlsx`).set(admin).buffer(true).parse(binary);
      expect(xlsx.status).toBe(200);
      const wb = new Workbook();
      await wb.xlsx.load(xlsx.body as Buffer);
      expect(wb.worksheets.map((w) => w.name)).toEqual(['Tổng hợp', 'Cấp 1 - Cấp huyện, Sở ngành', 'Cấp 2 - Cấp xã']);
      const summary = wb.getWorksheet('Tổng hợp');
      if (!summary) throw new Error('no summary sheet');
      expect(summary.getRow(1).getCell(1).value).toBe('Mã đơn vị');
      expect(summary.getRow(1).getCell(1).font?.bold).toBe(true);
      expect(summary.getRow(2).values).toEqual([undefined, `P-${f.tag}`, expect.stringContaining('Tỉnh Thử Nghiệm'), 7, 2, 2, 2, 1, 33.3, 2, 7, 1, 0]);
      const communes = wb.getWorksheet('Cấp 2 - Cấp xã');
      if (!communes) throw new Error('no communes sheet');
      const communeCodes: string[] = [];
      communes.eachRow((r, n) => n > 1 && communeCodes.push(String(r.getCell(1).value)));
      expect(communeCodes.sort()).toEqual([`X1A-${f.tag}`, `X1B-${f.tag}`, `X2A-${f.tag}`].sort());

      const csv = await t.http.get(`/api/compliance/export/untrained?year=${Y}&unitId=${f.province.id}&format=csv`).set(admin).buffer(true).parse(binary);
      const text = (csv.body as Buffer).toString('utf8');
      expect(text.charCodeAt(0)).toBe(0xfeff);
      const lines = text.slice(1).trim().split('\r\n');
      expect(lines[0]).toBe('Mã cán bộ,Họ và tên,Thư điện tử,Đơn vị,Nhóm,Vị trí việc làm,Trạng thái,Lý do,Số tiết,Số tiết yêu cầu');
      expect(lines).toHaveLength(5);
      expect(lines.find((l) => l.startsWith(`B1-${f.tag}`))).toContain('Chưa đạt bài kiểm tra');

      const pdf = await t.http.get(`/api/compliance/export/summary?year=${Y}&unitId=${f.province.id}&format=pdf`).set(admin).buffer(true).parse(binary);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      const dir = mkdtempSync(join(tmpdir(), 'cmp-'));
      writeFileSync(join(dir, 'r.pdf'), pdf.body as Buffer);
      const pdfText = execFileSync('pdftotext', [join(dir, 'r.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
      expect(pdfText).toContain(`BÁO CÁO KẾT QUẢ BỒI DƯỠNG, TẬP HUẤN CHUYỂN ĐỔI SỐ NĂM ${Y}`);
      expect(pdfText).toMatch(/Đã hoàn thành bồi dưỡng trong năm: 2 \(tỷ lệ bao phủ 33,3%/);
      expect(pdfText).toContain('Thành phố Pleiku');

      const wrong = await t.http.get(`/api/compliance/export/summary?year=${Y}&unitId=${f.province.id}&format=csv`).set(admin);
      expect(wrong.status).toBe(400);
    });

    it('an export over the size limit is refused directly (EXPORT_TOO_LARGE) and runs as a job with progress', async () => {
      // 5,001 people join the other province today: this year's untrained list there has 5,002 rows.
      await t.db.query(
        `INSERT INTO people (province_id, staff_code, full_name, org_unit_id, network_category, search_text, sort_key)
         SELECT $1, 'BIG-' || $2 || '-' || g, 'Cán bộ ' || g, $1, 'commune_official', 'can bo ' || g, 'can bo ' || lpad(g::text, 5, '0')
           FROM generate_series(1, 5001) g`,
        [f.otherProvince.id, f.tag],
      );
      await refresh([C]);
      const direct = await t.http.get(`/api/compliance/export/untrained?year=${C}&unitId=${f.otherProvince.id}&format=csv`).set(otherAdmin);
      expect(direct.status).toBe(400);
      expect(direct.body.code).toBe(ErrorCode.ExportTooLarge);
      const job = await t.http.post('/api/compliance/exports').set(otherAdmin).send({ kind: 'untrained', format: 'xlsx', year: C, unitId: f.otherProvince.id });
      expect(job.status).toBe(202);
      expect(job.body).toMatchObject({ status: 'queued', progress: 0 });
      expect((await t.http.get(`/api/compliance/exports/${job.body.id}`).set(admin)).status).toBe(404);
      let status = job.body;
      await until('the export job', async () => {
        status = (await t.http.get(`/api/compliance/exports/${job.body.id}`).set(otherAdmin)).body;
        return status.status === 'done' || status.status === 'failed';
      });
      expect(status).toMatchObject({ status: 'done', progress: 100, fileName: `chua-boi-duong-Q-${f.tag}-${C}.xlsx` });
      const file = await t.http.get(`/api/compliance/exports/${job.body.id}/file`).set(otherAdmin).buffer(true).parse(binary);
      const wb = new Workbook();
      await wb.xlsx.load(file.body as Buffer);
      expect(wb.worksheets[0].rowCount).toBe(1 + 5002);
      const outside = await t.http.post('/api/compliance/exports').set(otherAdmin).send({ kind: 'untrained', format: 'xlsx', year: C, unitId: f.province.id });
      expect(outside.status).toBe(404);
    });

    it('a new completion shows at once: the event recomputes that person and their unit, not the whole year', async () => {
      const before = await t.http.get(`/api/compliance?year=${C}&unitId=${f.province.id}`).set(admin);
      expect(before.body.unit.trained).toBe(1);
      const refresher = t.app.get(ComplianceRefreshService);
      await refresher.onClassCompleted({ completionId: randomUUID(), personId: ids['D1'], classId: randomUUID(), courseId: null, classTitle: 'Lớp an toàn thông tin', periods: 8, completedAt: new Date().toISOString(), trainingYear: C });
      const after = await t.http.get(`/api/compliance?year=${C}&unitId=${f.province.id}`).set(admin);
      expect(after.body.unit).toMatchObject({ members: 7, trained: 2, notStarted: 4 });
      const so = after.body.children.find((c: { code: string }) => c.code === `SO-${f.tag}`);
      expect(so).toMatchObject({ members: 1, trained: 1, unitsWithFocalPoint: 1 });
    });

    it('while a whole-year refresh runs, an event does not wait: the year is marked dirty and the next refresh shows it', async () => {
      const running = t.db.createQueryRunner();
      await running.connect();
      await running.startTransaction();
      await running.query(`SELECT pg_advisory_xact_lock(hashtext('compliance-refresh'), $1)`, [C]);
      const refresher = t.app.get(ComplianceRefreshService);
      try {
        await refresher.onClassCompleted({ completionId: randomUUID(), personId: ids['B1'], classId: randomUUID(), courseId: null, classTitle: 'Lớp kỹ năng số', periods: 8, completedAt: new Date().toISOString(), trainingYear: C });
        const [{ dirty }] = (await t.db.query(`SELECT dirty FROM compliance_refresh_state WHERE training_year = $1`, [C])) as Array<{ dirty: boolean }>;
        expect(dirty).toBe(true);
        expect((await t.http.get(`/api/compliance?year=${C}&unitId=${f.province.id}`).set(admin)).body.unit.trained).toBe(2);
      } finally {
        await running.rollbackTransaction();
        await running.release();
      }
      await refresher.refresh([C]);
      expect((await t.http.get(`/api/compliance?year=${C}&unitId=${f.province.id}`).set(admin)).body.unit.trained).toBe(3);
    });
  });

  it('reminders: one e-mail per untrained person and a digest per unit manager, at most once per interval', async () => {
    const mPerson = await insertPerson(t.db, f.otherProvince, `M-${f.tag}`, 'Lý Văn Mạnh', { email: `manh.${f.tag}@example.gov.vn` });
    await insertUser(t.db, `manager2-${f.tag}`, [[Role.UnitManager, f.district1]], mPerson);
    await refresh([C]);
    const reminders = t.app.get(ComplianceRemindersService);
    const mails = async () =>
      (await t.db.query(`SELECT to_address, subject, body_text FROM outbox_messages WHERE to_address IN ($1, $2) ORDER BY to_address, subject`, [
        `huong.${f.tag}@example.gov.vn`,
        `manh.${f.tag}@example.gov.vn`,
      ])) as Array<{ to_address: string; subject: string; body_text: string }>;
    await reminders.run();
    const first = await mails();
    // Mạnh is himself an untrained member (of the other province) and manages H1: a reminder and a digest.
    expect(first.map((m) => m.to_address)).toEqual([`huong.${f.tag}@example.gov.vn`, `manh.${f.tag}@example.gov.vn`, `manh.${f.tag}@example.gov.vn`]);
    expect(first[0].subject).toBe(`Nhắc nhở: hoàn thành bồi dưỡng chuyển đổi số năm ${C}`);
    expect(first[0].body_text).toContain('4/6 tiết');
    expect(first[1].subject).toBe(`Nhắc nhở: hoàn thành bồi dưỡng chuyển đổi số năm ${C}`);
    // H1 this year: L (4 periods) and A2, C1, C2 not started; A1 trained → 4 of 5.
    expect(first[2].subject).toBe(`Tổng hợp: 4 thành viên chưa hoàn thành bồi dưỡng năm ${C} - Thành phố Pleiku`);
    expect(first[2].body_text).toContain('4/5');
    await reminders.run();
    expect(await mails()).toHaveLength(3);
  });
});

function binary(res: NodeJS.ReadableStream & { setEncoding(e: string): void }, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}
