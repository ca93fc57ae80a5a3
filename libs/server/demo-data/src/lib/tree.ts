import { randomUUID } from 'node:crypto';
import { OrgUnitKind } from '@dxtrain/shared/contracts';
import { foldVietnamese } from '@dxtrain/shared/vietnamese';

/** One org_units row, built in memory (ids from crypto.randomUUID, so paths are known before insert). */
export interface UnitRow {
  id: string;
  code: string;
  name: string;
  kind: OrgUnitKind;
  parentId: string | null;
  rootId: string;
  path: string;
  depth: number;
  searchText: string;
  validFrom: string;
  validTo: string | null;
  mergedIntoId: string | null;
  mergedAt: string | null;
}

/**
 * Builds unit rows with the org_units invariants before they are inserted:
 * path = '/' + ids from the root to the unit + '/', depth = number of ancestors,
 * root_id = the root's id, search_text = foldVietnamese(name + ' ' + code).
 */
export class TreeBuilder {
  readonly units: UnitRow[] = [];

  constructor(private readonly newId: () => string = randomUUID) {}

  add(parent: UnitRow | null, code: string, name: string, kind: OrgUnitKind, validFrom = '2015-01-01'): UnitRow {
    const id = this.newId();
    const unit: UnitRow = {
      id,
      code,
      name,
      kind,
      parentId: parent?.id ?? null,
      rootId: parent?.rootId ?? id,
      path: `${parent?.path ?? '/'}${id}/`,
      depth: parent ? parent.depth + 1 : 0,
      searchText: foldVietnamese(`${name} ${code}`),
      validFrom,
      validTo: null,
      mergedIntoId: null,
      mergedAt: null,
    };
    this.units.push(unit);
    return unit;
  }

  /** Moves `unit` (and its whole subtree) under `newParent` in the same tree, rewriting paths and depths. */
  move(unit: UnitRow, newParent: UnitRow): void {
    if (newParent.rootId !== unit.rootId || newParent.path.startsWith(unit.path)) throw new Error(`cannot move ${unit.code} under ${newParent.code}`);
    const oldPath = unit.path;
    const shift = newParent.depth + 1 - unit.depth;
    const newPath = `${newParent.path}${unit.id}/`;
    unit.parentId = newParent.id;
    for (const u of this.units) {
      if (u.path.startsWith(oldPath)) {
        u.path = newPath + u.path.slice(oldPath.length);
        u.depth += shift;
      }
    }
  }

  /**
   * Closes `absorbed` on `closedOn` (its last valid day) because it merged into `target` the next day;
   * its children move to the target. People are the caller's business.
   */
  merge(absorbed: UnitRow, target: UnitRow, closedOn: string, mergedAt: string): void {
    for (const child of this.units.filter((u) => u.parentId === absorbed.id)) this.move(child, target);
    Object.assign(absorbed, { validTo: closedOn, mergedIntoId: target.id, mergedAt });
  }
}

/**
 * Checks the org_units invariants on a set of rows (pure; used by tests and as a guard before loading).
 * Returns human-readable problems; empty when the rows are consistent.
 */
export function checkTree(units: readonly UnitRow[]): string[] {
  const problems: string[] = [];
  const byId = new Map(units.map((u) => [u.id, u]));
  const codes = new Set<string>();
  for (const u of units) {
    const key = `${u.rootId}\u0000${u.code}`;
    if (codes.has(key)) problems.push(`duplicate code ${u.code} in root ${u.rootId}`);
    codes.add(key);
    if (u.searchText !== foldVietnamese(`${u.name} ${u.code}`)) problems.push(`${u.code}: search_text`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(u.validFrom)) problems.push(`${u.code}: valid_from`);
    if (u.parentId === null) {
      if (u.rootId !== u.id || u.depth !== 0 || u.path !== `/${u.id}/`) problems.push(`${u.code}: root invariants`);
      continue;
    }
    const parent = byId.get(u.parentId);
    if (!parent) {
      problems.push(`${u.code}: parent missing`);
      continue;
    }
    if (u.path !== `${parent.path}${u.id}/`) problems.push(`${u.code}: path`);
    if (u.depth !== parent.depth + 1) problems.push(`${u.code}: depth`);
    if (u.rootId !== parent.rootId) problems.push(`${u.code}: root_id`);
    if (u.mergedIntoId && !byId.has(u.mergedIntoId)) problems.push(`${u.code}: merged_into missing`);
  }
  return problems;
}
