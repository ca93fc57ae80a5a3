import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource, EntityManager } from 'typeorm';
import {
  AuditAction,
  ErrorCode,
  OrgUnitDetail,
  OrgUnitKind,
  OrgUnitLineageLink,
  OrgUnitSummary,
  Role,
  STAFF_READER_ROLES,
  SubtreeEntry,
  JobName,
  QueueName,
} from '@dxtrain/shared/contracts';
import { foldVietnamese } from '@dxtrain/shared/vietnamese';
import { AuditService } from '@dxtrain/server/audit';
import { Actor, DomainException, isPgError, PG_UNIQUE_VIOLATION } from '@dxtrain/server/platform';
import { CreateOrgUnitDto, MergeOrgUnitDto, UpdateOrgUnitDto } from './dto/org-unit.dto';
import { OrgUnitEntity } from './org-unit.entity';
import { ORG_UNIT_PEOPLE_PORT, OrgUnitPeoplePort } from './org-unit-people.port';

const VI_COLLATOR = new Intl.Collator('vi', { sensitivity: 'base', numeric: true });
const SEARCH_LIMIT = 50;

/** Units a structural change (create, move, merge) may touch: admins only, within their subtree. */
const STRUCTURE_ROLES: readonly Role[] = [Role.Admin];

type UnitRow = OrgUnitEntity & { childCount?: number };

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

