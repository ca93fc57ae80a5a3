import { OrgUnitKind } from '@dxtrain/shared/contracts';
import { foldVietnamese } from '@dxtrain/shared/vietnamese';
import { checkTree, TreeBuilder } from './tree';

describe('TreeBuilder', () => {
  it('computes path, depth, root id and search text', () => {
    const t = new TreeBuilder();
    const root = t.add(null, 'GL', 'Tỉnh Gia Lai', OrgUnitKind.Province);
    const district = t.add(root, 'GL-PKU', 'Thành phố Pleiku', OrgUnitKind.District);
    const commune = t.add(district, 'GL-PKU-X01', 'Phường Hội Thương', OrgUnitKind.Commune);
    expect(root).toMatchObject({ parentId: null, rootId: root.id, depth: 0, path: `/${root.id}/` });
    expect(commune).toMatchObject({ parentId: district.id, rootId: root.id, depth: 2, path: `/${root.id}/${district.id}/${commune.id}/` });
    expect(commune.searchText).toBe(foldVietnamese('Phường Hội Thương GL-PKU-X01'));
    expect(commune.searchText).toBe('phuong hoi thuong gl-pku-x01');
    expect(checkTree(t.units)).toEqual([]);
  });

  it('moves subtrees and merges units, keeping the invariants', () => {
    const t = new TreeBuilder();
    const root = t.add(null, 'P', 'Tỉnh', OrgUnitKind.Province);
    const a = t.add(root, 'A', 'Xã A', OrgUnitKind.Commune);
    const b = t.add(root, 'B', 'Xã B', OrgUnitKind.Commune);
    const team = t.add(a, 'A-T', 'Tổ A', OrgUnitKind.CommunityDigitalTeam);
    const sub = t.add(team, 'A-T-1', 'Nhóm', OrgUnitKind.Other);
    t.merge(a, b, '2025-06-30', '2025-07-01');
    expect(a).toMatchObject({ validTo: '2025-06-30', mergedIntoId: b.id, mergedAt: '2025-07-01' });
    expect(team.parentId).toBe(b.id);
    expect(sub.path).toBe(`${b.path}${team.id}/${sub.id}/`);
    expect(checkTree(t.units)).toEqual([]);
    expect(() => t.move(b, sub)).toThrow();
  });

  it('reports broken rows', () => {
    const t = new TreeBuilder();
    const root = t.add(null, 'P', 'Tỉnh', OrgUnitKind.Province);
    const a = t.add(root, 'A', 'Xã A', OrgUnitKind.Commune);
    const dup = t.add(root, 'A', 'Xã A bis', OrgUnitKind.Commune);
    dup.depth = 5;
    a.path = '/wrong/';
    expect(checkTree(t.units)).toEqual(expect.arrayContaining(['duplicate code A in root ' + root.id, 'A: path', 'A: depth']));
  });
});
