import { NETWORK_CATEGORIES, OrgUnitKind, Role } from '@dxtrain/shared/contracts';
import { checkTree } from './tree';
import { buildDemo } from './seed';

describe('buildDemo (the demo provinces, before insert)', () => {
  const demo = buildDemo();
  const byId = new Map(demo.units.map((u) => [u.id, u]));

  it('builds consistent trees with unique codes per province', () => {
    expect(checkTree(demo.units)).toEqual([]);
    expect(demo.roots.GL).toMatchObject({ code: 'GL', name: 'Tỉnh Gia Lai', kind: OrgUnitKind.Province });
    expect(demo.roots.TN).toMatchObject({ code: 'TN', name: 'Tỉnh Tây Ninh', kind: OrgUnitKind.Province });
    const glDistricts = demo.units.filter((u) => u.rootId === demo.roots.GL.id && u.kind === OrgUnitKind.District);
    expect(glDistricts).toHaveLength(17);
    expect(glDistricts.map((u) => u.name)).toContain('Thành phố Pleiku');
    expect(demo.units.filter((u) => u.rootId === demo.roots.TN.id && u.kind === OrgUnitKind.District)).toHaveLength(9);
    const centre = demo.units.find((u) => u.rootId === demo.roots.GL.id && u.kind === OrgUnitKind.PublicServiceUnit);
    expect(byId.get(centre?.parentId as string)?.name).toBe('Sở Thông tin và Truyền thông');
    for (const kind of Object.values(OrgUnitKind)) expect(demo.units.some((u) => u.kind === kind)).toBe(true);
  });

  it('keeps the 2025 merger as history', () => {
    const merged = demo.units.filter((u) => u.mergedIntoId);
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({ name: 'Xã Biển Hồ', validTo: '2025-06-30', mergedAt: '2025-07-01' });
    expect(byId.get(merged[0].mergedIntoId as string)?.name).toBe('Phường Yên Đỗ');
    expect(demo.units.some((u) => u.parentId === merged[0].id)).toBe(false);
    expect(demo.people.every((p) => byId.get(p.orgUnitId)?.validTo === null)).toBe(true);
  });

  it('generates about 3,000 people with unique staff codes and e-mails per province', () => {
    expect(demo.people.length).toBeGreaterThan(2700);
    expect(demo.people.length).toBeLessThan(3300);
    const codes = demo.people.map((p) => `${p.provinceId}:${p.staffCode}`);
    expect(new Set(codes).size).toBe(codes.length);
    const emails = demo.people.filter((p) => p.email).map((p) => `${p.provinceId}:${p.email}`);
    expect(new Set(emails).size).toBe(emails.length);
    for (const p of demo.people) {
      expect(p.provinceId).toBe(byId.get(p.orgUnitId)?.rootId);
      expect(p.fullName).toBe(p.fullName.normalize('NFC'));
      if (p.email) expect(p.email).toMatch(/^[a-z0-9.]+@example\.gov\.vn$/);
      expect(p.staffCode).toMatch(/^(GL|TN)-\d{6}$/);
    }
    const categories = new Set(demo.people.map((p) => p.networkCategory));
    for (const c of NETWORK_CATEGORIES) expect(categories.has(c)).toBe(true);
    const outside = demo.people.filter((p) => p.networkCategory === null).length / demo.people.length;
    expect(outside).toBeGreaterThan(0.05);
    expect(outside).toBeLessThan(0.15);
    expect(demo.people.some((p) => !p.active)).toBe(true);
    expect(demo.people.some((p) => p.email === null)).toBe(true);
  });

  it('gives most units exactly one focal point and leaves some without', () => {
    const focal = new Map<string, number>();
    for (const p of demo.people) if (p.isFocalPoint) focal.set(p.orgUnitId, (focal.get(p.orgUnitId) ?? 0) + 1);
    const open = demo.units.filter((u) => u.validTo === null && u.kind !== OrgUnitKind.Province);
    expect([...focal.values()].every((n) => n === 1)).toBe(true);
    const without = open.filter((u) => !focal.has(u.id)).length;
    expect(without).toBeGreaterThan(5);
    expect(without).toBeLessThan(open.length / 4);
  });

  it('defines the five demo accounts', () => {
    expect(demo.accounts.map((a) => a.username)).toEqual(['admin', 'organiser', 'manager', 'hr', 'learner']);
    const [admin, , manager, , learner] = demo.accounts;
    expect(admin.grants.map((g) => [g.role, g.unit.code])).toEqual([[Role.Admin, 'GL'], [Role.Admin, 'TN']]);
    expect(admin.displayName).toBe('Quản trị hệ thống');
    expect(manager.grants[0].unit.name).toBe('Thành phố Pleiku');
    expect(manager.person?.isFocalPoint).toBe(true);
    expect(manager.person?.orgUnitId).toBe(manager.grants[0].unit.id);
    expect(learner.person?.fullName).toBe('Nguyễn Thị Hương');
    expect(byId.get(learner.person?.orgUnitId as string)?.name).toBe('Phường Hội Thương');
    for (const a of demo.accounts.slice(1)) expect(a.displayName).toBe(a.person?.fullName);
  });

  it('is deterministic: same names, codes and structure on every build', () => {
    const again = buildDemo();
    expect(again.people.map((p) => [p.fullName, p.staffCode, p.email, p.networkCategory])).toEqual(
      demo.people.map((p) => [p.fullName, p.staffCode, p.email, p.networkCategory]),
    );
    expect(again.units.map((u) => [u.code, u.name, u.depth])).toEqual(demo.units.map((u) => [u.code, u.name, u.depth]));
  });
});
