import { ErrorCode, OrgUnitKind } from '@dxtrain/shared/contracts';
import { buildFixture, Fixture, FIXTURE_PASSWORD, insertPerson } from '../testing/fixtures';
import { createTestApp, signIn, TestApp } from '../testing/test-app';

type Auth = { Authorization: string };

describe('organisation tree', () => {
  let t: TestApp;
  let f: Fixture;
  const as: Record<'admin' | 'organiser' | 'manager' | 'hr' | 'learner' | 'otherAdmin', Auth> = {} as never;

  beforeAll(async () => {
    t = await createTestApp();
    f = await buildFixture(t.db);
    as.admin = await signIn(t.http, `admin-${f.tag}`, FIXTURE_PASSWORD);
    as.organiser = await signIn(t.http, `organiser-${f.tag}`, FIXTURE_PASSWORD);
    as.manager = await signIn(t.http, `manager-${f.tag}`, FIXTURE_PASSWORD);
    as.hr = await signIn(t.http, `hr-${f.tag}`, FIXTURE_PASSWORD);
    as.learner = await signIn(t.http, `learner-${f.tag}`, FIXTURE_PASSWORD);
    as.otherAdmin = await signIn(t.http, `admin-q-${f.tag}`, FIXTURE_PASSWORD);
  });
  afterAll(() => t.close());

  const ids = (body: Array<{ id: string }>) => body.map((u) => u.id);

  describe('reading, scoped to grants', () => {
    it('shows each role the top of its own subtree', async () => {
      expect(ids((await t.http.get('/api/org-units').set(as.organiser)).body)).toEqual([f.province.id]);
      expect(ids((await t.http.get('/api/org-units').set(as.manager)).body)).toEqual([f.district1.id]);
      expect(ids((await t.http.get('/api/org-units').set(as.otherAdmin)).body)).toEqual([f.otherProvince.id]);
    });

    it('lists children with their child counts, in Vietnamese order', async () => {
      const res = await t.http.get(`/api/org-units?parentId=${f.province.id}`).set(as.hr);
      expect(res.status).toBe(200);
      expect(res.body.map((u: { name: string }) => u.name)).toEqual(['Huyện Chư Păh', 'Sở Thông tin và Truyền thông', 'Thành phố Pleiku']);
      expect(res.body.find((u: { id: string }) => u.id === f.district1.id).childCount).toBe(2);
    });

    it('gives someone out of scope nothing: 404 for units, children and subtrees outside their grants', async () => {
      for (const path of [`/api/org-units/${f.district2.id}`, `/api/org-units?parentId=${f.province.id}`, `/api/org-units/${f.province.id}/subtree`]) {
        const res = await t.http.get(path).set(as.manager);
        expect(res.status).toBe(404);
        expect(res.body.code).toBe(ErrorCode.OrgUnitNotFound);
      }
      expect((await t.http.get(`/api/org-units/${f.commune1a.id}`).set(as.otherAdmin)).status).toBe(404);
      const search = await t.http.get('/api/org-units?q=chu pah').set(as.manager);
      expect(search.body).toEqual([]);
    });

    it('refuses learners the tree altogether', async () => {
      const res = await t.http.get('/api/org-units').set(as.learner);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe(ErrorCode.Forbidden);
    });

    it('searches names and codes ignoring diacritics and case', async () => {
      const res = await t.http.get('/api/org-units?q=PHUONG HOI THUONG').set(as.organiser);
      expect(ids(res.body)).toEqual([f.commune1a.id]);
    });

    it('returns the whole subtree flat, with parents', async () => {
      const res = await t.http.get(`/api/org-units/${f.district1.id}/subtree`).set(as.manager);
      expect(res.status).toBe(200);
      expect(res.body).toHaveLength(3);
      expect(res.body[0]).toEqual({ id: f.district1.id, code: f.district1.code, name: 'Thành phố Pleiku', kind: 'district', parentId: f.province.id, depth: 1, validTo: null });
      expect(res.body.filter((u: { parentId: string }) => u.parentId === f.district1.id)).toHaveLength(2);
    });

    it('shows a unit page with breadcrumbs, staff counts and focal point status', async () => {
      const withFocal = (await t.http.get(`/api/org-units/${f.commune1b.id}`).set(as.manager)).body;
      expect(withFocal.ancestors.map((a: { id: string }) => a.id)).toEqual([f.province.id, f.district1.id]);
      expect(withFocal.hasFocalPoint).toBe(true);
      expect(withFocal.focalPoints).toEqual([expect.objectContaining({ fullName: 'Lê Thị Ánh' })]);
      const district = (await t.http.get(`/api/org-units/${f.district1.id}`).set(as.manager)).body;
      expect(district).toMatchObject({ staffCount: 0, subtreeStaffCount: 3, hasFocalPoint: false });
    });

    it('answers bad ids and unknown query fields with 400', async () => {
      expect((await t.http.get('/api/org-units/not-a-uuid').set(as.admin)).status).toBe(400);
      const res = await t.http.get('/api/org-units?parentId=123&sort=name').set(as.admin);
      expect(res.status).toBe(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['parentId', 'sort']));
    });
  });

  describe('changing the structure', () => {
    const count = async () => Number((await t.db.query(`SELECT COUNT(*) FROM org_units WHERE root_id = $1`, [f.province.rootId]))[0].count);

    it('creates a unit under a parent and audits it; codes are unique within the tree', async () => {
      const res = await t.http
        .post('/api/org-units')
        .set(as.admin)
        .send({ code: `X2B-${f.tag}`, name: '  Xã   Hà Tây ', kind: OrgUnitKind.Commune, parentId: f.district2.id });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ name: 'Xã Hà Tây', parentId: f.district2.id, depth: 2 });
      const audit = await t.db.query(`SELECT action, after FROM audit_events WHERE entity_id = $1`, [res.body.id]);
      expect(audit).toEqual([expect.objectContaining({ action: 'org_unit.created' })]);

      const before = await count();
      const dup = await t.http.post('/api/org-units').set(as.admin).send({ code: `X2B-${f.tag}`, name: 'Trùng mã', kind: OrgUnitKind.Commune, parentId: f.district1.id });
      expect(dup.status).toBe(409);
      expect(dup.body.code).toBe(ErrorCode.OrgUnitCodeTaken);
      expect(dup.body.message).toBe('Mã đơn vị đã được sử dụng trong cây tổ chức này.');
      expect(await count()).toBe(before);
    });

    it('lets only admins change the structure, and only inside their subtree', async () => {
      const body = { code: `NEW-${f.tag}`, name: 'Đơn vị mới', kind: OrgUnitKind.Other, parentId: f.district1.id };
      expect((await t.http.post('/api/org-units').set(as.organiser).send(body)).status).toBe(403);
      expect((await t.http.post('/api/org-units').set(as.otherAdmin).send(body)).status).toBe(404);
      expect((await t.http.post(`/api/org-units/${f.commune1a.id}/move`).set(as.otherAdmin).send({ newParentId: f.otherProvince.id })).status).toBe(404);
    });

    it('refuses malformed bodies: unknown fields, wrong types, over-long strings, bad kinds', async () => {
      const before = await count();
      const res = await t.http
        .post('/api/org-units')
        .set(as.admin)
        .send({ code: 'x'.repeat(51), name: 42, kind: 'kingdom', parentId: f.province.id, colour: 'red' });
      expect(res.status).toBe(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['code', 'name', 'kind', 'colour']));
      expect(await count()).toBe(before);
    });

    it('moves a unit with its whole subtree', async () => {
      const res = await t.http.post(`/api/org-units/${f.commune1b.id}/move`).set(as.admin).send({ newParentId: f.district2.id });
      expect(res.status).toBe(201);
      expect(res.body.parentId).toBe(f.district2.id);
      const [row] = await t.db.query(`SELECT path, depth FROM org_units WHERE id = $1`, [f.commune1b.id]);
      expect(row).toEqual({ path: `${f.district2.path}${f.commune1b.id}/`, depth: 2 });
      // The manager of district 1 no longer sees it.
      expect((await t.http.get(`/api/org-units/${f.commune1b.id}`).set(as.manager)).status).toBe(404);
      await t.http.post(`/api/org-units/${f.commune1b.id}/move`).set(as.admin).send({ newParentId: f.district1.id }).expect(201);
    });

    it('refuses to move a unit under itself or its own descendant, changing nothing', async () => {
      const paths = async () => t.db.query(`SELECT id, path, parent_id FROM org_units WHERE root_id = $1 ORDER BY id`, [f.province.rootId]);
      const before = await paths();
      for (const newParentId of [f.district1.id, f.commune1a.id]) {
        const res = await t.http.post(`/api/org-units/${f.district1.id}/move`).set(as.admin).send({ newParentId });
        expect(res.status).toBe(400);
        expect(res.body.code).toBe(ErrorCode.OrgUnitMoveIntoOwnSubtree);
      }
      expect(await paths()).toEqual(before);
    });

    it('refuses merging a unit into itself or a descendant', async () => {
      const self = await t.http.post(`/api/org-units/${f.district1.id}/merge`).set(as.admin).send({ targetId: f.district1.id });
      expect(self.status).toBe(400);
      expect(self.body.code).toBe(ErrorCode.OrgUnitMergeIntoItself);
      const down = await t.http.post(`/api/org-units/${f.district1.id}/merge`).set(as.admin).send({ targetId: f.commune1a.id });
      expect(down.body.code).toBe(ErrorCode.OrgUnitMergeIntoDescendant);
    });

    it('merges A into B: children and people move to B, A is kept closed with mergedInto and the date', async () => {
      // Two fresh districts so the other tests' units stay put.
      const a = (await t.http.post('/api/org-units').set(as.admin).send({ code: `MA-${f.tag}`, name: 'Huyện Sáp Nhập A', kind: 'district', parentId: f.province.id, validFrom: '2010-01-01' })).body;
      const b = (await t.http.post('/api/org-units').set(as.admin).send({ code: `MB-${f.tag}`, name: 'Huyện Sáp Nhập B', kind: 'district', parentId: f.province.id, validFrom: '2010-01-01' })).body;
      const child = (await t.http.post('/api/org-units').set(as.admin).send({ code: `MAC-${f.tag}`, name: 'Xã Con', kind: 'commune', parentId: a.id })).body;
      const person = await insertPerson(t.db, { id: a.id, code: a.code, path: '', rootId: f.province.rootId, depth: 1 }, `MP-${f.tag}`, 'Vũ Thị Mai');

      const res = await t.http.post(`/api/org-units/${a.id}/merge`).set(as.admin).send({ targetId: b.id, effectiveDate: '2025-07-01' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ id: a.id, mergedIntoId: b.id, mergedAt: '2025-07-01', validTo: '2025-06-30', childCount: 0 });
      const [movedChild] = await t.db.query(`SELECT parent_id, path FROM org_units WHERE id = $1`, [child.id]);
      expect(movedChild.parent_id).toBe(b.id);
      expect(movedChild.path.endsWith(`/${b.id}/${child.id}/`)).toBe(true);
      const [movedPerson] = await t.db.query(`SELECT org_unit_id FROM people WHERE id = $1`, [person]);
      expect(movedPerson.org_unit_id).toBe(b.id);
      const [audit] = await t.db.query(`SELECT after FROM audit_events WHERE entity_id = $1 AND action = 'org_unit.merged'`, [a.id]);
      expect(audit.after).toMatchObject({ movedChildren: 1, movedPeople: 1, mergedIntoId: b.id });

      // A closed unit cannot be merged again nor receive units.
      const again = await t.http.post(`/api/org-units/${a.id}/merge`).set(as.admin).send({ targetId: b.id });
      expect(again.body.code).toBe(ErrorCode.OrgUnitClosed);
    });

    it('keeps the tree consistent under concurrent opposite moves (no cycle)', async () => {
      const x = (await t.http.post('/api/org-units').set(as.admin).send({ code: `CX-${f.tag}`, name: 'Đơn vị X', kind: 'other', parentId: f.province.id })).body;
      const y = (await t.http.post('/api/org-units').set(as.admin).send({ code: `CY-${f.tag}`, name: 'Đơn vị Y', kind: 'other', parentId: f.province.id })).body;
      const results = await Promise.all([
        t.http.post(`/api/org-units/${x.id}/move`).set(as.admin).send({ newParentId: y.id }),
        t.http.post(`/api/org-units/${y.id}/move`).set(as.admin).send({ newParentId: x.id }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([201, 400]);
      const rows: Array<{ id: string; path: string; parent_id: string }> = await t.db.query(`SELECT id, path, parent_id FROM org_units WHERE id IN ($1, $2)`, [x.id, y.id]);
      const parents = rows.map((r) => r.parent_id);
      expect(parents.includes(x.id) && parents.includes(y.id)).toBe(false);
      for (const r of rows) expect(r.path.endsWith(`/${r.parent_id}/${r.id}/`)).toBe(true);
    });
  });
});
