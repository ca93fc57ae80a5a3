import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource, EntityManager } from 'typeorm';
import {
  AuditAction,
  DEFAULT_PAGE_SIZE,
  ErrorCode,
  JobName,
  Page,
  PersonDetail,
  PersonSummary,
  QueueName,
  Role,
  STAFF_READER_ROLES,
} from '@dxtrain/shared/contracts';
import { foldVietnamese, normaliseName, vietnameseNameSortKey } from '@dxtrain/shared/vietnamese';
import { AuditService } from '@dxtrain/server/audit';
import { likeEscape, OrganisationService, OrgUnitEntity, coversWithHistory } from '@dxtrain/server/organisation';
import { Actor, DomainException, isPgError, PG_UNIQUE_VIOLATION } from '@dxtrain/server/platform';
import { CreatePersonDto, StaffQueryDto, UpdatePersonDto } from './dto/person.dto';
import { PersonEntity } from './person.entity';

/** Roles that may add and edit staff in their subtree. */
export const STAFF_EDITOR_ROLES: readonly Role[] = [Role.Admin, Role.Organiser, Role.UnitManager];

interface PersonRow {
  id: string;
  staff_code: string;
  full_name: string;
  email: string | null;
  phone: string | null;
  org_unit_id: string;
  unit_name: string;
  unit_code: string;
  position: string | null;
  network_category: PersonSummary['networkCategory'];
  is_focal_point: boolean;
  active: boolean;
  username: string | null;
  deactivated_at?: Date | null;
  created_at?: Date;
  updated_at?: Date;
}

// The staff list is the registry's hot path (hundreds of thousands of rows at national scale),
// so it is one hand-written query: scope by unit path prefix, search on the folded text,
// order by the Vietnamese sort key with an index-friendly COLLATE "C".
const SELECT_PERSON = `
  SELECT p.id, p.staff_code, p.full_name, p.email, p.phone, p.org_unit_id, u.name AS unit_name, u.code AS unit_code,
         p.position, p.network_category, p.is_focal_point, p.active, p.deactivated_at, p.created_at, p.updated_at,
         acc.username
    FROM people p
    JOIN org_units u ON u.id = p.org_unit_id
    LEFT JOIN users acc ON acc.person_id = p.id`;

function toSummary(r: PersonRow): PersonSummary {
  return {
    id: r.id,
    staffCode: r.staff_code,
    fullName: r.full_name,
    email: r.email,
    phone: r.phone,
    orgUnitId: r.org_unit_id,
    orgUnitName: r.unit_name,
    orgUnitCode: r.unit_code,
    position: r.position,
    networkCategory: r.network_category,
    isFocalPoint: r.is_focal_point,
    active: r.active,
    hasAccount: r.username !== null,
  };
}

function toDetail(r: PersonRow): PersonDetail {
  return {
    ...toSummary(r),
    deactivatedAt: r.deactivated_at ? r.deactivated_at.toISOString() : null,
    createdAt: (r.created_at as Date).toISOString(),
    updatedAt: (r.updated_at as Date).toISOString(),
    username: r.username,
  };
}

function snapshot(p: PersonEntity) {
  return {
    staffCode: p.staffCode,
    fullName: p.fullName,
    email: p.email,
    phone: p.phone,
    orgUnitId: p.orgUnitId,
    position: p.position,
    networkCategory: p.networkCategory,
    isFocalPoint: p.isFocalPoint,
    active: p.active,
  };
}

function derived(p: Pick<PersonEntity, 'fullName' | 'staffCode' | 'email'>) {
  return {
    searchText: foldVietnamese(`${p.fullName} ${p.staffCode} ${p.email ?? ''}`),
    sortKey: vietnameseNameSortKey(p.fullName),
  };
}

/** The staff registry (the DX network): scoped reads and audited changes. */
@Injectable()
export class PeopleService {
  private readonly logger = new Logger(PeopleService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly organisation: OrganisationService,
    private readonly audit: AuditService,
    @InjectQueue(QueueName.Events) private readonly events: Queue,
  ) {}

