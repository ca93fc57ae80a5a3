import { randomUUID } from 'node:crypto';
import { ErrorCode, OrgUnitKind, Role } from '@dxtrain/shared/contracts';
import { writeOutboxMessages } from '@dxtrain/server/enrolment';
import { MIGRATIONS } from '@dxtrain/server/platform';
import { buildFixture, Fixture, FIXTURE_PASSWORD, insertUnit, insertUser } from '../testing/fixtures';
import { createTestApp, signIn, TestApp } from '../testing/test-app';

type Auth = { Authorization: string };

/** The migration's back-fill, run again on rows this file writes the way old code did (no unit, no person). */
async function backfill(t: TestApp): Promise<void> {
  const migration = MIGRATIONS.find((m) => m.name === 'AuditAndOutboxScope1796231305942') as unknown as { backfill(q: { query(sql: string): Promise<unknown> }): Promise<void> };
  await migration.backfill(t.db);
}

/**
 * Issue 12 item 2: the admin views (audit log, outbox, enrolment imports, accounts and their grants) show an admin
 * only their own province; rows that cannot be placed in a unit only a deployment-wide admin.
 * P = the fixture's province, Q = its second province with its own admin.
 */
describe('admin views are scoped to the admin’s grants', () => {
  let t: TestApp;
  let f: Fixture;
  let organiserQ: string;
  const as: Record<'p' | 'q' | 'all' | 'everyRoot' | 'organiserP' | 'organiserQ', Auth> = {} as never;

  beforeAll(async () => {
    t = await createTestApp();
    f = await buildFixture(t.db);
    organiserQ = await insertUser(t.db, `organiser-q-${f.tag}`, [[Role.Organiser, f.otherProvince]]);
    await insertUser(t.db, `both-${f.tag}`, [
      [Role.Learner, f.commune1a],
      [Role.Learner, f.otherProvince],
    ]);
    // Deployment-wide: a superadmin grant (no unit).
    const national = await insertUser(t.db, `national-${f.tag}`, []);
    await t.db.query(`INSERT INTO role_grants (user_id, role, org_unit_id) VALUES ($1, $2, NULL)`, [national, Role.Superadmin]);
    // An admin of every province there is today (whatever other test files left) is still not deployment-wide.
    const everyRoot = await insertUser(t.db, `every-root-${f.tag}`, []);
    await t.db.query(`INSERT INTO role_grants (user_id, role, org_unit_id) SELECT $1, 'admin', id FROM org_units WHERE parent_id IS NULL AND valid_to IS NULL`, [everyRoot]);
    as.p = await signIn(t.http, `admin-${f.tag}`, FIXTURE_PASSWORD);
    as.q = await signIn(t.http, `admin-q-${f.tag}`, FIXTURE_PASSWORD);
    as.all = await signIn(t.http, `national-${f.tag}`, FIXTURE_PASSWORD);
    as.everyRoot = await signIn(t.http, `every-root-${f.tag}`, FIXTURE_PASSWORD);
    as.organiserP = await signIn(t.http, `organiser-${f.tag}`, FIXTURE_PASSWORD);
    as.organiserQ = await signIn(t.http, `organiser-q-${f.tag}`, FIXTURE_PASSWORD);
  });
  afterAll(() => t.close());

  describe('GET /api/audit', () => {
    const events = async (who: Auth, query: string) => {
      const res = await t.http.get(`/api/audit?pageSize=200&${query}`).set(who);
      expect(res.status).toBe(200);
      return res.body.items as Array<{ entityId: string | null; action: string; actorUsername: string | null }>;
    };

    it('shows each admin the events of their own province: grants made there, sign-ins of its accounts', async () => {
      const gp = await t.http.post(`/api/users/${f.users.hr}/grants`).set(as.p).send({ role: Role.Organiser, orgUnitId: f.district1.id });
      const gq = await t.http.post(`/api/users/${organiserQ}/grants`).set(as.q).send({ role: Role.Hr, orgUnitId: f.otherProvince.id });
      expect([gp.status, gq.status]).toEqual([201, 201]);

      const grantsSeen = async (who: Auth) => (await events(who, 'entityType=role_grant')).map((e) => e.entityId);
      const ofP = await grantsSeen(as.p);
      expect(ofP).toContain(gp.body.id);
      expect(ofP).not.toContain(gq.body.id);
      const ofQ = await grantsSeen(as.q);
      expect(ofQ).toContain(gq.body.id);
      expect(ofQ).not.toContain(gp.body.id);
      expect(await grantsSeen(as.all)).toEqual(expect.arrayContaining([gp.body.id, gq.body.id]));

      const signInsSeen = async (who: Auth) => (await events(who, 'action=auth.login')).map((e) => e.actorUsername);
      const pUsers = [`admin-${f.tag}`, `organiser-${f.tag}`];
      const qUsers = [`admin-q-${f.tag}`, `organiser-q-${f.tag}`];
      const signInsOfQ = await signInsSeen(as.q);
      expect(signInsOfQ).toEqual(expect.arrayContaining(qUsers));
      for (const u of pUsers) expect(signInsOfQ).not.toContain(u);
      const signInsOfP = await signInsSeen(as.p);
      expect(signInsOfP).toEqual(expect.arrayContaining(pUsers));
      for (const u of qUsers) expect(signInsOfP).not.toContain(u);
    });

    it('places old events where the back-fill can derive a unit; the rest only a deployment-wide admin reads', async () => {
      const action = (name: string) => `legacy.${name}.${f.tag}`;
      const insert = (name: string, entityType: string, entityId: string | null, after: object | null = null) =>
        t.db.query(`INSERT INTO audit_events (actor_username, action, entity_type, entity_id, after) VALUES ('old-code', $1, $2, $3, $4::jsonb)`, [
          action(name),
          entityType,
          entityId,
          after ? JSON.stringify(after) : null,
        ]);
      await insert('person', 'person', f.people.learner); // a person of P
      await insert('account', 'user', f.users.learner); // an account whose person is in P
      await insert('grant', 'role_grant', randomUUID(), { orgUnitId: f.otherProvince.id }); // a grant (since revoked) on Q
      await insert('unplaced', 'system', null); // nothing to place it by
      await backfill(t);

      const seen = async (who: Auth) => {
        const names: string[] = [];
        for (const name of ['person', 'account', 'grant', 'unplaced']) if ((await events(who, `action=${action(name)}`)).length) names.push(name);
        return names;
      };
      expect(await seen(as.p)).toEqual(['person', 'account']);
      expect(await seen(as.q)).toEqual(['grant']);
      expect(await seen(as.all)).toEqual(['person', 'account', 'grant', 'unplaced']);
      expect(await seen(as.everyRoot)).toEqual(['person', 'account', 'grant']);
    });

    it('gives the events of a former province to the admin of the province it was merged into', async () => {
      const former = await insertUnit(t.db, `F-${f.tag}`, `Tỉnh Cũ ${f.tag}`, OrgUnitKind.Province);
      await t.db.query(`UPDATE org_units SET valid_to = '2025-06-30', merged_into_id = $2, merged_at = '2025-07-01' WHERE id = $1`, [former.id, f.province.id]);
      await t.db.query(`INSERT INTO org_unit_lineage (predecessor_id, successor_id, kind, effective_date) VALUES ($1, $2, 'merge', '2025-07-01')`, [former.id, f.province.id]);
      await t.db.query(`INSERT INTO audit_events (actor_username, action, entity_type, entity_id, org_unit_ids) VALUES ('old-code', $1, 'org_unit', $2::text, ARRAY[$2::uuid])`, [
        `former.${f.tag}`,
        former.id,
      ]);
      expect(await events(as.p, `action=former.${f.tag}`)).toHaveLength(1);
      expect(await events(as.q, `action=former.${f.tag}`)).toHaveLength(0);
    });
  });

  describe('GET /api/admin/outbox', () => {
    it('shows each admin the e-mail addressed to people of their province; unplaced old mail only deployment-wide', async () => {
      await writeOutboxMessages(t.db.manager, [
        { to: `huong.${f.tag}@example.gov.vn`, subject: `P ${f.tag}`, bodyText: 'Kính gửi', personId: f.people.learner },
        { to: `hung.${f.tag}@example.gov.vn`, subject: `Q ${f.tag}`, bodyText: 'Kính gửi', personId: f.people.otherProvincePerson },
      ]);
      const [written] = (await t.db.query(`SELECT org_unit_id FROM outbox_messages WHERE subject = $1`, [`P ${f.tag}`])) as Array<{ org_unit_id: string }>;
      expect(written.org_unit_id).toBe(f.commune1a.id);
      // As old code wrote them: a reminder whose ref_id is the person, and a message with nothing to trace.
      await t.db.query(`INSERT INTO outbox_messages (to_address, subject, body_text, ref_id) VALUES ($1, $2, 'x', $3), ($4, $5, 'x', NULL)`, [
        `huong.${f.tag}@example.gov.vn`,
        `old P ${f.tag}`,
        f.people.huong,
        `someone.${f.tag}@example.gov.vn`,
        `old unplaced ${f.tag}`,
      ]);
      await backfill(t);

      const subjects = async (who: Auth) => {
        const res = await t.http.get('/api/admin/outbox').set(who);
        expect(res.status).toBe(200);
        return (res.body as Array<{ subject: string }>).map((m) => m.subject).filter((s) => s.endsWith(f.tag)).sort();
      };
      expect(await subjects(as.p)).toEqual([`P ${f.tag}`, `old P ${f.tag}`]);
      expect(await subjects(as.q)).toEqual([`Q ${f.tag}`]);
      expect(await subjects(as.all)).toEqual([`P ${f.tag}`, `Q ${f.tag}`, `old P ${f.tag}`, `old unplaced ${f.tag}`]);
      expect(await subjects(as.everyRoot)).toEqual([`P ${f.tag}`, `Q ${f.tag}`, `old P ${f.tag}`]);
    });
  });

  describe('GET /api/enrolment-imports', () => {
    let importP: string;
    let importQ: string;

    beforeAll(async () => {
      const csv = Buffer.from('Mã cán bộ,Họ và tên\nX-1,Nguyễn Văn A\n');
      const up = async (who: Auth) => {
        const res = await t.http.post('/api/enrolment-imports').set(who).attach('file', csv, 'danh-sach.csv');
        expect(res.status).toBe(202);
        return res.body.id as string;
      };
      importP = await up(as.organiserP);
      importQ = await up(as.organiserQ);
      await t.db.query(`INSERT INTO enrolment_import_errors (import_id, row_number, column_name, message) VALUES ($1, 2, 'Mã cán bộ', $2)`, [importP, `secret of P ${f.tag}`]);
    });

    const listed = async (who: Auth) => {
      const res = await t.http.get('/api/enrolment-imports').set(who);
      expect(res.status).toBe(200);
      return (res.body as Array<{ id: string }>).map((i) => i.id).filter((id) => id === importP || id === importQ);
    };

    it('lists only imports uploaded into units of the admin’s scope (uploaders keep their own)', async () => {
      expect(await listed(as.p)).toEqual([importP]);
      expect(await listed(as.q)).toEqual([importQ]);
      expect((await listed(as.all)).sort()).toEqual([importP, importQ].sort());
      expect(await listed(as.organiserP)).toEqual([importP]);
    });

    it('answers 404 for another province’s import and its errors.csv', async () => {
      for (const path of [`/api/enrolment-imports/${importP}`, `/api/enrolment-imports/${importP}/errors.csv`]) {
        const res = await t.http.get(path).set(as.q);
        expect(res.status).toBe(404);
        expect(res.body.code).toBe(ErrorCode.EnrolmentImportNotFound);
      }
      expect((await t.http.get(`/api/enrolment-imports/${importQ}`).set(as.p)).status).toBe(404);
    });

    it('lets the admin of the province read the import and its errors', async () => {
      const one = await t.http.get(`/api/enrolment-imports/${importP}`).set(as.p);
      expect(one.status).toBe(200);
      expect(one.body.firstErrors).toEqual([{ rowNumber: 2, column: 'Mã cán bộ', message: `secret of P ${f.tag}` }]);
      const csv = await t.http.get(`/api/enrolment-imports/${importP}/errors.csv`).set(as.p);
      expect(csv.status).toBe(200);
      expect(csv.text).toContain(`secret of P ${f.tag}`);
    });
  });

  describe('GET /api/users', () => {
    const accounts = async (who: Auth) => {
      const res = await t.http.get('/api/users').set(who);
      expect(res.status).toBe(200);
      const body = res.body as Array<{ id: string; username: string; grants: Array<{ orgUnitId: string }> }>;
      return new Map(body.filter((u) => u.username.endsWith(f.tag)).map((u) => [u.username, u.grants.map((g) => g.orgUnitId)]));
    };

    it('shows an admin the accounts of their province with only the grants inside it', async () => {
      const ofQ = await accounts(as.q);
      for (const u of ['admin', 'organiser', 'manager', 'hr', 'learner']) expect(ofQ.has(`${u}-${f.tag}`)).toBe(false);
      expect(ofQ.get(`admin-q-${f.tag}`)).toEqual([f.otherProvince.id]);
      expect(ofQ.get(`both-${f.tag}`)).toEqual([f.otherProvince.id]);
      expect(ofQ.get(`every-root-${f.tag}`)).toEqual([f.otherProvince.id]);
      expect(ofQ.has(`national-${f.tag}`)).toBe(false); // no unit, no person: deployment-wide business

      const ofP = await accounts(as.p);
      expect(ofP.has(`admin-q-${f.tag}`)).toBe(false);
      expect(ofP.has(`organiser-q-${f.tag}`)).toBe(false);
      expect(ofP.get(`both-${f.tag}`)).toEqual([f.commune1a.id]);
      expect(ofP.get(`learner-${f.tag}`)).toEqual([f.commune1a.id]);
      expect(ofP.get(`every-root-${f.tag}`)).toEqual([f.province.id]);
    });

    it('shows a deployment-wide admin every account and grant', async () => {
      const all = await accounts(as.all);
      expect(all.get(`both-${f.tag}`)?.sort()).toEqual([f.commune1a.id, f.otherProvince.id].sort());
      expect(all.has(`admin-${f.tag}`) && all.has(`admin-q-${f.tag}`)).toBe(true);
    });
  });
});
