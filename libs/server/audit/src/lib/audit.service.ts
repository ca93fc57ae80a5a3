import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { AuditEvent, DEFAULT_PAGE_SIZE, Page } from '@dxtrain/shared/contracts';
import { AuditEventEntity } from './audit-event.entity';

export interface AuditRecord {
  action: string;
  entityType: string;
  entityId?: string | null;
  before?: object | null;
  after?: object | null;
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

/**
 * Writes audit events inside the caller's transaction (pass its EntityManager), so a change and
 * its audit record are committed or rolled back together.
 */
@Injectable()
export class AuditService {
  constructor(@InjectRepository(AuditEventEntity) private readonly events: Repository<AuditEventEntity>) {}

  async record(manager: EntityManager | null, actor: AuditActor | null, record: AuditRecord): Promise<void> {
    const repo = manager ? manager.getRepository(AuditEventEntity) : this.events;
    const event = repo.create({
      actorUserId: actor?.userId ?? null,
      actorUsername: actor?.username ?? null,
      ip: actor?.ip ?? null,
      action: record.action,
      entityType: record.entityType,
      entityId: record.entityId ?? null,
      before: (record.before as Record<string, unknown>) ?? null,
      after: (record.after as Record<string, unknown>) ?? null,
    });
    await repo.save(event, { reload: false });
  }

  async list(query: AuditQuery): Promise<Page<AuditEvent>> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? DEFAULT_PAGE_SIZE;
    const qb = this.events.createQueryBuilder('e').orderBy('e.id', 'DESC').skip((page - 1) * pageSize).take(pageSize);
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