  /**
   * After commit: tells the other domains (audience rules) that these people changed. A lost event
   * is caught up by the periodic rule sweep, so a Redis hiccup never fails the change itself.
   */
  private async changed(personIds: string[]): Promise<void> {
    await this.events.add(JobName.PeopleChanged, { personIds }, { removeOnComplete: 1000, removeOnFail: 5000 }).catch((e: Error) => this.logger.warn(`people.changed not published: ${e.message}`));
  }

  async list(actor: Actor, query: StaffQueryDto): Promise<Page<PersonSummary>> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? DEFAULT_PAGE_SIZE;
    let scopes: string[];
    if (query.unitId) {
      const unit = await this.db.getRepository(OrgUnitEntity).findOneBy({ id: query.unitId });
      if (!unit) throw DomainException.notFound(ErrorCode.OrgUnitNotFound);
      // A former unit is readable by whoever holds what it became (its staff moved there; those left behind are listed).
      if (!(await coversWithHistory(this.db, actor, unit, STAFF_READER_ROLES))) throw DomainException.forbidden(ErrorCode.GrantOutOfScope);
      scopes = [unit.path];
    } else {
      scopes = actor.scopePaths(STAFF_READER_ROLES);
    }
    if (scopes.length === 0) throw DomainException.forbidden();

    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const where: string[] = [`(${scopes.map((s) => `u.path LIKE ${p(likeEscape(s) + '%')}`).join(' OR ')})`];
    const needle = query.q ? foldVietnamese(query.q) : '';
    if (needle) where.push(`p.search_text LIKE ${p('%' + likeEscape(needle) + '%')}`);
    if (query.category) where.push(`p.network_category = ${p(query.category)}`);
    const active = query.active ?? 'true';
    if (active !== 'all') where.push(`p.active = ${p(active === 'true')}`);
    const filter = where.join(' AND ');

