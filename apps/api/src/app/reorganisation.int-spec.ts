import { randomUUID } from 'node:crypto';
import { ErrorCode, OrgUnitKind, ReorgIssue, Role } from '@dxtrain/shared/contracts';
import { ComplianceRefreshService, vnYear } from '@dxtrain/server/compliance';
import { planHeaders } from '@dxtrain/server/organisation';
import { writeXlsx } from '@dxtrain/server/spreadsheets';
import { FIXTURE_PASSWORD, FixtureUnit, insertPerson, insertUnit, insertUser } from '../testing/fixtures';
import { createTestApp, signIn, TestApp } from '../testing/test-app';

type Auth = { Authorization: string };

/**
 * Two provinces merged into a new one on 1 July of last year (Y), through an uploaded XLSX plan:
 *
 *   A (province)  AD (district) ── A1 commune: a1, a2      A2 commune: a3        AS department: as1
 *   B (province)  BD (district) ── B1 commune: b1, b2 ── BT team: bt1
 *   N (province, formed Y-07-01):  N-X1 ← A1 + B1 (BT moves along),  N-X2 ← A2,  N-S ← AS;  districts abolished;  A, B → N
 *
 * Training (one completed training a year is the default rule):
 *   Y − 1: a1, b1, bt1 trained     → A 1/4, B 2/3, N (= A + B) 3/7;  merged commune N-X1 (= A1 + B1) 3/5
 *   C (this year): a1, a3 trained  → N 2/7; N-X1 1/5; N-X2 1/1; N-S 0/1
 */
