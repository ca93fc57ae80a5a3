import { randomUUID } from 'node:crypto';
import { ErrorCode, OrgUnitKind, ReorgIssue, Role } from '@dxtrain/shared/contracts';
import { planHeaders } from '@dxtrain/server/organisation';
import { writeXlsx } from '@dxtrain/server/spreadsheets';
import { buildFixture, Fixture, FIXTURE_PASSWORD, insertUser } from '../testing/fixtures';
import { createTestApp, signIn, TestApp } from '../testing/test-app';

type Auth = { Authorization: string };

/**
 * A deployment-wide grant (superadmin, no unit): only it creates provinces (top-level units), directly or in a
 * reorganisation plan, and it reads every province; a province's admin cannot, and cannot hand the role out.
 */
describe('deployment-wide administrator (superadmin)', () => {
  let t: TestApp;
  let f: Fixture;
  let admin: Auth;
  let superadmin: Auth;
  let superId: string;

  beforeAll(async () => {
    t = await createTestApp();
    f = await buildFixture(t.db);
    superId = randomUUID();
    await t.db.query(`INSERT INTO users (id, username, password_hash, display_name) SELECT $1, $2, password_hash, 'Quản trị toàn hệ thống' FROM users WHERE username = $3`, [
      superId,
      `super-${f.tag}`,
      `admin-${f.tag}`,
    ]);
    await t.db.query(`INSERT INTO role_grants (user_id, role, org_unit_id) VALUES ($1, 'superadmin', NULL)`, [superId]);
    admin = await signIn(t.http, `admin-${f.tag}`, FIXTURE_PASSWORD);
    superadmin = await signIn(t.http, `super-${f.tag}`, FIXTURE_PASSWORD);
  });
  afterAll(() => t.close());

  it('the database refuses a unit-less grant of any other role, and a unit on a superadmin grant', async () => {
    await expect(t.db.query(`INSERT INTO role_grants (user_id, role, org_unit_id) VALUES ($1, 'admin', NULL)`, [superId])).rejects.toThrow(/CHK_role_grants_unit_unless_superadmin/);
    await expect(t.db.query(`INSERT INTO role_grants (user_id, role, org_unit_id) VALUES ($1, 'superadmin', $2)`, [superId, f.province.id])).rejects.toThrow(/CHK_role_grants_unit_unless_superadmin/);
  });

  it('only a superadmin creates a province', async () => {
    const body = { code: `NP-${f.tag}`, name: 'Tỉnh Mới', kind: OrgUnitKind.Province };
    const byAdmin = await t.http.post('/api/org-units').set(admin).send(body);
    expect(byAdmin.status).toBe(403);
    expect(byAdmin.body.code).toBe(ErrorCode.OrgUnitRootNeedsAdmin);
    const bySuper = await t.http.post('/api/org-units').set(superadmin).send(body);
    expect(bySuper.status).toBe(201);
    expect(bySuper.body).toMatchObject({ parentId: null, depth: 0, name: 'Tỉnh Mới' });
  });

  it('sees every province at the top of the tree, and acts as an admin in any of them', async () => {
    const top = await t.http.get('/api/org-units').set(superadmin);
    const ids = top.body.map((u: { id: string }) => u.id);
    expect(ids).toEqual(expect.arrayContaining([f.province.id, f.otherProvince.id]));
    expect(top.body.every((u: { parentId: string | null }) => u.parentId === null)).toBe(true);
    const me = await t.http.get('/api/me').set(superadmin);
    expect(me.body.user.roles).toEqual(expect.arrayContaining([Role.Superadmin, Role.Admin]));
    const child = await t.http.post('/api/org-units').set(superadmin).send({ code: `SQ-${f.tag}`, name: 'Sở Thử', kind: OrgUnitKind.Department, parentId: f.otherProvince.id });
    expect(child.status).toBe(201);
  });

  it('a province admin cannot hand out the deployment-wide role', async () => {
    const res = await t.http.post(`/api/users/${f.users.learner}/grants`).set(admin).send({ role: Role.Superadmin, orgUnitId: f.province.id });
    expect([400, 403]).toContain(res.status);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM role_grants WHERE user_id = $1`, [f.users.learner]);
    expect(n).toBe(1);
  });

  it('a reorganisation plan may create a province only for a superadmin', async () => {
    const plan = await writeXlsx([{ name: 'Kế hoạch', headers: planHeaders('vi'), rows: [['tạo mới', `NP2-${f.tag}`, '', 'Tỉnh Hợp Nhất Thử', 'tỉnh', '01/07/2025', '']] }]);
    const byAdmin = await t.http.post('/api/reorganisations/check').set(admin).attach('file', plan, 'p.xlsx');
    expect(byAdmin.body.issues.map((i: { code: string }) => i.code)).toEqual([ReorgIssue.RootNotAllowed]);
    const bySuper = await t.http.post('/api/reorganisations/check').set(superadmin).attach('file', plan, 'p.xlsx');
    expect(bySuper.body).toMatchObject({ valid: true, totals: { created: 1 } });
  });
});