    const [rows, [{ total }]] = await Promise.all([
      this.db.query(`${SELECT_PERSON} WHERE ${filter} ORDER BY p.sort_key, p.id LIMIT ${p(pageSize)} OFFSET ${p((page - 1) * pageSize)}`, params),
      this.db.query(`SELECT COUNT(*)::int AS total FROM people p JOIN org_units u ON u.id = p.org_unit_id WHERE ${filter}`, params.slice(0, -2)),
    ]);
    return { items: (rows as PersonRow[]).map(toSummary), total, page, pageSize };
  }

  private async findRow(id: string): Promise<(PersonRow & { unit_path: string }) | undefined> {
    const rows = await this.db.query(`SELECT q.*, u.path AS unit_path FROM (${SELECT_PERSON} WHERE p.id = $1) q JOIN org_units u ON u.id = q.org_unit_id`, [id]);
    return rows[0];
  }

  /** A person the actor may read: their own record, or one in their subtree. Otherwise 404. */
  async get(actor: Actor, id: string): Promise<PersonDetail> {
    const row = await this.findRow(id);
    if (!row || (actor.personId !== id && !actor.covers(row.unit_path, STAFF_READER_ROLES))) {
      throw DomainException.notFound(ErrorCode.PersonNotFound);
    }
    return toDetail(row);
  }

  /** The actor's own person record, if any (for /me). */
  async findOwn(personId: string): Promise<PersonSummary | null> {
    const row = await this.findRow(personId);
    return row ? toSummary(row) : null;
  }

  private async editableUnit(actor: Actor, unitId: string, field = 'orgUnitId'): Promise<OrgUnitEntity> {
    const unit = await this.db.getRepository(OrgUnitEntity).findOneBy({ id: unitId });
    if (!unit || !actor.covers(unit.path, STAFF_READER_ROLES)) {
      throw new DomainException(ErrorCode.OrgUnitNotFound, 400, [{ field, message: 'unknown unit' }]);
    }
    if (!actor.covers(unit.path, STAFF_EDITOR_ROLES)) throw DomainException.forbidden(ErrorCode.GrantOutOfScope);
    if (unit.validTo) throw new DomainException(ErrorCode.OrgUnitClosed, 400, [{ field, message: 'unit is closed' }]);
    return unit;
  }

  private translateUnique(err: unknown): unknown {
    if (isPgError(err, PG_UNIQUE_VIOLATION, 'UQ_people_province_staff_code')) {
      return DomainException.conflict(ErrorCode.StaffCodeTaken, [{ field: 'staffCode', message: 'staff code already exists in the province' }]);
    }
    if (isPgError(err, PG_UNIQUE_VIOLATION, 'UQ_people_province_email')) {
      return DomainException.conflict(ErrorCode.EmailTaken, [{ field: 'email', message: 'email already used' }]);
    }
    return err;
  }

  async create(actor: Actor, dto: CreatePersonDto): Promise<PersonDetail> {
    const unit = await this.editableUnit(actor, dto.orgUnitId);
    const id = await this.db
      .transaction(async (manager) => {
        const repo = manager.getRepository(PersonEntity);
        const person = repo.create({
          provinceId: unit.rootId,
          staffCode: dto.staffCode,
          fullName: normaliseName(dto.fullName),
          email: dto.email ?? null,
          phone: dto.phone ?? null,
          orgUnitId: unit.id,
          position: dto.position ?? null,
          networkCategory: dto.networkCategory ?? null,
          isFocalPoint: dto.isFocalPoint ?? false,
          active: true,
          deactivatedAt: null,
        });
        Object.assign(person, derived(person));
        await repo.insert(person);
        await this.audit.record(manager, actor, { action: AuditAction.PersonCreated, entityType: 'person', entityId: person.id, after: snapshot(person) });
        return person.id;
      })
      .catch((err) => {
        throw this.translateUnique(err);
      });
    await this.changed([id]);
    return this.get(actor, id);
  }

  private async loadEditable(manager: EntityManager, actor: Actor, id: string): Promise<PersonEntity> {
    const person = await manager.getRepository(PersonEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!person) throw DomainException.notFound(ErrorCode.PersonNotFound);
    const unit = await manager.getRepository(OrgUnitEntity).findOneByOrFail({ id: person.orgUnitId });
    if (!actor.covers(unit.path, STAFF_READER_ROLES)) throw DomainException.notFound(ErrorCode.PersonNotFound);
    if (!actor.covers(unit.path, STAFF_EDITOR_ROLES)) throw DomainException.forbidden(ErrorCode.GrantOutOfScope);
    return person;
  }

  async update(actor: Actor, id: string, dto: UpdatePersonDto): Promise<PersonDetail> {
    await this.db
      .transaction(async (manager) => {
        const person = await this.loadEditable(manager, actor, id);
        const before = snapshot(person);
        const changes = Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined)) as Partial<PersonEntity>;
        if (changes.orgUnitId && changes.orgUnitId !== person.orgUnitId) {
          const unit = await this.editableUnit(actor, changes.orgUnitId);
          changes.provinceId = unit.rootId;
        }
        if (changes.fullName) changes.fullName = normaliseName(changes.fullName);
        const next = { ...person, ...changes };
        Object.assign(changes, derived(next));
        await manager.getRepository(PersonEntity).update({ id }, changes);
        await this.audit.record(manager, actor, { action: AuditAction.PersonUpdated, entityType: 'person', entityId: id, before, after: snapshot(next), orgUnitIds: [person.orgUnitId] });
      })
      .catch((err) => {
        throw this.translateUnique(err);
      });
    if (dto.orgUnitId !== undefined || dto.networkCategory !== undefined || dto.position !== undefined) await this.changed([id]);
    return this.get(actor, id);
  }

  /** Deactivation keeps the person and their training history; there is no hard delete. */
  async setActive(actor: Actor, id: string, active: boolean): Promise<PersonDetail> {
    await this.db.transaction(async (manager) => {
      const person = await this.loadEditable(manager, actor, id);
      if (person.active === active) return;
      const before = snapshot(person);
      const deactivatedAt = active ? null : new Date();
      await manager.getRepository(PersonEntity).update({ id }, { active, deactivatedAt });
      await this.audit.record(manager, actor, {
        action: active ? AuditAction.PersonReactivated : AuditAction.PersonDeactivated,
        entityType: 'person',
        entityId: id,
        before,
        after: { ...before, active },
      });
    });
    if (active) await this.changed([id]);
    return this.get(actor, id);
  }
}
