import { randomUUID } from 'node:crypto';
import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnModuleInit, Optional } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource, EntityManager } from 'typeorm';
import {
  AuditAction,
  ErrorCode,
  JobName,
  QueueName,
  ReorgAction,
  ReorgIssue,
  ReorgImpact,
  ReorgUnitChange,
  ReorganisationPlanSummary,
  ReorganisationReport,
  Role,
} from '@dxtrain/shared/contracts';
import { foldVietnamese } from '@dxtrain/shared/vietnamese';
import { AuditService } from '@dxtrain/server/audit';
import {
  Actor,
  DomainException,
  ReorganisationContext,
  ReorganisationParticipant,
  ReorganisationParticipantProvider,
  UnitSuccession,
} from '@dxtrain/server/platform';
import { readTable, SpreadsheetError, writeXlsx } from '@dxtrain/server/spreadsheets';
import { ORG_UNIT_PEOPLE_PORT, OrgUnitPeoplePort } from '../org-unit-people.port';
import { likeEscape } from '../organisation.service';
import { PlanOp, PlanRow, parseAction, planHeaders, resolvePlan, toPlanRows, World, WorldUnit, dayBefore, issue } from './plan';

const ACTION_OF: Record<PlanOp['type'], ReorgAction> = {
  create: ReorgAction.Create,
  move: ReorgAction.Move,
  close: ReorgAction.CloseInto,
  split: ReorgAction.Split,
  abolish: ReorgAction.AbolishLevel,
};

/** A row that passed the checks but cannot be carried out (people whose staff codes clash in the target province). */
class RowConflict extends Error {
  constructor(readonly issue: ReorganisationReport['issues'][number]) {
    super(issue.message);
  }
}

class DryRunRollback extends Error {
  constructor(readonly report: ReorganisationReport) {
    super('dry run');
  }
}

function todayVn(): string {
  return new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
}

/**
 * Applies reorganisation plans (close into, split, create, move, abolish a level, each dated) in one
 * transaction: the tree, people (through the people port), lineage between units, and every other domain's
 * pointers to units (through the discovered ReorganisationParticipant providers). A dry run is the same
 * transaction rolled back, so what it shows is exactly what applying would do. Plans only go forward:
 * there is no undo, a later plan corrects an earlier one.
 */
