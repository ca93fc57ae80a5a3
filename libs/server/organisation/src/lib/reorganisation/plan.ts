import { randomUUID } from 'node:crypto';
import { ORG_UNIT_KINDS, OrgUnitKind, ReorgAction, ReorgIssue, ReorgRowIssue, reorgIssueText } from '@dxtrain/shared/contracts';
import { foldVietnamese } from '@dxtrain/shared/vietnamese';

/*
 * A reorganisation plan, pure: rows read from a spreadsheet are resolved against a snapshot of the tree
 * (the "world") and simulated in memory, in the order they take effect. The result is either a list of
 * issues (row, column, reason) or a list of resolved operations with ids, which the service then executes
 * in one transaction. Nothing here touches the database, so every refusal is unit-tested.
 */

export const MAX_PLAN_ROWS = 5000;

/** One plan row as read (cells trimmed, NFC). */
export interface PlanRow {
  row: number;
  action: string;
  unit: string;
  target: string;
  name: string;
  kind: string;
  date: string;
  assign: string;
}

export interface WorldUnit {
  id: string;
  code: string;
  name: string;
  kind: OrgUnitKind;
  parentId: string | null;
  rootId: string;
  path: string;
  validFrom: string;
  validTo: string | null;
}

export interface WorldPerson {
  id: string;
  staffCode: string;
  orgUnitId: string;
}

export interface World {
  units: WorldUnit[];
  /** Active people of the units in `units`. */
  people: WorldPerson[];
  /** Today in Vietnam (yyyy-mm-dd). */
  today: string;
  /** May the caller create top-level units? */
  mayCreateRoots: boolean;
}

export type PlanOp =
  | { type: 'create'; row: number; date: string; id: string; code: string; name: string; kind: OrgUnitKind; parentId: string | null }
  | { type: 'move'; row: number; date: string; unitId: string; parentId: string }
  | { type: 'close'; row: number; date: string; unitId: string; targetId: string }
  | { type: 'split'; row: number; date: string; unitId: string; parts: Array<{ row: number; targetId: string; personIds: string[]; childIds: string[] }> }
  | { type: 'abolish'; row: number; date: string; unitId: string; parentId: string };

export interface PlanResult {
  ops: PlanOp[];
  issues: ReorgRowIssue[];
  /** The tree after the plan (for the report's names and counts). */
  units: Map<string, WorldUnit>;
}

/** Header names accepted (vi and en, folded), per column. */
export const PLAN_COLUMNS: Record<keyof Omit<PlanRow, 'row'>, { vi: string; en: string; aliases: string[] }> = {
  action: { vi: 'Thao tác', en: 'action', aliases: ['thao tac', 'action', 'hanh dong'] },
  unit: { vi: 'Mã đơn vị', en: 'unit_code', aliases: ['ma don vi', 'unit_code', 'unit code', 'unit', 'don vi'] },
  target: { vi: 'Mã đơn vị đích', en: 'target_code', aliases: ['ma don vi dich', 'target_code', 'target code', 'target', 'don vi dich', 'ma don vi nhan'] },
  name: { vi: 'Tên đơn vị mới', en: 'name', aliases: ['ten don vi moi', 'ten don vi', 'name', 'ten'] },
  kind: { vi: 'Loại đơn vị', en: 'kind', aliases: ['loai don vi', 'kind', 'loai', 'cap'] },
  date: { vi: 'Ngày hiệu lực', en: 'effective_date', aliases: ['ngay hieu luc', 'effective_date', 'effective date', 'ngay'] },
  assign: { vi: 'Phân bổ (chia tách)', en: 'assign', aliases: ['phan bo (chia tach)', 'phan bo', 'assign', 'assignment'] },
};

const ACTION_ALIASES: Record<string, ReorgAction> = {
  create: ReorgAction.Create,
  'tao moi': ReorgAction.Create,
  tao: ReorgAction.Create,
  'thanh lap': ReorgAction.Create,
  close_into: ReorgAction.CloseInto,
  merge: ReorgAction.CloseInto,
  'sap nhap vao': ReorgAction.CloseInto,
  'sap nhap': ReorgAction.CloseInto,
  'hop nhat vao': ReorgAction.CloseInto,
  split: ReorgAction.Split,
  'chia tach': ReorgAction.Split,
  move: ReorgAction.Move,
  chuyen: ReorgAction.Move,
  'dieu chuyen': ReorgAction.Move,
  abolish_level: ReorgAction.AbolishLevel,
  'bo cap': ReorgAction.AbolishLevel,
  'bai bo cap': ReorgAction.AbolishLevel,
};

