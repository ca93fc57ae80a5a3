import { NETWORK_CATEGORIES, OrgUnitKind, Role } from '@dxtrain/shared/contracts';
import { resolvePlan, World } from '@dxtrain/server/organisation';
import { checkTree } from './tree';
import { buildDemo, REFORM_DATE } from './seed';
import { NEW_PROVINCES } from './reform-2025.data';

describe('buildDemo (the demo provinces, before insert)', () => {
  const demo = buildDemo();
  const byId = new Map(demo.units.map((u) => [u.id, u]));

  it('builds the four former provinces as consistent trees with unique codes', () => {
    expect(checkTree(demo.units)).toEqual([]);
    expect(Object.fromEntries(Object.entries(demo.formerRoots).map(([k, u]) => [k, [u.code, u.name]]))).toEqual({
      GL: ['GL.CU', 'Tỉnh Gia Lai'],
      BD: ['BD.CU', 'Tỉnh Bình Định'],
      TN: ['TN.CU', 'Tỉnh Tây Ninh'],
      LA: ['LA.CU', 'Tỉnh Long An'],
    });
    const glDistricts = demo.units.filter((u) => u.rootId === demo.formerRoots['GL'].id && u.kind === OrgUnitKind.District);
    expect(glDistricts.map((u) => u.name)).toContain('Thành phố Pleiku');
    const centre = demo.units.find((u) => u.rootId === demo.formerRoots['GL'].id && u.kind === OrgUnitKind.PublicServiceUnit);
    expect(byId.get(centre?.parentId as string)?.name).toBe('Sở Thông tin và Truyền thông');
    expect(demo.units.every((u) => u.validTo === null)).toBe(true);
  });

  it('generates about 3,000 people with unique staff codes and e-mails', () => {
    expect(demo.people.length).toBeGreaterThan(2500);
    expect(demo.people.length).toBeLessThan(3300);
    const codes = demo.people.map((p) => p.staffCode);
    expect(new Set(codes).size).toBe(codes.length);
    const emails = demo.people.filter((p) => p.email).map((p) => p.email);
    expect(new Set(emails).size).toBe(emails.length);
    for (const p of demo.people) {
      expect(p.provinceId).toBe(byId.get(p.orgUnitId)?.rootId);
      expect(p.staffCode).toMatch(/^(GL|BD|TN|LA)-\d{6}$/);
    }
    const categories = new Set(demo.people.map((p) => p.networkCategory));
    for (const c of NETWORK_CATEGORIES) expect(categories.has(c)).toBe(true);
  });

  it('grants the demo accounts on former units, and gives every account person an e-mail', () => {
    expect(demo.accounts.map((a) => a.username)).toEqual(['superadmin', 'admin', 'organiser', 'manager', 'hr', 'learner', 'admin_tn', 'organiser_tn']);
    const grants = Object.fromEntries(demo.accounts.map((a) => [a.username, a.grants.map((g) => `${g.role}@${g.unit?.code ?? '*'}`)]));
    expect(grants['superadmin']).toEqual(['superadmin@*']);
    expect(grants['admin']).toEqual(['admin@GL.CU', 'admin@BD.CU', 'admin@TN.CU', 'admin@LA.CU']);
    expect(grants['admin_tn']).toEqual(['admin@TN.CU', 'admin@LA.CU']);
    expect(grants['organiser_tn']).toEqual(['organiser@TN.CU', 'organiser@LA.CU']);
    const manager = demo.accounts.find((a) => a.username === 'manager');
    expect(manager?.grants).toEqual([{ role: Role.UnitManager, unit: expect.objectContaining({ name: 'Phường Hội Thương' }) }]);
    const learner = demo.accounts.find((a) => a.username === 'learner');
    expect(byId.get(learner?.person?.orgUnitId as string)?.name).toBe('Xã Trà Đa');
    for (const a of demo.accounts) if (a.person) expect(a.person.email).toMatch(/@example\.gov\.vn$/);
  });

  it('has reform plans that the reorganisation tool accepts, ending with no open district and every person in a new province', () => {
    let units = demo.units.map((u) => ({ ...u }));
    for (const plan of demo.plans) {
      const world: World = { units, people: [], today: '2026-12-02', mayCreateRoots: true };
      const result = resolvePlan(plan.rows, world);
      expect(result.issues).toEqual([]);
      units = [...result.units.values()].map((u) => ({ ...u, depth: 0, searchText: '', mergedIntoId: null, mergedAt: null }));
    }
    const open = units.filter((u) => !u.validTo);
    expect(open.filter((u) => u.kind === OrgUnitKind.District)).toEqual([]);
    expect(open.filter((u) => u.parentId === null).map((u) => u.code).sort()).toEqual(['GL', 'TN']);
    const communes = open.filter((u) => u.kind === OrgUnitKind.Commune);
    expect(communes).toHaveLength(NEW_PROVINCES.reduce((n, p) => n + p.communes.length, 0));
    expect(communes.every((c) => c.validFrom === REFORM_DATE)).toBe(true);
    // the team of a former commune now sits under the new commune it became
    const team = open.find((u) => u.kind === OrgUnitKind.CommunityDigitalTeam);
    expect(open.find((u) => u.id === team?.parentId)?.kind).toBe(OrgUnitKind.Commune);
    expect(open.find((u) => u.id === team?.parentId)?.validFrom).toBe(REFORM_DATE);
  });

  it('is deterministic: same names, codes and structure on every build', () => {
    const again = buildDemo();
    expect(again.people.map((p) => [p.fullName, p.staffCode, p.email, p.networkCategory])).toEqual(
      demo.people.map((p) => [p.fullName, p.staffCode, p.email, p.networkCategory]),
    );
    expect(again.units.map((u) => [u.code, u.name, u.depth])).toEqual(demo.units.map((u) => [u.code, u.name, u.depth]));
    expect(again.plans.map((p) => p.rows.length)).toEqual(demo.plans.map((p) => p.rows.length));
  });
});