@Injectable()
export class ReorganisationService implements OnModuleInit {
  private readonly logger = new Logger(ReorganisationService.name);
  private participants: ReorganisationParticipant[] = [];

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly discovery: DiscoveryService,
    @InjectQueue(QueueName.Events) private readonly events: Queue,
    @Optional() @Inject(ORG_UNIT_PEOPLE_PORT) private readonly people?: OrgUnitPeoplePort,
  ) {}

  onModuleInit(): void {
    this.participants = this.discovery
      .getProviders({ metadataKey: ReorganisationParticipantProvider.KEY })
      .map((w) => w.instance as ReorganisationParticipant)
      .filter((p) => p && typeof p.onReorganised === 'function');
  }

  /** The XLSX template (headers in the caller's language, one example row per action, commented out by the reader: blank code). */
  async template(lang: 'vi' | 'en'): Promise<Buffer> {
    const vi = lang === 'vi';
    return writeXlsx([
      {
        name: vi ? 'Kế hoạch sắp xếp' : 'Reorganisation plan',
        headers: planHeaders(lang),
        rows: [
          [vi ? 'tạo mới' : 'create', 'GL-X001', 'GL', vi ? 'Xã Mẫu 01' : 'Xã Mẫu 01', vi ? 'xã' : 'commune', '01/07/2025', ''],
          [vi ? 'sáp nhập vào' : 'close_into', 'GL-OLD-X01', 'GL-X001', '', '', '01/07/2025', ''],
          [vi ? 'chia tách' : 'split', 'GL-OLD-X02', 'GL-X001', '', '', '01/07/2025', 'CB0001; CB0002; GL-OLD-X02-TCNS'],
          [vi ? 'chia tách' : 'split', 'GL-OLD-X02', 'GL-X002', '', '', '01/07/2025', 'CB0003'],
          [vi ? 'chuyển' : 'move', 'GL-OLD-X03-TCNS', 'GL-X002', '', '', '01/07/2025', ''],
          [vi ? 'bỏ cấp' : 'abolish_level', 'GL-OLD', '', '', vi ? 'huyện' : 'district', '01/07/2025', ''],
        ],
      },
    ]);
  }

  /** Reads an uploaded plan (XLSX or CSV) and checks or applies it. */
  async fromFile(actor: Actor, file: { buffer: Buffer; originalname: string }, opts: { dryRun: boolean; name?: string }): Promise<ReorganisationReport> {
    let table;
    try {
      table = await readTable(file.buffer, file.originalname, { maxRows: 5001 });
    } catch (e) {
      if (e instanceof SpreadsheetError) {
        return this.invalid(opts.name ?? file.originalname, 0, [{ ...issue(0, '', ReorgIssue.NoRows), message: e.message, params: { reason: e.code } }]);
      }
      throw e;
    }
    const { rows, issues } = toPlanRows(table.headers, table.rows);
    if (issues.length) {
      if (!opts.dryRun) throw this.refusal(issues);
      return this.invalid(opts.name ?? file.originalname, table.rows.length, issues);
    }
    return this.run(actor, rows, { dryRun: opts.dryRun, name: opts.name ?? file.originalname });
  }

  private invalid(name: string, rows: number, issues: ReorganisationReport['issues']): ReorganisationReport {
    return { planId: null, applied: false, name, rows, valid: false, issues, changes: [], totals: { created: 0, closed: 0, split: 0, moved: 0, abolished: 0, people: 0 }, impacts: [] };
  }

  private refusal(issues: ReorganisationReport['issues']): DomainException {
    return new DomainException(
      ErrorCode.ReorganisationInvalid,
      422,
      issues.slice(0, 200).map((i) => ({ field: i.row ? `row ${i.row}: ${i.column}` : i.column || 'file', message: i.message })),
    );
  }

  /** Checks (dryRun) or applies parsed rows as `actor` (an admin: only units of their admin grants are seen). */
  async run(actor: Actor, rows: PlanRow[], opts: { dryRun: boolean; name: string }): Promise<ReorganisationReport> {
    const planId = randomUUID();
    try {
      const report = await this.db.transaction(async (tx) => {
        const world = await this.loadWorld(tx, actor, rows);
        const plan = resolvePlan(rows, world);
        if (plan.issues.length) {
          if (!opts.dryRun) throw this.refusal(plan.issues);
          throw new DryRunRollback(this.invalid(opts.name, rows.length, plan.issues));
        }
        const rootIds = [...new Set([...plan.units.values()].map((u) => u.rootId))].sort();
        for (const id of rootIds) await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`org-tree:${id}`]);
        const result = await this.execute(tx, plan.ops, plan.units, world, planId);
        const report: ReorganisationReport = {
          planId: null,
          applied: !opts.dryRun,
          name: opts.name,
          rows: rows.length,
          valid: true,
          issues: [],
          changes: result.changes,
          totals: result.totals,
          impacts: result.impacts,
        };
        if (opts.dryRun) throw new DryRunRollback(report);
        const touchedRoots = [...new Set(result.touchedUnitIds.map((id) => plan.units.get(id)?.rootId).filter((x): x is string => !!x))];
        const rootPaths = touchedRoots.map((id) => `/${id}/`);
        const id = planId;
        report.planId = id;
        await tx.query(
          `INSERT INTO reorganisation_plans (id, name, root_paths, rows, report, applied_by, applied_by_username) VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7)`,
          [id, opts.name.slice(0, 255), rootPaths, JSON.stringify(rows), JSON.stringify(report), actor.userId === 'system' ? null : actor.userId, actor.username],
        );
        await this.audit.record(tx, actor.userId === 'system' ? { userId: null, username: 'system', ip: null } : actor, { action: AuditAction.OrgReorganised, entityType: 'reorganisation_plan', entityId: id, after: { name: opts.name, rows: rows.length, totals: report.totals }, orgUnitIds: touchedRoots });
        return { report, touched: result.touchedUnitIds };
      });
      await this.events
        .add(JobName.PeopleChanged, { unitIds: report.touched.slice(0, 5000) }, { removeOnComplete: 1000, removeOnFail: 5000 })
        .catch((e: Error) => this.logger.warn(`people.changed not published: ${e.message}`));
      return report.report;
    } catch (e) {
      if (e instanceof DryRunRollback) return e.report;
      if (e instanceof RowConflict) {
        if (!opts.dryRun) throw this.refusal([e.issue]);
        return this.invalid(opts.name, rows.length, [e.issue]);
      }
      throw e;
    }
  }

  /** Units the actor administers (whole trees of their admin grants, closed units included), people of the units being split. */
  private async loadWorld(tx: EntityManager, actor: Actor, rows: PlanRow[]): Promise<World> {
    const scopes = actor.scopePaths([Role.Admin]);
    const system = actor.userId === 'system';
    const units = (await tx.query(
      `SELECT id, code, name, kind, parent_id AS "parentId", root_id AS "rootId", path, valid_from::text AS "validFrom", valid_to::text AS "validTo"
         FROM org_units WHERE $1::boolean OR path LIKE ANY($2::text[])`,
      [system, scopes.map((p) => `${likeEscape(p)}%`)],
    )) as WorldUnit[];
    const splitCodes = [...new Set(rows.filter((r) => parseAction(r.action) === ReorgAction.Split).map((r) => r.unit.split('/').pop()?.toUpperCase() ?? ''))];
    const splitIds = units.filter((u) => splitCodes.includes(u.code.toUpperCase())).map((u) => u.id);
    const people = splitIds.length && this.people ? await this.people.activePeopleOf(tx, splitIds) : [];
    return { units, people, today: todayVn(), mayCreateRoots: system || actor.isSuperadmin };
  }

  private async execute(tx: EntityManager, ops: PlanOp[], after: Map<string, WorldUnit>, world: World, planId: string) {
    const before = new Map(world.units.map((u) => [u.id, u]));
    const name = (id: string) => after.get(id)?.name ?? before.get(id)?.name ?? id;
    const ref = (id: string) => ({ code: after.get(id)?.code ?? '', name: name(id) });
    const changes: ReorgUnitChange[] = [];
    const successions: UnitSuccession[] = [];
    const moved = new Map<string, string>();
    const touched = new Set<string>();
    const totals = { created: 0, closed: 0, split: 0, moved: 0, abolished: 0, people: 0 };
    const newRootIds: string[] = [];
    const movePeople = async (from: string, to: string, personIds: string[] | null) => {
      if (!this.people) return 0;
      const ids = await this.people.movePeopleTo(tx, from, to, personIds);
      for (const id of ids) moved.set(id, to);
      totals.people += ids.length;
      return ids.length;
    };
    const step = async (op: PlanOp): Promise<void> => {
      const unitId = op.type === 'create' ? op.id : op.unitId;
      const u = after.get(unitId) as WorldUnit;
      const change: ReorgUnitChange = { row: op.row, action: ACTION_OF[op.type], effectiveDate: op.date, unit: { code: u.code, name: u.name, kind: u.kind }, targets: [], people: 0, subUnits: 0 };
      touched.add(unitId);
      if (op.type === 'create') {
        const parent = op.parentId ? await this.current(tx, op.parentId) : null;
        const path = `${parent?.path ?? '/'}${op.id}/`;
        await tx.query(
          `INSERT INTO org_units (id, code, name, kind, parent_id, root_id, path, depth, search_text, valid_from) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [op.id, op.code, op.name, op.kind, op.parentId, parent?.rootId ?? op.id, path, path.split('/').length - 3, foldVietnamese(`${op.name} ${op.code}`), op.date],
        );
        if (!parent) newRootIds.push(op.id);
        if (op.parentId) change.targets.push(ref(op.parentId));
        totals.created++;
      } else if (op.type === 'move') {
        change.subUnits = await this.reparent(tx, op.unitId, op.parentId);
        change.targets.push(ref(op.parentId));
        touched.add(op.parentId);
        totals.moved++;
      } else if (op.type === 'close' || op.type === 'abolish') {
        const to = op.type === 'close' ? op.targetId : op.parentId;
        for (const child of await this.openChildren(tx, op.unitId)) change.subUnits += await this.reparent(tx, child, to);
        change.people = await movePeople(op.unitId, to, null);
        await tx.query(`UPDATE org_units SET valid_to = $2, merged_into_id = $3, merged_at = $4, updated_at = now() WHERE id = $1`, [
          op.unitId,
          dayBefore(op.date),
          op.type === 'close' ? to : null,
          op.type === 'close' ? op.date : null,
        ]);
        await this.lineage(tx, op.unitId, to, op.type === 'close' ? 'merge' : 'abolish', op.date, planId);
        successions.push({ unitId: op.unitId, kind: op.type === 'close' ? 'merge' : 'abolish', successorIds: [to], effectiveDate: op.date });
        change.targets.push(ref(to));
        touched.add(to);
        if (op.type === 'close') totals.closed++;
        else totals.abolished++;
      } else {
        for (const part of op.parts) {
          for (const child of part.childIds) change.subUnits += await this.reparent(tx, child, part.targetId);
          change.people += await movePeople(op.unitId, part.targetId, part.personIds);
          await this.lineage(tx, op.unitId, part.targetId, 'split', op.date, planId);
          change.targets.push(ref(part.targetId));
          touched.add(part.targetId);
        }
        await tx.query(`UPDATE org_units SET valid_to = $2, updated_at = now() WHERE id = $1`, [op.unitId, dayBefore(op.date)]);
        successions.push({ unitId: op.unitId, kind: 'split', successorIds: op.parts.map((p) => p.targetId), effectiveDate: op.date });
        totals.split++;
      }
      changes.push(change);
    };
    for (const op of ops) {
      await tx.query(`SELECT set_config('dxtrain.effective_date', $1, true)`, [op.date]);
      try {
        await step(op);
      } catch (e) {
        if (e instanceof DomainException && e.code === ErrorCode.StaffCodeTaken) {
          throw new RowConflict(issue(op.row, 'Mã đơn vị', ReorgIssue.StaffCodeClash, { items: (e.details ?? []).map((d) => d.message).join(', ') }));
        }
        throw e;
      }
    }
    await tx.query(`SELECT set_config('dxtrain.effective_date', '', true)`);
    const ctx: ReorganisationContext = { unitName: name, newRootIds, movedPeople: moved };
    const impacts: ReorgImpact[] = [];
    if (successions.length || moved.size) {
      for (const p of this.participants) impacts.push(...(await p.onReorganised(tx, successions, ctx)));
    }
    impacts.unshift({
      area: 'people',
      changed: changes.filter((c) => c.people > 0).map((c) => ({ label: String(c.people), from: c.unit.name, to: c.targets.map((t) => t.name).join(', ') })),
      review: [],
      undecided: [],
    });
    return { changes, totals, impacts, touchedUnitIds: [...touched] };

  }

  private async current(tx: EntityManager, id: string): Promise<{ path: string; rootId: string; depth: number }> {
    const [u] = (await tx.query(`SELECT path, root_id AS "rootId", depth FROM org_units WHERE id = $1`, [id])) as Array<{ path: string; rootId: string; depth: number }>;
    return u;
  }

  private async openChildren(tx: EntityManager, id: string): Promise<string[]> {
    return ((await tx.query(`SELECT id FROM org_units WHERE parent_id = $1 AND valid_to IS NULL ORDER BY code`, [id])) as Array<{ id: string }>).map((r) => r.id);
  }

  /** Moves a subtree under a new parent (possibly in another tree): paths, depths and root in one statement. Returns the units moved. */
  private async reparent(tx: EntityManager, unitId: string, parentId: string): Promise<number> {
    const unit = await this.current(tx, unitId);
    const parent = await this.current(tx, parentId);
    const newPath = `${parent.path}${unitId}/`;
    const res = (await tx.query(
      `UPDATE org_units
          SET path = $2 || substr(path, length($1) + 1), depth = depth + $3, root_id = $7,
              parent_id = CASE WHEN id = $4 THEN $5::uuid ELSE parent_id END, updated_at = now()
        WHERE path LIKE $6`,
      [unit.path, newPath, parent.depth + 1 - unit.depth, unitId, parentId, `${likeEscape(unit.path)}%`, parent.rootId],
    )) as [unknown, number];
    if (parent.rootId !== unit.rootId) await this.people?.followSubtreeToProvince(tx, newPath, parent.rootId);
    return Number(res[1] ?? 0);
  }

  private async lineage(tx: EntityManager, from: string, to: string, kind: 'merge' | 'split' | 'abolish', date: string, planId: string): Promise<void> {
    await tx.query(
      `INSERT INTO org_unit_lineage (predecessor_id, successor_id, kind, effective_date, plan_id) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (predecessor_id, successor_id) DO NOTHING`,
      [from, to, kind, date, planId],
    );
  }

  /** Applied plans touching the caller's provinces, newest first. */
  async list(actor: Actor): Promise<ReorganisationPlanSummary[]> {
    const scopes = actor.scopePaths([Role.Admin]);
    if (scopes.length === 0) throw DomainException.forbidden();
    const rows = (await this.db.query(
      `SELECT id, name, applied_at, applied_by_username, jsonb_array_length(rows) AS n, report->'totals' AS totals
         FROM reorganisation_plans p
        WHERE EXISTS (SELECT 1 FROM unnest(p.root_paths) rp WHERE rp LIKE ANY($1::text[]))
        ORDER BY applied_at DESC LIMIT 100`,
      [scopes.map((p) => `${likeEscape(p)}%`)],
    )) as Array<{ id: string; name: string; applied_at: Date; applied_by_username: string; n: number; totals: ReorganisationPlanSummary['totals'] }>;
    return rows.map((r) => ({ id: r.id, name: r.name, appliedAt: r.applied_at.toISOString(), appliedBy: r.applied_by_username, rows: Number(r.n), totals: r.totals }));
  }

  async get(actor: Actor, id: string): Promise<ReorganisationReport> {
    const plans = await this.list(actor);
    if (!plans.some((p) => p.id === id)) throw DomainException.notFound(ErrorCode.ReorganisationPlanNotFound);
    const [row] = (await this.db.query(`SELECT report FROM reorganisation_plans WHERE id = $1`, [id])) as Array<{ report: ReorganisationReport }>;
    return { ...row.report, planId: id };
  }
}

