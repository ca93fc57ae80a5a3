import { OrgUnitKind } from '@dxtrain/shared/contracts';
import { foldVietnamese } from '@dxtrain/shared/vietnamese';
import { personSearchText } from './bulk';
import { allocatePeople, buildSyntheticTree } from './synthetic';
import { checkTree } from './tree';

describe('synthetic national tree', () => {
  it.each([
    [10_000, 34],
    [300, 34],
    [20, 34],
    [5, 1],
  ])('builds exactly %i units over up to %i provinces, consistently', (units, provinces) => {
    const tree = buildSyntheticTree({ units, provinces });
    expect(tree.units).toHaveLength(units);
    expect(checkTree(tree.units)).toEqual([]);
    const roots = tree.units.filter((u) => u.parentId === null);
    expect(roots).toHaveLength(Math.min(units, provinces));
    expect(roots.every((r) => /^SYN\d{2}$/.test(r.code))).toBe(true);
  });

  it('reaches depth 3–4 at national scale, with districts and communes', () => {
    const { units } = buildSyntheticTree({ units: 10_000 });
    expect(Math.max(...units.map((u) => u.depth))).toBe(4);
    expect(units.filter((u) => u.kind === OrgUnitKind.District).length).toBeGreaterThan(200);
    expect(units.filter((u) => u.kind === OrgUnitKind.Commune).length).toBeGreaterThan(3000);
  });

  it('allocates exactly the requested number of people', () => {
    const { units } = buildSyntheticTree({ units: 300 });
    for (const total of [0, 1, 2_000, 123_457]) {
      const counts = allocatePeople(units, total);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(total);
      expect(counts.every((n) => n >= 0)).toBe(true);
    }
  });
});

describe('personSearchText', () => {
  it('equals foldVietnamese(fullName + staffCode + email)', () => {
    const cache = new Map<string, string>();
    for (const p of [
      { fullName: 'Nguyễn Thị Hương', staffCode: 'GL-000001', email: 'huong.nt.gl@example.gov.vn' },
      { fullName: 'Đặng Quốc Đạt', staffCode: 'GL-000002', email: null },
      { fullName: "Rơ Mah H'Bia", staffCode: 'SYN01-0000003', email: 'hbia.rm.3@syn01.example.gov.vn' },
    ]) {
      expect(personSearchText(p, cache)).toBe(foldVietnamese(`${p.fullName} ${p.staffCode} ${p.email ?? ''}`));
      expect(personSearchText(p, cache)).toBe(foldVietnamese(`${p.fullName} ${p.staffCode} ${p.email ?? ''}`));
    }
  });
});