const KIND_ALIASES: Record<string, OrgUnitKind> = {
  ...Object.fromEntries(ORG_UNIT_KINDS.map((k) => [k, k])),
  tinh: OrgUnitKind.Province,
  so: OrgUnitKind.Department,
  'so, ban, nganh': OrgUnitKind.Department,
  'don vi su nghiep': OrgUnitKind.PublicServiceUnit,
  huyen: OrgUnitKind.District,
  'cap huyen': OrgUnitKind.District,
  xa: OrgUnitKind.Commune,
  phuong: OrgUnitKind.Commune,
  'cap xa': OrgUnitKind.Commune,
  'doanh nghiep': OrgUnitKind.Enterprise,
  'to cong nghe so cong dong': OrgUnitKind.CommunityDigitalTeam,
  khac: OrgUnitKind.Other,
};

export function parseAction(value: string): ReorgAction | null {
  return ACTION_ALIASES[foldVietnamese(value).replace(/\s+/g, ' ').trim()] ?? null;
}

export function parseKind(value: string): OrgUnitKind | null {
  return KIND_ALIASES[foldVietnamese(value).replace(/\s+/g, ' ').trim()] ?? null;
}

/** yyyy-mm-dd, dd/mm/yyyy or d/m/yyyy (what Excel shows in Vietnam) → yyyy-mm-dd, or null. */
export function parsePlanDate(value: string): string | null {
  const v = value.trim();
  let y: number, m: number, d: number;
  let match = /^(\d{4})-(\d{2})-(\d{2})(?:T.*)?$/.exec(v);
  if (match) [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else if ((match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(v))) [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || y > 2200 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

export function issue(row: number, column: string, code: ReorgIssue, params: Record<string, string | number> = {}): ReorgRowIssue {
  return { row, column, code, params, message: reorgIssueText({ code, params }, 'en') };
}

/** Maps a header row to column indexes; missing required columns are issues. */
export function mapHeaders(headers: readonly string[]): { index: Partial<Record<keyof Omit<PlanRow, 'row'>, number>>; issues: ReorgRowIssue[] } {
  const index: Partial<Record<keyof Omit<PlanRow, 'row'>, number>> = {};
  headers.forEach((h, i) => {
    const folded = foldVietnamese(h).replace(/\s+/g, ' ').trim();
    for (const [key, col] of Object.entries(PLAN_COLUMNS) as Array<[keyof Omit<PlanRow, 'row'>, (typeof PLAN_COLUMNS)['action']]>) {
      if (index[key] === undefined && col.aliases.includes(folded)) index[key] = i;
    }
  });
  const issues = (['action', 'unit', 'date'] as const)
    .filter((k) => index[k] === undefined)
    .map((k) => issue(1, PLAN_COLUMNS[k].vi, ReorgIssue.HeaderMissing, { column: `${PLAN_COLUMNS[k].vi} / ${PLAN_COLUMNS[k].en}` }));
  return { index, issues };
}

/** Table rows → plan rows (cells by mapped header). */
export function toPlanRows(headers: readonly string[], rows: ReadonlyArray<{ rowNumber: number; cells: string[] }>): { rows: PlanRow[]; issues: ReorgRowIssue[] } {
  const { index, issues } = mapHeaders(headers);
  if (issues.length) return { rows: [], issues };
  if (rows.length === 0) return { rows: [], issues: [issue(0, '', ReorgIssue.NoRows)] };
  if (rows.length > MAX_PLAN_ROWS) return { rows: [], issues: [issue(0, '', ReorgIssue.TooManyRows, { max: MAX_PLAN_ROWS })] };
  const cell = (r: { cells: string[] }, k: keyof Omit<PlanRow, 'row'>) => (index[k] === undefined ? '' : (r.cells[index[k] as number] ?? '').trim().normalize('NFC'));
  return {
    rows: rows.map((r) => ({
      row: r.rowNumber,
      action: cell(r, 'action'),
      unit: cell(r, 'unit'),
      target: cell(r, 'target'),
      name: cell(r, 'name'),
      kind: cell(r, 'kind'),
      date: cell(r, 'date'),
      assign: cell(r, 'assign'),
    })),
    issues: [],
  };
}

interface Parsed {
  src: PlanRow;
  action: ReorgAction;
  date: string;
}

const ORDER: Record<ReorgAction, number> = {
  [ReorgAction.Create]: 0,
  [ReorgAction.Move]: 1,
  [ReorgAction.AbolishLevel]: 2,
  [ReorgAction.CloseInto]: 3,
  [ReorgAction.Split]: 3,
};

/**
 * Resolves and simulates the plan. Order of effect: by date; on one date, creations, then moves, then abolished
 * levels (their sub-units move up), then closures and splits, deepest units first (a commune closes before its
 * province does). Every path change is dated, so the structure before the date stays answerable.
 */
export function resolvePlan(rows: readonly PlanRow[], world: World, newId: () => string = randomUUID): PlanResult {
  const issues: ReorgRowIssue[] = [];
  const units = new Map(world.units.map((u) => [u.id, { ...u }]));
  const peopleOf = new Map<string, WorldPerson[]>();
  for (const p of world.people) peopleOf.set(p.orgUnitId, [...(peopleOf.get(p.orgUnitId) ?? []), p]);
  const roots = new Map(world.units.filter((u) => u.parentId === null).map((u) => [u.id, u.code]));
  const handled = new Map<string, number>(); // unit id → row that closed/split/abolished it
  const closedInto = new Map<string, string>(); // unit id → successor id (this plan)
  const ops: PlanOp[] = [];

  // ---- 1. per-row syntax -----------------------------------------------------------------------
  const parsed: Parsed[] = [];
  for (const r of rows) {
    const action = parseAction(r.action);
    if (!action) {
      issues.push(issue(r.row, PLAN_COLUMNS.action.vi, ReorgIssue.ActionUnknown, { value: r.action }));
      continue;
    }
    const date = parsePlanDate(r.date);
    if (!date) {
      issues.push(issue(r.row, PLAN_COLUMNS.date.vi, ReorgIssue.DateInvalid, { value: r.date }));
      continue;
    }
    if (date > world.today) {
      issues.push(issue(r.row, PLAN_COLUMNS.date.vi, ReorgIssue.DateInFuture, { date: viDate(date) }));
      continue;
    }
    if (!r.unit) {
      issues.push(issue(r.row, PLAN_COLUMNS.unit.vi, ReorgIssue.CodeMissing));
      continue;
    }
    if ([ReorgAction.CloseInto, ReorgAction.Split, ReorgAction.Move].includes(action) && !r.target) {
      issues.push(issue(r.row, PLAN_COLUMNS.target.vi, ReorgIssue.TargetMissing));
      continue;
    }
    parsed.push({ src: r, action, date });
  }

  // ---- code lookup (open and closed units of the world, plus this plan's creations) --------------
  const byCode = (): Map<string, WorldUnit[]> => {
    const m = new Map<string, WorldUnit[]>();
    for (const u of units.values()) m.set(u.code.toUpperCase(), [...(m.get(u.code.toUpperCase()) ?? []), u]);
    return m;
  };
  let codes = byCode();
  const lookup = (code: string, row: number, column: string, mustBeOpenOn?: string): WorldUnit | null => {
    const [rootCode, own] = code.includes('/') ? code.split('/', 2) : [null, code];
    let found = (codes.get(own.toUpperCase()) ?? []).filter((u) => rootCode === null || roots.get(u.rootId)?.toUpperCase() === rootCode.toUpperCase());
    if (found.length > 1) {
      const open = found.filter((u) => !u.validTo);
      if (open.length >= 1) found = open;
    }
    if (found.length === 0) {
      issues.push(issue(row, column, ReorgIssue.CodeUnknown, { code }));
      return null;
    }
    if (found.length > 1) {
      issues.push(issue(row, column, ReorgIssue.CodeAmbiguous, { code, example: `${roots.get(found[0].rootId) ?? ''}/${own}` }));
      return null;
    }
    const u = found[0];
    if (mustBeOpenOn !== undefined && u.validTo) {
      issues.push(issue(row, column, column === PLAN_COLUMNS.target.vi ? ReorgIssue.TargetClosed : ReorgIssue.UnitClosed, { code: u.code }));
      return null;
    }
    if (mustBeOpenOn !== undefined && u.validFrom > mustBeOpenOn) {
      issues.push(issue(row, PLAN_COLUMNS.date.vi, ReorgIssue.DateBeforeUnit, { date: viDate(mustBeOpenOn), code: u.code, since: viDate(u.validFrom) }));
      return null;
    }
    return u;
  };

  const childrenOf = (id: string) => [...units.values()].filter((u) => u.parentId === id && !u.validTo);
  const subtreeOf = (u: WorldUnit) => [...units.values()].filter((x) => x.path.startsWith(u.path));
  const depthOf = (u: WorldUnit) => u.path.split('/').length - 3;
  const reparent = (u: WorldUnit, parent: WorldUnit) => {
    const oldPath = u.path;
    const newPath = `${parent.path}${u.id}/`;
    for (const x of units.values()) {
      if (x.path.startsWith(oldPath)) {
        x.path = newPath + x.path.slice(oldPath.length);
        x.rootId = parent.rootId;
      }
    }
    u.parentId = parent.id;
  };
  const codeClash = (moving: WorldUnit[], rootId: string): WorldUnit | null => {
    const taken = new Set([...units.values()].filter((x) => x.rootId === rootId).map((x) => x.code.toUpperCase()));
    return moving.find((m) => m.rootId !== rootId && taken.has(m.code.toUpperCase())) ?? null;
  };
  const close = (u: WorldUnit, date: string) => {
    u.validTo = dayBefore(date);
  };
  const movePeople = (fromId: string, toId: string) => {
    const moving = peopleOf.get(fromId) ?? [];
    peopleOf.set(toId, [...(peopleOf.get(toId) ?? []), ...moving.map((p) => ({ ...p, orgUnitId: toId }))]);
    peopleOf.delete(fromId);
  };
  const alreadyHandled = (u: WorldUnit, row: number): boolean => {
    const other = handled.get(u.id);
    if (other !== undefined && other !== row) {
      issues.push(issue(row, PLAN_COLUMNS.unit.vi, ReorgIssue.HandledTwice, { code: u.code, other }));
      return true;
    }
    return false;
  };

  // Splits are several rows of one unit: group them (first row stands for the group).
  const dates = [...new Set(parsed.map((p) => p.date))].sort();
  for (const date of dates) {
    const todays = parsed.filter((p) => p.date === date).sort((a, b) => ORDER[a.action] - ORDER[b.action] || a.src.row - b.src.row);

    // creations: a parent may be created by a later row of the same day, so go round until nothing moves.
    let pending = todays.filter((p) => p.action === ReorgAction.Create);
    for (let progress = true; pending.length && progress; ) {
      progress = false;
      const next: Parsed[] = [];
      for (const p of pending) {
        const parentCode = p.src.target;
        const parentKnown = !parentCode || lookupQuiet(codes, parentCode);
        if (!parentKnown && pending.some((q) => q !== p && q.src.unit.toUpperCase() === parentCode.split('/').pop()?.toUpperCase())) {
          next.push(p);
          continue;
        }
        progress = true;
        createUnit(p);
      }
      pending = next;
    }
    for (const p of pending) createUnit(p);

    for (const p of todays.filter((x) => x.action === ReorgAction.Move)) {
      const u = lookup(p.src.unit, p.src.row, PLAN_COLUMNS.unit.vi, date);
      const parent = u && lookup(p.src.target, p.src.row, PLAN_COLUMNS.target.vi, date);
      if (!u || !parent) continue;
      if (parent.path.startsWith(u.path)) {
        issues.push(issue(p.src.row, PLAN_COLUMNS.target.vi, ReorgIssue.Cycle, { code: u.code, target: parent.code }));
        continue;
      }
      const clash = codeClash(subtreeOf(u), parent.rootId);
      if (clash) {
        issues.push(issue(p.src.row, PLAN_COLUMNS.unit.vi, ReorgIssue.CodeTaken, { code: clash.code }));
        continue;
      }
      reparent(u, parent);
      ops.push({ type: 'move', row: p.src.row, date, unitId: u.id, parentId: parent.id });
    }

    for (const p of todays.filter((x) => x.action === ReorgAction.AbolishLevel)) {
      const scope = lookup(p.src.unit, p.src.row, PLAN_COLUMNS.unit.vi, date);
      const kind = parseKind(p.src.kind);
      if (!scope) continue;
      if (!kind) {
        issues.push(issue(p.src.row, PLAN_COLUMNS.kind.vi, ReorgIssue.KindUnknown, { value: p.src.kind }));
        continue;
      }
      const level = [...units.values()].filter((x) => x.kind === kind && !x.validTo && x.path.startsWith(scope.path) && x.parentId !== null).sort((a, b) => depthOf(b) - depthOf(a));
      if (level.length === 0) {
        issues.push(issue(p.src.row, PLAN_COLUMNS.kind.vi, ReorgIssue.LevelEmpty, { kind: p.src.kind, code: scope.code }));
        continue;
      }
      for (const l of level) {
        if (alreadyHandled(l, p.src.row)) continue;
        if (l.validFrom > date) {
          issues.push(issue(p.src.row, PLAN_COLUMNS.date.vi, ReorgIssue.DateBeforeUnit, { date: viDate(date), code: l.code, since: viDate(l.validFrom) }));
          continue;
        }
        handled.set(l.id, p.src.row);
        const parent = units.get(l.parentId as string) as WorldUnit;
        for (const c of childrenOf(l.id)) reparent(c, parent);
        movePeople(l.id, parent.id);
        close(l, date);
        ops.push({ type: 'abolish', row: p.src.row, date, unitId: l.id, parentId: parent.id });
      }
    }

    // closures and splits, deepest first
    const closing = todays.filter((x) => x.action === ReorgAction.CloseInto || x.action === ReorgAction.Split);
    const groups = new Map<string, Parsed[]>();
    for (const p of closing) {
      const key = `${p.action}:${p.src.unit.toUpperCase()}`;
      groups.set(key, [...(groups.get(key) ?? []), p]);
    }
    const resolved: Array<{ u: WorldUnit; group: Parsed[] }> = [];
    for (const group of groups.values()) {
      const first = group[0];
      const u = lookup(first.src.unit, first.src.row, PLAN_COLUMNS.unit.vi, date);
      if (!u) continue;
      if (first.action === ReorgAction.CloseInto && group.length > 1) {
        issues.push(issue(group[1].src.row, PLAN_COLUMNS.unit.vi, ReorgIssue.HandledTwice, { code: u.code, other: first.src.row }));
        continue;
      }
      if (alreadyHandled(u, first.src.row)) continue;
      handled.set(u.id, first.src.row);
      resolved.push({ u, group });
    }
    resolved.sort((a, b) => depthOf(b.u) - depthOf(a.u) || a.group[0].src.row - b.group[0].src.row);
    for (const { u, group } of resolved) {
      if (group[0].action === ReorgAction.CloseInto) closeInto(u, group[0]);
      else split(u, group);
    }

  }
  return { ops: issues.length ? [] : ops, issues: issues.sort((a, b) => a.row - b.row), units };

  function createUnit(p: Parsed): void {
    const r = p.src;
    const kind = parseKind(r.kind);
    if (!kind) {
      issues.push(issue(r.row, PLAN_COLUMNS.kind.vi, ReorgIssue.KindUnknown, { value: r.kind }));
      return;
    }
    if (!r.name) {
      issues.push(issue(r.row, PLAN_COLUMNS.name.vi, ReorgIssue.NameMissing));
      return;
    }
    let parent: WorldUnit | null = null;
    if (r.target) {
      parent = lookup(r.target, r.row, PLAN_COLUMNS.target.vi, p.date);
      if (!parent) return;
    } else if (!world.mayCreateRoots) {
      issues.push(issue(r.row, PLAN_COLUMNS.target.vi, ReorgIssue.RootNotAllowed));
      return;
    }
    const code = r.unit.includes('/') ? (r.unit.split('/').pop() as string) : r.unit;
    const id = newId();
    const rootId = parent?.rootId ?? id;
    if ([...units.values()].some((x) => x.rootId === rootId && x.code.toUpperCase() === code.toUpperCase())) {
      issues.push(issue(r.row, PLAN_COLUMNS.unit.vi, ReorgIssue.CodeTaken, { code }));
      return;
    }
    const unit: WorldUnit = { id, code, name: r.name, kind, parentId: parent?.id ?? null, rootId, path: `${parent?.path ?? '/'}${id}/`, validFrom: p.date, validTo: null };
    units.set(id, unit);
    if (!parent) roots.set(id, code);
    codes = byCode();
    ops.push({ type: 'create', row: r.row, date: p.date, id, code, name: r.name, kind, parentId: parent?.id ?? null });
  }

  function closeInto(u: WorldUnit, p: Parsed): void {
    // Two units closed into each other: the second finds its target closed — say why.
    const named = (codes.get((p.src.target.split('/').pop() ?? '').toUpperCase()) ?? []).find((x) => closedInto.get(x.id) === u.id);
    if (named) {
      issues.push(issue(p.src.row, PLAN_COLUMNS.target.vi, ReorgIssue.Cycle, { code: u.code, target: named.code }));
      return;
    }
    const target = lookup(p.src.target, p.src.row, PLAN_COLUMNS.target.vi, p.date);
    if (!target) return;
    if (target.id === u.id || target.path.startsWith(u.path) || closedInto.get(target.id) === u.id) {
      issues.push(issue(p.src.row, PLAN_COLUMNS.target.vi, ReorgIssue.Cycle, { code: u.code, target: target.code }));
      return;
    }
    const moving = childrenOf(u.id).flatMap(subtreeOf);
    const clash = codeClash(moving, target.rootId);
    if (clash) {
      issues.push(issue(p.src.row, PLAN_COLUMNS.unit.vi, ReorgIssue.CodeTaken, { code: clash.code }));
      return;
    }
    for (const c of childrenOf(u.id)) reparent(c, target);
    movePeople(u.id, target.id);
    close(u, p.date);
    closedInto.set(u.id, target.id);
    ops.push({ type: 'close', row: p.src.row, date: p.date, unitId: u.id, targetId: target.id });
  }

  function split(u: WorldUnit, group: Parsed[]): void {
    const first = group[0].src;
    if (group.length < 2) {
      issues.push(issue(first.row, PLAN_COLUMNS.target.vi, ReorgIssue.SplitNeedsTwo, { code: u.code }));
      return;
    }
    const people = new Map((peopleOf.get(u.id) ?? []).map((p) => [p.staffCode.toUpperCase(), p]));
    const children = new Map(childrenOf(u.id).map((c) => [c.code.toUpperCase(), c]));
    const assigned = new Set<string>();
    const parts: Array<{ row: number; targetId: string; personIds: string[]; childIds: string[] }> = [];
    let ok = true;
    for (const p of group) {
      const target = lookup(p.src.target, p.src.row, PLAN_COLUMNS.target.vi, p.date);
      if (!target) {
        ok = false;
        continue;
      }
      if (target.id === u.id || target.path.startsWith(u.path)) {
        issues.push(issue(p.src.row, PLAN_COLUMNS.target.vi, ReorgIssue.Cycle, { code: u.code, target: target.code }));
        ok = false;
        continue;
      }
      const part = { row: p.src.row, targetId: target.id, personIds: [] as string[], childIds: [] as string[] };
      for (const item of p.src.assign.split(/[;,\n]/).map((s) => s.trim()).filter(Boolean)) {
        const key = item.toUpperCase();
        if (assigned.has(key)) {
          issues.push(issue(p.src.row, PLAN_COLUMNS.assign.vi, ReorgIssue.SplitAssignedTwice, { value: item }));
          ok = false;
          continue;
        }
        const person = people.get(key);
        const child = children.get(key);
        if (person) part.personIds.push(person.id);
        else if (child) part.childIds.push(child.id);
        else {
          issues.push(issue(p.src.row, PLAN_COLUMNS.assign.vi, ReorgIssue.SplitAssignUnknown, { value: item, code: u.code }));
          ok = false;
          continue;
        }
        assigned.add(key);
      }
      parts.push(part);
    }
    const left = [...people.keys(), ...children.keys()].filter((k) => !assigned.has(k));
    if (left.length) {
      issues.push(issue(first.row, PLAN_COLUMNS.assign.vi, ReorgIssue.SplitUnassigned, { code: u.code, count: left.length, items: left.slice(0, 10).join(', ') + (left.length > 10 ? ', …' : '') }));
      ok = false;
    }
    if (!ok) return;
    for (const part of parts) {
      const target = units.get(part.targetId) as WorldUnit;
      for (const id of part.childIds) reparent(units.get(id) as WorldUnit, target);
      const moving = new Set(part.personIds);
      const stay = (peopleOf.get(u.id) ?? []).filter((p) => !moving.has(p.id));
      peopleOf.set(target.id, [...(peopleOf.get(target.id) ?? []), ...(peopleOf.get(u.id) ?? []).filter((p) => moving.has(p.id))]);
      peopleOf.set(u.id, stay);
    }
    close(u, group[0].date);
    ops.push({ type: 'split', row: first.row, date: group[0].date, unitId: u.id, parts });
  }
}

function lookupQuiet(codes: Map<string, WorldUnit[]>, code: string): boolean {
  return (codes.get((code.split('/').pop() ?? code).toUpperCase()) ?? []).length > 0;
}

export function dayBefore(isoDate: string): string {
  const d = new Date(isoDate + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

export function viDate(isoDate: string): string {
  const [y, m, d] = isoDate.split('-');
  return `${d}/${m}/${y}`;
}

/** The template's header row, in the user's language (both are accepted on upload). */
export function planHeaders(lang: 'vi' | 'en'): string[] {
  return Object.values(PLAN_COLUMNS).map((c) => c[lang]);
}