function dayBefore(isoDate: string): string {
  const d = new Date(isoDate + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

function toSummary(u: UnitRow): OrgUnitSummary {
  return {
    id: u.id,
    code: u.code,
    name: u.name,
    kind: u.kind,
    parentId: u.parentId,
    depth: u.depth,
    childCount: Number(u.childCount ?? 0),
    validTo: u.validTo,
  };
}

function snapshot(u: OrgUnitEntity) {
  return {
    code: u.code,
    name: u.name,
    kind: u.kind,
    parentId: u.parentId,
    path: u.path,
    validFrom: u.validFrom,
    validTo: u.validTo,
    mergedIntoId: u.mergedIntoId,
    mergedAt: u.mergedAt,
  };
}

/**
 * Does a grant cover the unit, or — for a closed unit — what it became? The admin of a new province reads the
 * former provinces, districts and communes it was formed from (their history is its history). Walks lineage
 * from the unit and from its ancestors (a commune under an abolished district), at most 20 steps.
 */
export async function coversWithHistory(
  db: { query(sql: string, params?: unknown[]): Promise<unknown> },
  actor: Actor,
  unit: { id: string; path: string; validTo: string | null },
  roles: readonly Role[],
): Promise<boolean> {
  if (actor.covers(unit.path, roles)) return true;
  if (!unit.validTo || actor.scopePaths(roles).length === 0) return false;
  const paths = (await db.query(
    `WITH RECURSIVE up(id, n) AS (
       SELECT a::uuid, 0 FROM unnest(string_to_array(trim(both '/' from $1::text), '/')) AS a
       UNION SELECT l.successor_id, up.n + 1 FROM up JOIN org_unit_lineage l ON l.predecessor_id = up.id WHERE up.n < 20
     )
     SELECT DISTINCT u.path FROM up JOIN org_units u ON u.id = up.id`,
    [unit.path],
  )) as Array<{ path: string }>;
  return paths.some((p) => actor.covers(p.path, roles));
}

/** Escapes LIKE wildcards so user text matches literally. */
export function likeEscape(value: string): string {
  return value.replace(/[\\%_]/g, (c) => '\\' + c);
}

/**
 * The organisation tree: reads scoped to the caller's grants, and structural changes
 * (create, update, move, merge) serialised per tree with an advisory lock so concurrent
 * moves can never produce a cycle.
 */
@Injectable()
export class OrganisationService {
  private readonly logger = new Logger(OrganisationService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    @InjectQueue(QueueName.Events) private readonly events: Queue,
    @Optional() @Inject(ORG_UNIT_PEOPLE_PORT) private readonly people?: OrgUnitPeoplePort,
  ) {}

  // ---- reads -------------------------------------------------------------------------------

  private withChildCount(manager: EntityManager = this.db.manager) {
    return manager
      .getRepository(OrgUnitEntity)
      .createQueryBuilder('u')
      .addSelect((sub) => sub.select('COUNT(*)').from(OrgUnitEntity, 'c').where('c.parent_id = u.id'), 'u_child_count');
  }

  private async fetchWithCounts(where: (qb: ReturnType<OrganisationService['withChildCount']>) => void): Promise<UnitRow[]> {
    const qb = this.withChildCount();
    where(qb);
    const { entities, raw } = await qb.getRawAndEntities();
    const counts = new Map<string, number>(raw.map((r: { u_id: string; u_child_count: string }) => [r.u_id, Number(r.u_child_count)]));
    return entities.map((e) => Object.assign(e, { childCount: counts.get(e.id) ?? 0 }));
  }

  private sortByName(units: UnitRow[]): UnitRow[] {
    const closedLast = (u: UnitRow) => (u.validTo ? 1 : 0);
    return units.sort((a, b) => closedLast(a) - closedLast(b) || VI_COLLATOR.compare(a.name, b.name));
  }

  /** Loads a unit the actor may see, or answers 404 (out of scope looks the same as missing). */
  async getVisibleUnit(actor: Actor, id: string, roles: readonly Role[] = STAFF_READER_ROLES): Promise<OrgUnitEntity> {
    const unit = await this.db.getRepository(OrgUnitEntity).findOneBy({ id });
    if (!unit || !(await this.coversWithHistory(actor, unit, roles))) throw DomainException.notFound(ErrorCode.OrgUnitNotFound);
    return unit;
  }

  /**
   * A closed unit stays readable for whoever holds a grant on what it became: the admin of the new province
   * reads the former provinces, districts and communes it was formed from (their history is its history).
   */
  coversWithHistory(actor: Actor, unit: { id: string; path: string; validTo: string | null }, roles: readonly Role[]): Promise<boolean> {
    return coversWithHistory(this.db, actor, unit, roles);
  }

  /** Predecessors and successors of a unit (its history across reorganisations). */
  async lineageOf(id: string): Promise<{ predecessors: OrgUnitLineageLink[]; successors: OrgUnitLineageLink[] }> {
    const rows = (await this.db.query(
      `SELECT 'pre' AS side, u.id, u.code, u.name, u.kind, l.kind AS relation, l.effective_date::text AS "effectiveDate", u.valid_to::text AS "validTo"
         FROM org_unit_lineage l JOIN org_units u ON u.id = l.predecessor_id WHERE l.successor_id = $1
       UNION ALL
       SELECT 'suc', u.id, u.code, u.name, u.kind, l.kind, l.effective_date::text, u.valid_to::text
         FROM org_unit_lineage l JOIN org_units u ON u.id = l.successor_id WHERE l.predecessor_id = $1`,
      [id],
    )) as Array<OrgUnitLineageLink & { side: 'pre' | 'suc'; id: string }>;
    const link = (r: (typeof rows)[number]): OrgUnitLineageLink => ({ unitId: r.id, code: r.code, name: r.name, kind: r.kind, relation: r.relation, effectiveDate: r.effectiveDate, validTo: r.validTo });
    const byName = (a: OrgUnitLineageLink, b: OrgUnitLineageLink) => VI_COLLATOR.compare(a.name, b.name);
    return { predecessors: rows.filter((r) => r.side === 'pre').map(link).sort(byName), successors: rows.filter((r) => r.side === 'suc').map(link).sort(byName) };
  }

  /** The top units of the caller's scope (one per grant, nested grants folded). */
  async listTop(actor: Actor): Promise<OrgUnitSummary[]> {
    const paths = actor.scopePaths(STAFF_READER_ROLES);
    if (paths.length === 0) return [];
    // A deployment-wide grant ('/') starts at the provinces.
    const units = await this.fetchWithCounts((qb) => (paths.includes('/') ? qb.where('u.parent_id IS NULL AND u.valid_to IS NULL') : qb.where('u.path IN (:...paths)', { paths })));
    return this.sortByName(units).map(toSummary);
  }

  async listChildren(actor: Actor, parentId: string): Promise<OrgUnitSummary[]> {
    const parent = await this.getVisibleUnit(actor, parentId);
    const units = await this.fetchWithCounts((qb) => qb.where('u.parent_id = :id', { id: parent.id }));
    return this.sortByName(units).map(toSummary);
  }

  async search(actor: Actor, q: string): Promise<OrgUnitSummary[]> {
    const paths = actor.scopePaths(STAFF_READER_ROLES);
    const needle = foldVietnamese(q);
    if (paths.length === 0 || needle === '') return [];
    const units = await this.fetchWithCounts((qb) =>
      qb
        .where(`u.search_text LIKE :needle ESCAPE '\\'`, { needle: `%${likeEscape(needle)}%` })
        .andWhere(`(${paths.map((_, i) => `u.path LIKE :p${i}`).join(' OR ')})`, Object.fromEntries(paths.map((p, i) => [`p${i}`, `${likeEscape(p)}%`])))
        .orderBy('u.depth', 'ASC')
        .limit(SEARCH_LIMIT),
    );
    return units.map(toSummary);
  }

  async getDetail(actor: Actor, id: string): Promise<OrgUnitDetail> {
    const unit = await this.getVisibleUnit(actor, id);
    const ancestorIds = unit.path.split('/').filter(Boolean).slice(0, -1);
    const [ancestors, [withCount], facts, lineage] = await Promise.all([
      ancestorIds.length ? this.db.getRepository(OrgUnitEntity).createQueryBuilder('u').whereInIds(ancestorIds).orderBy('u.depth').getMany() : [],
      this.fetchWithCounts((qb) => qb.where('u.id = :id', { id })),
      this.people?.unitStaffFacts(unit.id, unit.path) ?? { staffCount: 0, subtreeStaffCount: 0, focalPoints: [] },
      this.lineageOf(unit.id),
    ]);
    return {
      ...toSummary(withCount),
      validFrom: unit.validFrom,
      mergedIntoId: unit.mergedIntoId,
      mergedAt: unit.mergedAt,
      // Ancestors above the caller's scope are named too: the caller knows where their unit sits.
      ancestors: ancestors.map((a) => ({ id: a.id, code: a.code, name: a.name, kind: a.kind })),
      staffCount: facts.staffCount,
      subtreeStaffCount: facts.subtreeStaffCount,
      focalPoints: facts.focalPoints,
      hasFocalPoint: facts.focalPoints.length > 0,
      predecessors: lineage.predecessors,
      successors: lineage.successors,
    };
  }

  async subtree(actor: Actor, id: string): Promise<SubtreeEntry[]> {
    const unit = await this.getVisibleUnit(actor, id);
    const rows: Array<{ id: string; code: string; name: string; kind: OrgUnitKind; parent_id: string | null; depth: number; valid_to: string | null }> =
      await this.db.query(
        `SELECT id, code, name, kind, parent_id, depth, to_char(valid_to, 'YYYY-MM-DD') AS valid_to
           FROM org_units WHERE path LIKE $1 ORDER BY path`,
        [`${likeEscape(unit.path)}%`],
      );
    return rows.map((r) => ({ id: r.id, code: r.code, name: r.name, kind: r.kind, parentId: r.parent_id, depth: r.depth, validTo: r.valid_to }));
  }

  // ---- changes -----------------------------------------------------------------------------

  /** Serialises structural changes of one tree. */
  private async lockTree(manager: EntityManager, rootId: string): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`org-tree:${rootId}`]);
  }

  private async loadForChange(manager: EntityManager, actor: Actor, id: string): Promise<OrgUnitEntity> {
    const unit = await manager.getRepository(OrgUnitEntity).findOneBy({ id });
    if (!unit || !actor.covers(unit.path, STAFF_READER_ROLES)) throw DomainException.notFound(ErrorCode.OrgUnitNotFound);
    if (!actor.covers(unit.path, STRUCTURE_ROLES)) throw DomainException.forbidden();
    return unit;
  }

  private codeTaken(err: unknown): DomainException | unknown {
    return isPgError(err, PG_UNIQUE_VIOLATION, 'UQ_org_units_root_code')
      ? DomainException.conflict(ErrorCode.OrgUnitCodeTaken, [{ field: 'code', message: 'code already used in this tree' }])
      : err;
  }

  async create(actor: Actor, dto: CreateOrgUnitDto): Promise<OrgUnitDetail> {
    const validFrom = dto.validFrom ?? today();
    const id = await this.db
      .transaction(async (manager) => {
        const repo = manager.getRepository(OrgUnitEntity);
        let parent: OrgUnitEntity | null = null;
        if (dto.parentId) {
          parent = await this.loadForChange(manager, actor, dto.parentId);
          await this.lockTree(manager, parent.rootId);
          if (parent.validTo) throw DomainException.badRequest(ErrorCode.OrgUnitClosed, [{ field: 'parentId', message: 'parent unit is closed' }]);
        } else if (!actor.isSuperadmin) {
          // A new province is deployment-wide business: an admin of one province cannot create another.
          throw new DomainException(ErrorCode.OrgUnitRootNeedsAdmin, 403);
        }
        const newId = (await manager.query('SELECT gen_random_uuid() AS id'))[0].id as string;
        const unit = repo.create({
          id: newId,
          code: dto.code,
          name: dto.name,
          kind: dto.kind,
          parentId: parent?.id ?? null,
          rootId: parent?.rootId ?? newId,
          path: `${parent?.path ?? '/'}${newId}/`,
          depth: parent ? parent.depth + 1 : 0,
          searchText: foldVietnamese(`${dto.name} ${dto.code}`),
          validFrom,
          validTo: null,
          mergedIntoId: null,
          mergedAt: null,
        });
        await repo.insert(unit);
        await this.audit.record(manager, actor, { action: AuditAction.OrgUnitCreated, entityType: 'org_unit', entityId: newId, after: snapshot(unit) });
        return newId;
      })
      .catch((err) => {
        throw this.codeTaken(err);
      });
    // A new root is visible to its creator only through a grant; answer with the summary we know.
    return this.getDetailUnscoped(id);
  }

  private async getDetailUnscoped(id: string): Promise<OrgUnitDetail> {
    const unit = await this.db.getRepository(OrgUnitEntity).findOneByOrFail({ id });
    const root = new Actor('system', 'system', null, [{ role: Role.Admin, orgUnitId: unit.rootId, path: `/${unit.rootId}/` }]);
    return this.getDetail(root, id);
  }

  async update(actor: Actor, id: string, dto: UpdateOrgUnitDto): Promise<OrgUnitDetail> {
    await this.db
      .transaction(async (manager) => {
        const unit = await this.loadForChange(manager, actor, id);
        await this.lockTree(manager, unit.rootId);
        const before = snapshot(unit);
        const next = { ...unit, ...Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined)) } as OrgUnitEntity;
        if (next.validTo && next.validTo < next.validFrom) {
          throw DomainException.badRequest(ErrorCode.OrgUnitInvalidPeriod, [{ field: 'validTo', message: 'validTo must not be before validFrom' }]);
        }
        next.searchText = foldVietnamese(`${next.name} ${next.code}`);
        await manager.getRepository(OrgUnitEntity).update(
          { id },
          { code: next.code, name: next.name, kind: next.kind, validFrom: next.validFrom, validTo: next.validTo, searchText: next.searchText },
        );
        await this.audit.record(manager, actor, { action: AuditAction.OrgUnitUpdated, entityType: 'org_unit', entityId: id, before, after: snapshot(next) });
      })
      .catch((err) => {
        throw this.codeTaken(err);
      });
    return this.getDetail(actor, id);
  }

  /** Rewrites the path and depth of a whole subtree in one statement. */
  private async reparent(manager: EntityManager, unit: OrgUnitEntity, newParent: OrgUnitEntity): Promise<void> {
    const newPath = `${newParent.path}${unit.id}/`;
    await manager.query(
      `UPDATE org_units
          SET path = $2 || substr(path, length($1) + 1),
              depth = depth + $3,
              parent_id = CASE WHEN id = $4 THEN $5::uuid ELSE parent_id END,
              updated_at = now()
        WHERE path LIKE $6`,
      [unit.path, newPath, newParent.depth + 1 - unit.depth, unit.id, newParent.id, `${likeEscape(unit.path)}%`],
    );
  }

  async move(actor: Actor, id: string, newParentId: string): Promise<OrgUnitDetail> {
    await this.db.transaction(async (manager) => {
      const unit = await this.loadForChange(manager, actor, id);
      await this.lockTree(manager, unit.rootId);
      // Re-read under the lock: another move may have changed the paths.
      const fresh = await manager.getRepository(OrgUnitEntity).findOneByOrFail({ id });
      const parent = await this.loadForChange(manager, actor, newParentId);
      if (parent.path.startsWith(fresh.path)) {
        throw DomainException.badRequest(ErrorCode.OrgUnitMoveIntoOwnSubtree, [{ field: 'newParentId', message: 'new parent is the unit or one of its descendants' }]);
      }
      if (parent.rootId !== fresh.rootId || fresh.parentId === null) {
        throw DomainException.badRequest(ErrorCode.OrgUnitMoveAcrossTrees, [{ field: 'newParentId', message: 'new parent is in another tree' }]);
      }
      if (parent.validTo || fresh.validTo) throw DomainException.badRequest(ErrorCode.OrgUnitClosed);
      if (fresh.parentId === parent.id) return;
      const before = snapshot(fresh);
      await this.reparent(manager, fresh, parent);
      await this.audit.record(manager, actor, {
        action: AuditAction.OrgUnitMoved,
        entityType: 'org_unit',
        entityId: id,
        before,
        after: { ...before, parentId: parent.id, path: `${parent.path}${fresh.id}/` },
      });
    });
    await this.peopleChanged([id]);
    return this.getDetail(actor, id);
  }

  /** After commit: everyone under these units may now match other audience rules. */
  private async peopleChanged(unitIds: string[]): Promise<void> {
    await this.events.add(JobName.PeopleChanged, { unitIds }, { removeOnComplete: 1000, removeOnFail: 5000 }).catch((e: Error) => this.logger.warn(`people.changed not published: ${e.message}`));
  }

  /**
   * Merges unit A into unit B: A's children move under B, A's people move to B, and A is kept,
   * closed the day before the merger, with `mergedInto` = B, so past years stay answerable.
   */
  async merge(actor: Actor, id: string, dto: MergeOrgUnitDto): Promise<OrgUnitDetail> {
    const effectiveDate = dto.effectiveDate ?? today();
    await this.db.transaction(async (manager) => {
      if (id === dto.targetId) throw DomainException.badRequest(ErrorCode.OrgUnitMergeIntoItself, [{ field: 'targetId', message: 'target is the unit itself' }]);
      const first = await this.loadForChange(manager, actor, id);
      await this.lockTree(manager, first.rootId);
      const unit = await manager.getRepository(OrgUnitEntity).findOneByOrFail({ id });
      const target = await this.loadForChange(manager, actor, dto.targetId);
      if (target.path.startsWith(unit.path)) {
        throw DomainException.badRequest(ErrorCode.OrgUnitMergeIntoDescendant, [{ field: 'targetId', message: 'target is a descendant of the unit' }]);
      }
      if (target.rootId !== unit.rootId) {
        throw DomainException.badRequest(ErrorCode.OrgUnitMoveAcrossTrees, [{ field: 'targetId', message: 'target is in another tree' }]);
      }
      if (unit.validTo || target.validTo) throw DomainException.badRequest(ErrorCode.OrgUnitClosed);
      const validTo = dayBefore(effectiveDate);
      if (validTo < unit.validFrom) {
        throw DomainException.badRequest(ErrorCode.OrgUnitInvalidPeriod, [{ field: 'effectiveDate', message: 'merger date is before the unit existed' }]);
      }
      const before = snapshot(unit);
      const children = await manager.getRepository(OrgUnitEntity).findBy({ parentId: unit.id });
      for (const child of children) await this.reparent(manager, child, target);
      const movedPeople = (await this.people?.movePeopleOnMerge(manager, unit.id, target.id)) ?? 0;
      await manager.getRepository(OrgUnitEntity).update({ id }, { validTo, mergedIntoId: target.id, mergedAt: effectiveDate });
      await this.audit.record(manager, actor, {
        action: AuditAction.OrgUnitMerged,
        entityType: 'org_unit',
        entityId: id,
        before,
        after: { ...before, validTo, mergedIntoId: target.id, mergedAt: effectiveDate, movedChildren: children.length, movedPeople },
        orgUnitIds: [target.id],
      });
    });
    await this.peopleChanged([dto.targetId]);
    return this.getDetail(actor, id);
  }
}