describe('reorganisation plans: dry run, apply, lineage, coverage across the cut-over', () => {
  let t: TestApp;
  let admin: Auth;
  let outsider: Auth;
  const C = vnYear();
  const Y = C - 1;
  const tag = randomUUID().slice(0, 6).toUpperCase();
  const u: Record<string, FixtureUnit> = {};
  const people: Record<string, string> = {};
  const date = `01/07/${Y}`;

  const xlsx = (rows: string[][]) => writeXlsx([{ name: 'Kế hoạch', headers: planHeaders('vi'), rows }]);
  const goodPlan = () =>
    xlsx([
      ['tạo mới', `NX1-${tag}`, `N-${tag}`, 'Phường Hợp Nhất', 'phường', date, ''],
      ['tạo mới', `NX2-${tag}`, `N-${tag}`, 'Xã Hai', 'xã', date, ''],
      ['tạo mới', `NS-${tag}`, `N-${tag}`, 'Sở Nội vụ', 'sở', date, ''],
      ['sáp nhập vào', `A1-${tag}`, `NX1-${tag}`, '', '', date, ''],
      ['sáp nhập vào', `B1-${tag}`, `NX1-${tag}`, '', '', date, ''],
      ['sáp nhập vào', `A2-${tag}`, `NX2-${tag}`, '', '', date, ''],
      ['sáp nhập vào', `AS-${tag}`, `NS-${tag}`, '', '', date, ''],
      ['bỏ cấp', `A-${tag}`, '', '', 'huyện', date, ''],
      ['bỏ cấp', `B-${tag}`, '', '', 'huyện', date, ''],
      ['sáp nhập vào', `A-${tag}`, `N-${tag}`, '', '', date, ''],
      ['sáp nhập vào', `B-${tag}`, `N-${tag}`, '', '', date, ''],
    ]);
  const snapshot = async () =>
    (await t.db.query(
      `SELECT (SELECT count(*) FROM org_units)::int AS units, (SELECT count(*) FROM org_units WHERE valid_to IS NOT NULL)::int AS closed,
              (SELECT count(*) FROM org_unit_lineage)::int AS lineage, (SELECT count(*) FROM reorganisation_plans)::int AS plans,
              (SELECT string_agg(org_unit_id::text, ',' ORDER BY id) FROM people) AS placement, (SELECT count(*) FROM role_grants)::int AS grants`,
    ))[0];
  const coverage = async (unit: string, year: number, auth = admin) => t.http.get(`/api/compliance`).query({ year, unitId: u[unit].id }).set(auth);
  const figures = (r: { members: number; trained: number }) => [r.members, r.trained];
  const trained = async (person: string, year: number) =>
    t.db.query(
      `INSERT INTO training_records (person_id, source_kind, source_id, title, completed_at, training_year, periods) VALUES ($1, 'class', $2, 'Lớp chuyển đổi số', $3, $4, 8)`,
      [people[person], randomUUID(), `${year}-05-10T02:00:00Z`, year],
    );

  beforeAll(async () => {
    t = await createTestApp();
    u['A'] = await insertUnit(t.db, `A-${tag}`, 'Tỉnh An', OrgUnitKind.Province, undefined, '2015-01-01');
    u['B'] = await insertUnit(t.db, `B-${tag}`, 'Tỉnh Bình', OrgUnitKind.Province, undefined, '2015-01-01');
    u['N'] = await insertUnit(t.db, `N-${tag}`, 'Tỉnh Hợp Nhất', OrgUnitKind.Province, undefined, `${Y}-07-01`);
    u['Q'] = await insertUnit(t.db, `Q-${tag}`, 'Tỉnh Khác', OrgUnitKind.Province, undefined, '2015-01-01');
    u['AD'] = await insertUnit(t.db, `AD-${tag}`, 'Huyện An', OrgUnitKind.District, u['A'], '2015-01-01');
    u['BD'] = await insertUnit(t.db, `BD-${tag}`, 'Huyện Bình', OrgUnitKind.District, u['B'], '2015-01-01');
    u['A1'] = await insertUnit(t.db, `A1-${tag}`, 'Xã An Một', OrgUnitKind.Commune, u['AD'], '2015-01-01');
    u['A2'] = await insertUnit(t.db, `A2-${tag}`, 'Xã An Hai', OrgUnitKind.Commune, u['AD'], '2015-01-01');
    u['AS'] = await insertUnit(t.db, `AS-${tag}`, 'Sở Nội vụ', OrgUnitKind.Department, u['A'], '2015-01-01');
    u['B1'] = await insertUnit(t.db, `B1-${tag}`, 'Xã Bình Một', OrgUnitKind.Commune, u['BD'], '2015-01-01');
    u['BT'] = await insertUnit(t.db, `BT-${tag}`, 'Tổ công nghệ số cộng đồng Bình Một', OrgUnitKind.CommunityDigitalTeam, u['B1'], '2022-01-01');
    for (const [code, unit] of [['a1', 'A1'], ['a2', 'A1'], ['a3', 'A2'], ['as1', 'AS'], ['b1', 'B1'], ['b2', 'B1'], ['bt1', 'BT']]) {
      people[code] = await insertPerson(t.db, u[unit], `${code.toUpperCase()}-${tag}`, `Nguyễn Văn ${code.toUpperCase()}`, { email: `${code}.${tag.toLowerCase()}@example.gov.vn` });
    }
    await t.db.query(`UPDATE person_unit_history SET valid_from = '-infinity' WHERE person_id = ANY($1::uuid[])`, [Object.values(people)]);
    for (const [who, year] of [['a1', Y - 1], ['b1', Y - 1], ['bt1', Y - 1], ['a1', C], ['a3', C]] as const) await trained(who, year);
    // The new province exists already (created by a deployment-wide administrator); this admin holds A, B and N.
    await insertUser(t.db, `admin-r-${tag.toLowerCase()}`, [[Role.Admin, u['A']], [Role.Admin, u['B']], [Role.Admin, u['N']]]);
    await insertUser(t.db, `admin-q-r-${tag.toLowerCase()}`, [[Role.Admin, u['Q']]]);
    admin = await signIn(t.http, `admin-r-${tag.toLowerCase()}`, FIXTURE_PASSWORD);
    outsider = await signIn(t.http, `admin-q-r-${tag.toLowerCase()}`, FIXTURE_PASSWORD);
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses a bad plan with the row and the reason, and writes nothing', async () => {
    const before = await snapshot();
    const bad = await xlsx([
      ['chuyển', `AD-${tag}`, `A1-${tag}`, '', '', date, ''],
      ['sáp nhập vào', `ZZ-${tag}`, `A1-${tag}`, '', '', date, ''],
      ['sáp nhập vào', `A2-${tag}`, `A1-${tag}`, '', '', '01/01/2010', ''],
      ['chia tách', `B1-${tag}`, `A1-${tag}`, '', '', date, 'KHONG-CO-AI'],
      ['chia tách', `B1-${tag}`, `A2-${tag}`, '', '', date, ''],
    ]);
    const check = await t.http.post('/api/reorganisations/check').set(admin).attach('file', bad, 'ke-hoach-sai.xlsx');
    expect(check.status).toBe(200);
    expect(check.body.valid).toBe(false);
    expect(check.body.issues.map((i: { row: number; code: string }) => [i.row, i.code])).toEqual([
      [2, ReorgIssue.Cycle],
      [3, ReorgIssue.CodeUnknown],
      [4, ReorgIssue.DateBeforeUnit],
      [5, ReorgIssue.SplitAssignUnknown],
      [5, ReorgIssue.SplitUnassigned],
    ]);
    const apply = await t.http.post('/api/reorganisations').set(admin).attach('file', bad, 'ke-hoach-sai.xlsx');
    expect(apply.status).toBe(422);
    expect(apply.body.code).toBe(ErrorCode.ReorganisationInvalid);
    expect(apply.body.details[0]).toEqual({ field: 'row 2: Mã đơn vị đích', message: expect.stringContaining('cycle') });
    const notAPlan = await t.http.post('/api/reorganisations/check').set(admin).attach('file', Buffer.from('tên,mã\nx,y\n'), 'khong-phai.csv');
    expect(notAPlan.status).toBe(200);
    expect(notAPlan.body.issues.map((i: { code: string }) => i.code)).toEqual([ReorgIssue.HeaderMissing, ReorgIssue.HeaderMissing, ReorgIssue.HeaderMissing]);
    expect(await snapshot()).toEqual(before);
  });

  it('dry run shows every change and writes nothing; another province admin cannot even name the units', async () => {
    const before = await snapshot();
    const res = await t.http.post('/api/reorganisations/check').set(admin).attach('file', await goodPlan(), 'ke-hoach.xlsx');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ valid: true, applied: false, planId: null, totals: { created: 3, closed: 6, abolished: 2, split: 0, moved: 0, people: 6 } });
    const merged = res.body.changes.filter((c: { unit: { code: string } }) => c.unit.code === `B1-${tag}`)[0];
    expect(merged).toMatchObject({ action: 'close_into', effectiveDate: `${Y}-07-01`, people: 2, subUnits: 1, targets: [{ code: `NX1-${tag}`, name: 'Phường Hợp Nhất' }] });
    const grants = res.body.impacts.find((i: { area: string }) => i.area === 'role_grants');
    expect(grants.changed.map((g: { from: string; to: string }) => [g.from, g.to]).sort()).toEqual([
      ['Tỉnh An', 'Tỉnh Hợp Nhất'],
      ['Tỉnh Bình', 'Tỉnh Hợp Nhất'],
    ]);
    expect(await snapshot()).toEqual(before);

    const foreign = await t.http.post('/api/reorganisations/check').set(outsider).attach('file', await goodPlan(), 'ke-hoach.xlsx');
    expect(foreign.body.valid).toBe(false);
    expect(foreign.body.issues.every((i: { code: string }) => i.code === ReorgIssue.CodeUnknown)).toBe(true);
  });

  it('applies the plan in one go: units, people, lineage, dated history, grants; audited and listed', async () => {
    const res = await t.http.post('/api/reorganisations').set(admin).attach('file', await goodPlan(), 'ke-hoach.xlsx');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ valid: true, applied: true, planId: expect.any(String) });
    const units = (await t.db.query(
      `SELECT code, valid_to::text AS valid_to, root_id, (SELECT code FROM org_units p WHERE p.id = o.parent_id) AS parent FROM org_units o WHERE code LIKE $1 ORDER BY code`,
      [`%-${tag}`],
    )) as Array<{ code: string; valid_to: string | null; root_id: string; parent: string | null }>;
    const byCode = Object.fromEntries(units.map((x) => [x.code.replace(`-${tag}`, ''), x]));
    for (const closed of ['A', 'B', 'AD', 'BD', 'A1', 'A2', 'B1', 'AS']) expect(byCode[closed].valid_to).toBe(`${Y}-06-30`);
    expect(byCode['BT']).toMatchObject({ valid_to: null, parent: `NX1-${tag}`, root_id: u['N'].id });
    // People are in the new units, in the new province, since 1 July of Y (not since today).
    const moved = (await t.db.query(
      `SELECT p.staff_code, o.code, p.province_id = $2 AS in_n, to_char(h.valid_from AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD') AS since
         FROM people p JOIN org_units o ON o.id = p.org_unit_id JOIN person_unit_history h ON h.person_id = p.id AND h.valid_to IS NULL
        WHERE p.id = ANY($1::uuid[]) ORDER BY p.staff_code`,
      [Object.values(people), u['N'].id],
    )) as Array<{ staff_code: string; code: string; in_n: boolean; since: string }>;
    expect(moved.map((m) => [m.staff_code.replace(`-${tag}`, ''), m.code.replace(`-${tag}`, ''), m.in_n, m.since])).toEqual([
      ['A1', 'NX1', true, `${Y}-07-01`],
      ['A2', 'NX1', true, `${Y}-07-01`],
      ['A3', 'NX2', true, `${Y}-07-01`],
      ['AS1', 'NS', true, `${Y}-07-01`],
      ['B1', 'NX1', true, `${Y}-07-01`],
      ['B2', 'NX1', true, `${Y}-07-01`],
      ['BT1', 'BT', true, null],
    ]);
    // The admin's grants on A and B became the one on N (already held): one grant left.
    const grants = await t.db.query(`SELECT o.code FROM role_grants g JOIN users us ON us.id = g.user_id JOIN org_units o ON o.id = g.org_unit_id WHERE us.username = $1`, [
      `admin-r-${tag.toLowerCase()}`,
    ]);
    expect(grants).toEqual([{ code: `N-${tag}` }]);
    const list = await t.http.get('/api/reorganisations').set(admin);
    expect(list.body.map((p: { id: string }) => p.id)).toContain(res.body.planId);
    expect((await t.http.get('/api/reorganisations').set(outsider)).body.map((p: { id: string }) => p.id)).not.toContain(res.body.planId);
    expect((await t.http.get(`/api/reorganisations/${res.body.planId}`).set(outsider)).status).toBe(404);
    const [audit] = await t.db.query(`SELECT actor_username, after FROM audit_events WHERE action = 'org.reorganised' AND entity_id = $1`, [res.body.planId]);
    expect(audit).toMatchObject({ actor_username: `admin-r-${tag.toLowerCase()}`, after: { rows: 11 } });

    // Applying the same plan again is refused: those units are closed now (plans only go forward).
    const again = await t.http.post('/api/reorganisations/check').set(admin).attach('file', await goodPlan(), 'ke-hoach.xlsx');
    expect(again.body.valid).toBe(false);
    expect(again.body.issues.map((i: { code: string }) => i.code)).toContain(ReorgIssue.CodeTaken);
  });

  it("shows a new commune's history, readable by the successor's admin and by nobody outside", async () => {
    const detail = await t.http.get(`/api/org-units/${(await idOf(`NX1-${tag}`))}`).set(admin);
    expect(detail.status).toBe(200);
    expect(detail.body.predecessors.map((p: { code: string; relation: string; effectiveDate: string }) => [p.code, p.relation, p.effectiveDate])).toEqual([
      [`B1-${tag}`, 'merge', `${Y}-07-01`],
      [`A1-${tag}`, 'merge', `${Y}-07-01`],
    ].sort((a, b) => (a[0] === `A1-${tag}` ? -1 : b[0] === `A1-${tag}` ? 1 : 0)));
    // The admin's grant is on N only now; the former commune and the former district stay readable through lineage.
    const former = await t.http.get(`/api/org-units/${u['A1'].id}`).set(admin);
    expect(former.status).toBe(200);
    expect(former.body.successors.map((s: { code: string }) => s.code)).toEqual([`NX1-${tag}`]);
    expect((await t.http.get(`/api/org-units/${u['AD'].id}`).set(admin)).status).toBe(200);
    expect((await t.http.get(`/api/org-units/${u['A1'].id}`).set(outsider)).status).toBe(404);
  });

  it('pins the figures across the cut-over: last structure before, new structure after, one trend line', async () => {
    await t.app.get(ComplianceRefreshService).refresh([Y - 1, Y, C]);
    // Y − 1 (before the merger): the new province answers with the former provinces, in their structure.
    const before = await coverage('N', Y - 1);
    expect(before.status).toBe(200);
    expect(figures(before.body.unit)).toEqual([7, 3]);
    expect(before.body.children.map((c: { name: string; formerUnit?: string; members: number; trained: number }) => [c.name, c.formerUnit, c.members, c.trained])).toEqual([
      ['Tỉnh An', 'merge', 4, 1],
      ['Tỉnh Bình', 'merge', 3, 2],
    ]);
    // drilling into a former province shows its districts of that year
    const oldA = await coverage('A', Y - 1);
    expect(oldA.body.children.map((c: { name: string; members: number }) => [c.name, c.members])).toEqual([
      ['Huyện An', 3],
      ['Sở Nội vụ', 1],
    ]);
    // The merged commune: its two former communes (the team came with Bình Một).
    const communeBefore = await coverage('NX1', Y - 1);
    expect(figures(communeBefore.body.unit)).toEqual([5, 3]);
    expect(communeBefore.body.children.map((c: { name: string; members: number }) => [c.name, c.members])).toEqual([
      ['Xã An Một', 2],
      ['Xã Bình Một', 3],
    ]);
    // This year: the new structure, communes directly under the province.
    const now = await coverage('N', C);
    expect(figures(now.body.unit)).toEqual([7, 2]);
    expect(now.body.children.map((c: { name: string; formerUnit?: string; members: number; trained: number }) => [c.name, c.formerUnit, c.members, c.trained])).toEqual([
      ['Phường Hợp Nhất', undefined, 5, 1],
      ['Sở Nội vụ', undefined, 1, 0],
      ['Xã Hai', undefined, 1, 1],
    ]);
    expect(figures((await coverage('NX1', C)).body.unit)).toEqual([5, 1]);
    // One line for the merged province through the merger, and for the merged commune.
    const trend = await t.http.get('/api/compliance/trend').query({ unitId: u['N'].id }).set(admin);
    const points = Object.fromEntries(trend.body.points.map((p: { year: number; members: number; trained: number }) => [p.year, [p.members, p.trained]]));
    expect(points[Y - 1]).toEqual([7, 3]);
    expect(points[Y]).toEqual([7, 0]);
    expect(points[C]).toEqual([7, 2]);
    const communeTrend = await t.http.get('/api/compliance/trend').query({ unitId: (await idOf(`NX1-${tag}`)) }).set(admin);
    expect(communeTrend.body.points.find((p: { year: number }) => p.year === Y - 1)).toMatchObject({ members: 5, trained: 3 });
    // the untrained list of the former year is the former units' members
    const untrained = await t.http.get('/api/compliance/untrained').query({ year: Y - 1, unitId: u['N'].id }).set(admin);
    expect(untrained.body.total).toBe(4);
    // Outside the lineage: nothing.
    expect((await coverage('N', Y - 1, outsider)).status).toBe(404);
    expect((await coverage('A', Y - 1, outsider)).status).toBe(404);
  });

  it('refuses a merge whose people would clash with staff codes of the province they join, naming them, and writes nothing', async () => {
    const r = await insertUnit(t.db, `R-${tag}`, 'Tỉnh Rời', OrgUnitKind.Province, undefined, '2015-01-01');
    const r1 = await insertUnit(t.db, `R1-${tag}`, 'Xã Rời Một', OrgUnitKind.Commune, r, '2015-01-01');
    await insertPerson(t.db, r1, `DUP-${tag}`, 'Trần Thị Trùng');
    const [nx2] = (await t.db.query(`SELECT id, code, path, root_id AS "rootId", depth FROM org_units WHERE code = $1`, [`NX2-${tag}`])) as FixtureUnit[];
    await insertPerson(t.db, nx2, `DUP-${tag}`, 'Lê Văn Trùng');
    const [me] = await t.db.query(`SELECT id FROM users WHERE username = $1`, [`admin-r-${tag.toLowerCase()}`]);
    await t.db.query(`INSERT INTO role_grants (user_id, role, org_unit_id) VALUES ($1, 'admin', $2)`, [me.id, r.id]);
    const before = await snapshot();
    const plan = await xlsx([['sáp nhập vào', `R-${tag}`, `N-${tag}`, '', '', `01/07/${C}`, '']]);
    const check = await t.http.post('/api/reorganisations/check').set(admin).attach('file', plan, 'ke-hoach-trung.xlsx');
    expect(check.status).toBe(200);
    expect(check.body.valid).toBe(false);
    expect(check.body.issues).toEqual([expect.objectContaining({ row: 2, code: ReorgIssue.StaffCodeClash, params: { items: `DUP-${tag}` } })]);
    const apply = await t.http.post('/api/reorganisations').set(admin).attach('file', plan, 'ke-hoach-trung.xlsx');
    expect(apply.status).toBe(422);
    expect(await snapshot()).toEqual(before);
  });

  async function idOf(code: string): Promise<string> {
    const [row] = (await t.db.query(`SELECT id FROM org_units WHERE code = $1`, [code])) as Array<{ id: string }>;
    u[code.replace(`-${tag}`, '')] = { id: row.id } as FixtureUnit;
    return row.id;
  }
});
