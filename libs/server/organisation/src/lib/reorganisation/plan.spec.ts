import { OrgUnitKind, ReorgIssue } from '@dxtrain/shared/contracts';
import { parsePlanDate, PlanRow, resolvePlan, toPlanRows, World, WorldUnit } from './plan';

/** A small province: P → district D (since 2010) → communes A, B (B has a team T); province Q elsewhere. */
function world(): World {
  const u = (id: string, code: string, kind: OrgUnitKind, parent: WorldUnit | null, validFrom = '2010-01-01'): WorldUnit => ({
    id,
    code,
    name: `Unit ${code}`,
    kind,
    parentId: parent?.id ?? null,
    rootId: parent?.rootId ?? id,
    path: `${parent?.path ?? '/'}${id}/`,
    validFrom,
    validTo: null,
  });
  const p = u('p', 'P', OrgUnitKind.Province, null);
  const d = u('d', 'D', OrgUnitKind.District, p);
  const a = u('a', 'A', OrgUnitKind.Commune, d);
  const b = u('b', 'B', OrgUnitKind.Commune, d, '2020-05-01');
  const t = u('t', 'T', OrgUnitKind.CommunityDigitalTeam, b);
  const q = u('q', 'Q', OrgUnitKind.Province, null);
  return {
    units: [p, d, a, b, t, q],
    people: [
      { id: 'b1', staffCode: 'S-1', orgUnitId: 'b' },
      { id: 'b2', staffCode: 'S-2', orgUnitId: 'b' },
      { id: 'b3', staffCode: 'S-3', orgUnitId: 'b' },
    ],
    today: '2026-12-02',
    mayCreateRoots: false,
  };
}

let n = 0;
const row = (action: string, unit: string, target = '', date = '01/07/2025', more: Partial<PlanRow> = {}): PlanRow => ({
  row: (n += 1) + 1,
  action,
  unit,
  target,
  name: '',
  kind: '',
  date,
  assign: '',
  ...more,
});
const ids = () => {
  let i = 0;
  return () => `new${++i}`;
};
const codes = (r: ReturnType<typeof resolvePlan>) => r.issues.map((i) => [i.row, i.code]);

