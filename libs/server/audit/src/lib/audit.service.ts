import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { AuditEvent, DEFAULT_PAGE_SIZE, Page } from '@dxtrain/shared/contracts';
import { Actor } from '@dxtrain/server/platform';
import { AuditEventEntity } from './audit-event.entity';
import { adminScope } from './admin-scope';

export interface AuditRecord {
  action: string;
  entityType: string;
  entityId?: string | null;
  before?: object | null;
  after?: object | null;
  /**
   * The units the event concerns (the course's owner unit, the class's unit, a grant's unit…): the admins of any of
   * them read it. For entityType 'org_unit' the entity itself is added.
   */
  orgUnitIds?: ReadonlyArray<string | null | undefined>;
  /** The person the event concerns: stored, and their current unit added. For entityType 'person', the entity. */
  personId?: string | null;
  /**
   * The account the event concerns: its person (and that person's unit) and the units of its grants are added.
   * For entityType 'user', the entity.
   */
  userId?: string | null;
}

/** Who acted; null fields for unknown (e.g. a failed sign-in with an unknown username has no user id). */
export interface AuditActor {
  userId: string | null;
  username: string | null;
  ip: string | null;
}

export interface AuditQuery {
  page?: number;
  pageSize?: number;
  action?: string;
  entityType?: string;
  entityId?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Writes audit events inside the caller's transaction (pass its EntityManager), so a change and
 * its audit record are committed or rolled back together.
 */
@Injectable()
export class AuditService {
  constructor(@InjectRepository(AuditEventEntity) private readonly events: Repository<AuditEventEntity>) {}

  async record(manager: EntityManager | null, actor: AuditActor | null, record: AuditRecord): Promise<void> {
    const repo = manager ? manager.getRepository(AuditEventEntity) : this.events;
    const { orgUnitIds, personId } = await this.placement(manager ?? this.events.manager, record);
    const event = repo.create({
      actorUserId: actor?.userId ?? null,
      actorUsername: actor?.username ?? null,
      ip: actor?.ip ?? null,
      action: record.action,
      entityType: record.entityType,
      entityId: record.entityId ?? null,
      before: (record.before as Record<string, unknown>) ?? null,
      after: (record.after as Record<string, unknown>) ?? null,
      orgUnitIds,
      personId,
    });
    await repo.save(event, { reload: false });
  }

  /** Where an event belongs: the units given, plus the unit of the person and the account concerned (one query). */
  private async placement(manager: EntityManager, record: AuditRecord): Promise<{ orgUnitIds: string[]; personId: string | null }> {
    const entityId = record.entityId ?? null;
    const units = [...(record.orgUnitIds ?? []), record.entityType === 'org_unit' ? entityId : null].filter((u): u is string => !!u && UUID.test(u));
    const personId = record.personId ?? (record.entityType === 'person' && entityId && UUID.test(entityId) ? entityId : null);
    const userId = record.userId ?? (record.entityType === 'user' && entityId && UUID.test(entityId) ? entityId : null);
    if (!personId && !userId) return { orgUnitIds: [...new Set(units)], personId: null };
    const [row] = (await manager.query(
      `WITH who AS (SELECT COALESCE($2::uuid, (SELECT person_id FROM users WHERE id = $3::uuid)) AS person_id)
       SELECT (SELECT person_id FROM who) AS person_id,
              ARRAY(SELECT DISTINCT x FROM (
                SELECT unnest($1::uuid[]) AS x
                UNION ALL SELECT p.org_unit_id FROM people p WHERE p.id = (SELECT person_id FROM who)
                UNION ALL SELECT g.org_unit_id FROM role_grants g WHERE g.user_id = $3::uuid
              ) s WHERE x IS NOT NULL) AS units`,
      [units, personId, userId],
    )) as Array<{ person_id: string | null; units: string[] }>;
    return { orgUnitIds: row.units, personId: row.person_id };
  }

  /**
   * The audit log, newest first: events concerning a unit of the caller's admin scope; events placed nowhere only
   * for deployment-wide admins.
   */
  async list(actor: Actor, query: AuditQuery): Promise<Page<AuditEvent>> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? DEFAULT_PAGE_SIZE;
    const scope = await adminScope(this.events.manager, actor);
    if (!scope.all && scope.patterns.length === 0) return { items: [], total: 0, page, pageSize };
    const qb = this.events.createQueryBuilder('e').orderBy('e.id', 'DESC').skip((page - 1) * pageSize).take(pageSize);
    if (!scope.all) {
      qb.andWhere('e.org_unit_ids && ARRAY(SELECT u.id FROM org_units u WHERE u.path LIKE ANY(CAST(:patterns AS text[])))', { patterns: scope.patterns });
    }
    if (query.action) qb.andWhere('e.action = :action', { action: query.action });
    if (query.entityType) qb.andWhere('e.entity_type = :entityType', { entityType: query.entityType });
    if (query.entityId) qb.andWhere('e.entity_id = :entityId', { entityId: query.entityId });
    const [rows, total] = await qb.getManyAndCount();
    return {
      items: rows.map((e) => ({
        id: e.id,
        occurredAt: e.occurredAt.toISOString(),
        actorUserId: e.actorUserId,
        actorUsername: e.actorUsername,
        action: e.action,
        entityType: e.entityType,
        entityId: e.entityId,
        before: e.before,
        after: e.after,
        ip: e.ip,
      })),
      total,
      page,
      pageSize,
    };
  }
}
