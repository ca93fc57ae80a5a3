import { ErrorCode, NetworkCategory } from '@dxtrain/shared/contracts';
import { buildFixture, Fixture, FIXTURE_PASSWORD, insertPerson } from '../testing/fixtures';
import { createTestApp, signIn, TestApp } from '../testing/test-app';

type Auth = { Authorization: string };

describe('staff registry', () => {
  let t: TestApp;
  let f: Fixture;
  const as: Record<'admin' | 'organiser' | 'manager' | 'hr' | 'learner' | 'otherAdmin', Auth> = {} as never;
  const names = (body: { items: Array<{ fullName: string }> }) => body.items.map((p) => p.fullName);

  beforeAll(async () => {
    t = await createTestApp();
    f = await buildFixture(t.db);
    for (const [key, user] of Object.entries({ admin: 'admin', organiser: 'organiser', manager: 'manager', hr: 'hr', learner: 'learner', otherAdmin: 'admin-q' })) {
      as[key as keyof typeof as] = await signIn(t.http, `${user}-${f.tag}`, FIXTURE_PASSWORD);
    }
  });
  afterAll(() => t.close());

  it('lists the subtree of unitId, sorted the Vietnamese way (given name first)', async () => {
    const res = await t.http.get(`/api/staff?unitId=${f.district1.id}`).set(as.manager);
    expect(res.status).toBe(200);
    // An < Ánh < Hương: given names compared first, by the Vietnamese alphabet.
    expect(names(res.body)).toEqual(['Trần Văn An', 'Lê Thị Ánh', 'Nguyễn Thị Hương']);
    expect(res.body).toMatchObject({ total: 3, page: 1, pageSize: 25 });
    expect(res.body.items[2]).toMatchObject({ staffCode: `L-${f.tag}`, orgUnitName: 'Phường Hội Thương', hasAccount: true });
  });

  it('orders by the Vietnamese alphabet: Đ after D, Ư after U, tones as a tie-breaker', async () => {
    const unit = f.commune2a;
    for (const [code, name] of [
      ['S1', 'Nguyễn Văn Đức'],
      ['S2', 'Nguyễn Văn Dũng'],
      ['S3', 'Nguyễn Văn Ưng'],
      ['S4', 'Nguyễn Văn Uy'],
      ['S5', 'Nguyễn Thị Hà'],
      ['S6', 'Nguyễn Thị Ha'],
    ]) {
      await insertPerson(t.db, unit, `${code}-${f.tag}`, name);
    }
    const res = await t.http.get(`/api/staff?unitId=${unit.id}&pageSize=50`).set(as.admin);
    expect(names(res.body)).toEqual([
      'Phạm Minh Bảo',
      'Nguyễn Văn Dũng',
      'Nguyễn Văn Đức',
      'Nguyễn Thị Ha',
      'Nguyễn Thị Hà',
      'Nguyễn Văn Uy',
      'Nguyễn Văn Ưng',
    ]);
  });

  it('finds "nguyen thi huong" as "Nguyễn Thị Hương", and by staff code or email', async () => {
    for (const q of ['nguyen thi huong', 'NGUYỄN THỊ HƯƠNG', '  Nguyen   Thi  ', `l-${f.tag}`, `huong.${f.tag}@example`]) {
      const res = await t.http.get(`/api/staff?q=${encodeURIComponent(q)}&unitId=${f.province.id}`).set(as.organiser);
      expect(names(res.body)).toContain('Nguyễn Thị Hương');
    }
    const none = await t.http.get(`/api/staff?q=${encodeURIComponent('100%_')}`).set(as.organiser);
    expect(none.body.total).toBe(0);
  });

  it('filters by network category and pages', async () => {
    const res = await t.http.get(`/api/staff?unitId=${f.province.id}&category=${NetworkCategory.UnitFocalPoint}`).set(as.hr);
    expect(names(res.body)).toEqual(['Lê Thị Ánh']);
    const page2 = await t.http.get(`/api/staff?unitId=${f.district1.id}&pageSize=2&page=2`).set(as.manager);
    expect(names(page2.body)).toEqual(['Nguyễn Thị Hương']);
    expect(page2.body.total).toBe(3);
  });

  it('answers learners 403 on lists but lets them read their own record', async () => {
    const list = await t.http.get('/api/staff').set(as.learner);
    expect(list.status).toBe(403);
    const own = await t.http.get(`/api/staff/${f.people.learner}`).set(as.learner);
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ fullName: 'Nguyễn Thị Hương', username: `learner-${f.tag}` });
    const other = await t.http.get(`/api/staff/${f.people.otherProvincePerson}`).set(as.learner);
    expect(other.status).toBe(404);
  });

  it('gives out-of-scope callers nothing', async () => {
    const list = await t.http.get(`/api/staff?unitId=${f.province.id}`).set(as.manager);
    expect(list.status).toBe(403);
    expect(list.body.code).toBe(ErrorCode.GrantOutOfScope);
    const all = await t.http.get('/api/staff?pageSize=200').set(as.otherAdmin);
    expect(names(all.body)).toEqual(['Hoàng Văn Hùng']);
    expect((await t.http.get(`/api/staff/${f.people.learner}`).set(as.otherAdmin)).status).toBe(404);
    const patch = await t.http.patch(`/api/staff/${f.people.learner}`).set(as.otherAdmin).send({ position: 'x' });
    expect(patch.status).toBe(404);
  });

  describe('changes', () => {
    const peopleCount = async () => Number((await t.db.query(`SELECT COUNT(*) FROM people WHERE province_id = $1`, [f.province.rootId]))[0].count);

    it('creates a person with NFC name and lower-case email, and audits it', async () => {
      const decomposed = 'Nguyê\u0303n Văn Tuấn'.normalize('NFD');
      const res = await t.http
        .post('/api/staff')
        .set(as.manager)
        .send({ staffCode: `N1-${f.tag}`, fullName: `  ${decomposed} `, email: ` Tuan.${f.tag}@Example.gov.vn `, orgUnitId: f.commune1a.id, networkCategory: NetworkCategory.CommuneItOfficer });
      expect(res.status).toBe(201);
      expect(res.body.fullName).toBe('Nguyễn Văn Tuấn');
      expect(res.body.fullName).toBe(res.body.fullName.normalize('NFC'));
      expect(res.body.email).toBe(`tuan.${f.tag}@example.gov.vn`);
      const [audit] = await t.db.query(`SELECT actor_username, after FROM audit_events WHERE entity_id = $1`, [res.body.id]);
      expect(audit).toMatchObject({ actor_username: `manager-${f.tag}`, after: expect.objectContaining({ staffCode: `N1-${f.tag}` }) });
    });

    it('refuses duplicates, bad fields and units out of scope, writing nothing', async () => {
      const before = await peopleCount();
      const dup = await t.http.post('/api/staff').set(as.admin).send({ staffCode: `L-${f.tag}`, fullName: 'Ai Đó', orgUnitId: f.commune1a.id });
      expect(dup.status).toBe(409);
      expect(dup.body.code).toBe(ErrorCode.StaffCodeTaken);
      const dupEmail = await t.http.post('/api/staff').set(as.admin).send({ staffCode: `E1-${f.tag}`, fullName: 'Ai Đó', email: `HUONG.${f.tag}@example.gov.vn`, orgUnitId: f.commune1a.id });
      expect(dupEmail.body.code).toBe(ErrorCode.EmailTaken);
      const bad = await t.http
        .post('/api/staff')
        .set(as.admin)
        .send({ staffCode: '', fullName: 'x'.repeat(201), email: 'not-an-email', orgUnitId: 'nope', networkCategory: 'astronaut', salary: 1 });
      expect(bad.status).toBe(400);
      expect(bad.body.details.map((d: { field: string }) => d.field)).toEqual(
        expect.arrayContaining(['staffCode', 'fullName', 'email', 'orgUnitId', 'networkCategory', 'salary']),
      );
      const outside = await t.http.post('/api/staff').set(as.manager).send({ staffCode: `O1-${f.tag}`, fullName: 'Ngoài Phạm Vi', orgUnitId: f.commune2a.id });
      expect(outside.status).toBe(400);
      expect(outside.body.code).toBe(ErrorCode.OrgUnitNotFound);
      const hrCannot = await t.http.post('/api/staff').set(as.hr).send({ staffCode: `O2-${f.tag}`, fullName: 'Nhân Sự', orgUnitId: f.commune1a.id });
      expect(hrCannot.status).toBe(403);
      expect(await peopleCount()).toBe(before);
    });

    it('updates, moves between units in scope, deactivates and reactivates (never deletes)', async () => {
      const id = (await t.http.post('/api/staff').set(as.admin).send({ staffCode: `U1-${f.tag}`, fullName: 'Bùi Văn Cường', orgUnitId: f.commune1a.id })).body.id;
      const moved = await t.http.patch(`/api/staff/${id}`).set(as.admin).send({ orgUnitId: f.commune2a.id, position: 'Công chức Văn phòng - Thống kê', isFocalPoint: true });
      expect(moved.status).toBe(200);
      expect(moved.body).toMatchObject({ orgUnitId: f.commune2a.id, position: 'Công chức Văn phòng - Thống kê', isFocalPoint: true });
      // The district-1 manager lost sight of them with the move.
      expect((await t.http.get(`/api/staff/${id}`).set(as.manager)).status).toBe(404);

      const off = await t.http.post(`/api/staff/${id}/deactivate`).set(as.admin);
      expect(off.status).toBe(200);
      expect(off.body.active).toBe(false);
      expect(off.body.deactivatedAt).toEqual(expect.any(String));
      const activeList = await t.http.get(`/api/staff?unitId=${f.commune2a.id}&q=cuong`).set(as.admin);
      expect(activeList.body.total).toBe(0);
      const inactive = await t.http.get(`/api/staff?unitId=${f.commune2a.id}&q=cuong&active=false`).set(as.admin);
      expect(names(inactive.body)).toEqual(['Bùi Văn Cường']);
      const on = await t.http.post(`/api/staff/${id}/reactivate`).set(as.admin);
      expect(on.body).toMatchObject({ active: true, deactivatedAt: null });
      const actions = (await t.db.query(`SELECT action FROM audit_events WHERE entity_id = $1 ORDER BY id`, [id])).map((r: { action: string }) => r.action);
      expect(actions).toEqual(['person.created', 'person.updated', 'person.deactivated', 'person.reactivated']);
      expect((await t.http.delete(`/api/staff/${id}`).set(as.admin)).status).toBe(404);
    });

    it('rejects bad query strings with a clear 400', async () => {
      const res = await t.http.get('/api/staff?page=0&pageSize=1000&category=x&active=maybe').set(as.admin);
      expect(res.status).toBe(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['page', 'pageSize', 'category', 'active']));
    });
  });

  it('lets admins read the audit log, and nobody else', async () => {
    const res = await t.http.get('/api/audit?pageSize=5').set(as.admin);
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeGreaterThan(0);
    expect(res.body.items[0]).toEqual(expect.objectContaining({ action: expect.any(String), occurredAt: expect.any(String) }));
    expect((await t.http.get('/api/audit').set(as.organiser)).status).toBe(403);
  });
});