describe('reorganisation plan', () => {
  beforeEach(() => (n = 0));

  it('reads headers in Vietnamese or English, and refuses a file without the required columns', () => {
    const vi = toPlanRows(['Thao tác', 'Mã đơn vị', 'Mã đơn vị đích', 'Ngày hiệu lực'], [{ rowNumber: 2, cells: ['sáp nhập vào', 'A', 'B', '01/07/2025'] }]);
    expect(vi.issues).toEqual([]);
    expect(vi.rows[0]).toMatchObject({ row: 2, action: 'sáp nhập vào', unit: 'A', target: 'B', date: '01/07/2025' });
    const en = toPlanRows(['action', 'unit_code', 'target_code', 'effective_date'], [{ rowNumber: 2, cells: ['close_into', 'A', 'B', '2025-07-01'] }]);
    expect(en.rows[0].action).toBe('close_into');
    const missing = toPlanRows(['action', 'unit_code'], [{ rowNumber: 2, cells: ['close_into', 'A'] }]);
    expect(missing.issues.map((i) => i.code)).toEqual([ReorgIssue.HeaderMissing]);
    expect(missing.issues[0].message).toContain('Ngày hiệu lực');
    expect(toPlanRows(['action', 'unit_code', 'effective_date'], []).issues.map((i) => i.code)).toEqual([ReorgIssue.NoRows]);
  });

  it('parses dates as Vietnamese users write them, and refuses impossible ones', () => {
    expect(parsePlanDate('1/7/2025')).toBe('2025-07-01');
    expect(parsePlanDate('2025-07-01')).toBe('2025-07-01');
    expect(parsePlanDate('31/02/2025')).toBeNull();
    expect(parsePlanDate('next week')).toBeNull();
  });

  it('closes communes into a new one, abolishes the district level, and moves people and sub-units in that order', () => {
    const r = resolvePlan(
      [row('tạo mới', 'N', 'P', '01/07/2025', { name: 'Phường Mới', kind: 'phường' }), row('sáp nhập vào', 'A', 'N'), row('sáp nhập vào', 'B', 'N'), row('bỏ cấp', 'P', '', '01/07/2025', { kind: 'huyện' })],
      world(),
      ids(),
    );
    expect(r.issues).toEqual([]);
    expect(r.ops.map((o) => o.type)).toEqual(['create', 'abolish', 'close', 'close']);
    const after = r.units;
    expect(after.get('new1')).toMatchObject({ parentId: 'p', kind: OrgUnitKind.Commune, validFrom: '2025-07-01' });
    expect(after.get('a')?.validTo).toBe('2025-06-30');
    expect(after.get('d')?.validTo).toBe('2025-06-30');
    // B's team went with B into the new ward, under the province directly.
    expect(after.get('t')).toMatchObject({ parentId: 'new1', path: '/p/new1/t/' });
  });

  it('refuses a cycle: a unit moved under its own sub-unit, or two units closed into each other', () => {
    const moved = resolvePlan([row('chuyển', 'D', 'T')], world());
    expect(codes(moved)).toEqual([[2, ReorgIssue.Cycle]]);
    expect(moved.ops).toEqual([]);
    n = 0;
    const mutual = resolvePlan([row('close_into', 'A', 'B'), row('close_into', 'B', 'A')], world());
    expect(mutual.issues.map((i) => i.code)).toEqual([ReorgIssue.Cycle]);
    n = 0;
    const intoChild = resolvePlan([row('close_into', 'D', 'A')], world());
    expect(codes(intoChild)).toEqual([[2, ReorgIssue.Cycle]]);
  });

  it('refuses unknown codes, dates before the unit existed, future dates and unknown actions, with the row', () => {
    const r = resolvePlan(
      [row('close_into', 'ZZ', 'A'), row('close_into', 'B', 'A', '01/01/2019'), row('move', 'A', 'Q', '01/07/2030'), row('rename', 'A'), row('close_into', 'A', 'B', '32/13/2025')],
      world(),
    );
    expect(codes(r)).toEqual([
      [2, ReorgIssue.CodeUnknown],
      [3, ReorgIssue.DateBeforeUnit],
      [4, ReorgIssue.DateInFuture],
      [5, ReorgIssue.ActionUnknown],
      [6, ReorgIssue.DateInvalid],
    ]);
    expect(r.issues[1].message).toBe('The effective date 01/01/2019 is before unit "B" existed (01/05/2020).');
    expect(r.ops).toEqual([]);
  });

  it('refuses a unit both closed and split', () => {
    const r = resolvePlan(
      [row('close_into', 'B', 'A'), row('split', 'B', 'A', '01/07/2025', { assign: 'S-1; S-2; S-3; T' }), row('split', 'B', 'D', '01/07/2025', { assign: '' })],
      world(),
    );
    expect(r.issues.map((i) => i.code)).toContain(ReorgIssue.HandledTwice);
    expect(r.ops).toEqual([]);
  });

  it('refuses a split that leaves people or sub-units unassigned, or assigns someone twice, and applies a complete one', () => {
    const left = resolvePlan([row('split', 'B', 'A', '01/07/2025', { assign: 'S-1' }), row('split', 'B', 'D', '01/07/2025', { assign: 'S-2' })], world());
    expect(left.issues.map((i) => [i.code, i.params['count']])).toEqual([[ReorgIssue.SplitUnassigned, 2]]);
    expect(left.issues[0].params['items']).toBe('S-3, T');
    n = 0;
    const twice = resolvePlan([row('split', 'B', 'A', '01/07/2025', { assign: 'S-1; S-2' }), row('split', 'B', 'D', '01/07/2025', { assign: 'S-2; S-3; T; NOBODY' })], world());
    expect(twice.issues.map((i) => i.code).sort()).toEqual([ReorgIssue.SplitAssignUnknown, ReorgIssue.SplitAssignedTwice].sort());
    n = 0;
    const ok = resolvePlan([row('split', 'B', 'A', '01/07/2025', { assign: 'S-1; S-2' }), row('split', 'B', 'D', '01/07/2025', { assign: 's-3; t' })], world());
    expect(ok.issues).toEqual([]);
    const [op] = ok.ops;
    expect(op).toMatchObject({ type: 'split', unitId: 'b', parts: [{ targetId: 'a', personIds: ['b1', 'b2'], childIds: [] }, { targetId: 'd', personIds: ['b3'], childIds: ['t'] }] });
    expect(ok.units.get('t')?.parentId).toBe('d');
  });

  it('lets only a deployment-wide administrator create a top-level unit, and refuses a code already used in the tree', () => {
    const r = resolvePlan([row('create', 'NEW', '', '01/07/2025', { name: 'Tỉnh Mới', kind: 'tỉnh' }), row('create', 'A', 'P', '01/07/2025', { name: 'Xã trùng', kind: 'xã' })], world());
    expect(codes(r)).toEqual([
      [2, ReorgIssue.RootNotAllowed],
      [3, ReorgIssue.CodeTaken],
    ]);
    n = 0;
    const root = resolvePlan([row('create', 'NEW', '', '01/07/2025', { name: 'Tỉnh Mới', kind: 'province' }), row('close_into', 'P', 'NEW'), row('close_into', 'Q', 'NEW')], { ...world(), mayCreateRoots: true }, ids());
    expect(root.issues).toEqual([]);
    // Merging two trees into a new one moves their open sub-units across trees.
    expect(root.units.get('a')).toMatchObject({ rootId: 'new1', path: '/new1/d/a/' });
  });

  it('processes dates in order: a unit created in March can absorb another in July', () => {
    const r = resolvePlan(
      [row('close_into', 'A', 'M', '01/07/2025'), row('create', 'M', 'D', '01/03/2025', { name: 'Xã M', kind: 'commune' }), row('close_into', 'B', 'M', '01/07/2025')],
      world(),
      ids(),
    );
    expect(r.issues).toEqual([]);
    expect(r.ops.map((o) => [o.type, o.date])).toEqual([
      ['create', '2025-03-01'],
      ['close', '2025-07-01'],
      ['close', '2025-07-01'],
    ]);
  });
});
