import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource, EntityManager } from 'typeorm';
import {
  AudienceRule,
  CourseCompletedEvent,
  ENROLMENT_MANAGER_ROLES,
  EnrolmentItem,
  EnrolmentSource,
  EnrolmentStatus,
  ErrorCode,
  JobName,
  Page,
  QueueName,
} from '@dxtrain/shared/contracts';
import { foldVietnamese, trainingYearOf } from '@dxtrain/shared/vietnamese';
import { AuditService } from '@dxtrain/server/audit';
import { Actor, DomainException } from '@dxtrain/server/platform';
import { CreateAudienceRuleDto, EnrolDto, EnrolmentQueryDto, SelfEnrolDto, UpdateAudienceRuleDto } from './dto/enrolment.dto';
import { AudienceRuleEntity, EnrolmentEntity } from './enrolment.entity';
import { writeEnrolmentNotices } from './import/import.pipeline';

interface EnrolmentRow {
  id: string;
  person_id: string;
  staff_code: string;
  full_name: string;
  org_unit_id: string;
  unit_name: string;
  course_id: string;
  course_code: string;
  course_title: string;
  training_year: number;
  source: EnrolmentSource;
  status: EnrolmentStatus;
  in_progress: boolean;
  due_date: string | null;
  created_at: Date;
  completed_at: Date | null;
  withdrawn_at: Date | null;
}

const SELECT_ENROLMENT = `
  SELECT e.id, e.person_id, p.staff_code, p.full_name, p.org_unit_id, u.name AS unit_name, e.course_id, c.code AS course_code,
         v.title AS course_title, e.training_year, e.source, e.status, e.due_date::text AS due_date, e.created_at, e.completed_at, e.withdrawn_at,
         (cp.id IS NOT NULL AND cp.completed_at IS NULL) AS in_progress
    FROM enrolments e
    JOIN people p ON p.id = e.person_id
    JOIN org_units u ON u.id = p.org_unit_id
    JOIN courses c ON c.id = e.course_id
    JOIN course_versions v ON v.id = COALESCE(c.published_version_id, c.draft_version_id)
    LEFT JOIN course_progress cp ON cp.person_id = e.person_id AND cp.course_id = e.course_id`;

function toItem(r: EnrolmentRow): EnrolmentItem {
  const status = r.status === EnrolmentStatus.Enrolled && r.in_progress ? EnrolmentStatus.InProgress : r.status;
  return {
    id: r.id,
    personId: r.person_id,
    staffCode: r.staff_code,
    fullName: r.full_name,
    orgUnitId: r.org_unit_id,
    orgUnitName: r.unit_name,
    courseId: r.course_id,
    courseCode: r.course_code,
    courseTitle: r.course_title,
    trainingYear: r.training_year,
    source: r.source,
    status,
    dueDate: r.due_date,
    enrolledAt: r.created_at.toISOString(),
    completedAt: r.completed_at?.toISOString() ?? null,
    withdrawnAt: r.withdrawn_at?.toISOString() ?? null,
  };
}

/** Enrolments (manual, self, rules) and their life cycle. Bulk imports are in EnrolmentImportService. */
@Injectable()
export class EnrolmentService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectQueue(QueueName.Enrolment) private readonly queue: Queue,
    @InjectQueue(QueueName.Notifications) private readonly notifications: Queue,
    private readonly audit: AuditService,
  ) {}

  /** Enrolments visible to the actor: managers see their subtree; anyone sees their own. */
  async list(actor: Actor, q: EnrolmentQueryDto): Promise<Page<EnrolmentItem>> {
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const where: string[] = [];
    const scopes = actor.scopePaths(ENROLMENT_MANAGER_ROLES);
    const own = actor.personId ? `e.person_id = ${p(actor.personId)}` : 'false';
    where.push(scopes.length ? `(${scopes.map((s) => `u.path LIKE ${p(s + '%')}`).join(' OR ')} OR ${own})` : own);
    if (q.courseId) where.push(`e.course_id = ${p(q.courseId)}`);
    if (q.year) where.push(`e.training_year = ${p(q.year)}`);
    if (q.personId) where.push(`e.person_id = ${p(q.personId)}`);
    if (q.unitId) {
      const [unit] = (await this.db.query('SELECT path FROM org_units WHERE id = $1', [q.unitId])) as Array<{ path: string }>;
      if (!unit) throw DomainException.notFound(ErrorCode.OrgUnitNotFound);
      where.push(`u.path LIKE ${p(unit.path + '%')}`);
    }
    if (q.status === EnrolmentStatus.InProgress) where.push(`e.status = 'enrolled' AND cp.id IS NOT NULL AND cp.completed_at IS NULL`);
    else if (q.status === EnrolmentStatus.Enrolled) where.push(`e.status = 'enrolled' AND (cp.id IS NULL OR cp.completed_at IS NOT NULL)`);
    else if (q.status) where.push(`e.status = ${p(q.status)}`);
    if (q.q) where.push(`p.search_text LIKE ${p('%' + foldVietnamese(q.q).replace(/[\\%_]/g, (m) => '\\' + m) + '%')}`);
    const sql = `${SELECT_ENROLMENT} WHERE ${where.join(' AND ')}`;
    const pageSize = q.pageSize ?? 50;
    const page = q.page ?? 1;
    const [{ total }] = (await this.db.query(`SELECT count(*)::int AS total FROM (${sql}) x`, params)) as Array<{ total: number }>;
    const rows = (await this.db.query(`${sql} ORDER BY p.sort_key COLLATE "C", c.code LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`, params)) as EnrolmentRow[];
    return { items: rows.map(toItem), total, page, pageSize };
  }

  /** Manual enrolment by an organiser or unit manager whose grant covers the person's unit. */
  async enrol(actor: Actor, dto: EnrolDto): Promise<EnrolmentItem> {
    const person = await this.personInScope(actor, dto.personId);
    await this.publishedCourse(dto.courseId);
    return this.create(actor, person.id, dto.courseId, dto.year ?? trainingYearOf(), EnrolmentSource.Manual, dto.dueDate ?? null);
  }

  /** A learner enrols themself in a published course meant for them (open audience or their category). */
  async selfEnrol(actor: Actor, dto: SelfEnrolDto): Promise<EnrolmentItem> {
    if (!actor.personId) throw DomainException.forbidden(ErrorCode.NoPersonRecord);
    const course = await this.publishedCourse(dto.courseId);
    const [person] = (await this.db.query('SELECT network_category, active FROM people WHERE id = $1', [actor.personId])) as Array<{ network_category: string | null; active: boolean }>;
    const audience = course.audience_categories ?? [];
    if (!person?.active || (audience.length > 0 && !audience.includes(person.network_category ?? ''))) {
      throw DomainException.forbidden(ErrorCode.SelfEnrolmentClosed);
    }
    return this.create(actor, actor.personId, dto.courseId, trainingYearOf(), EnrolmentSource.Self, null);
  }

  /**
   * The course's audience (catalog: the owner unit's subtree, named units, or everyone) must include the person: no one
   * is enrolled, by themselves or by a manager, into a course that is not for them (it does not exist for them: 404).
   */
  private async assertInAudience(personId: string, courseId: string): Promise<void> {
    const [row] = (await this.db.query(
      `SELECT 1 FROM courses c JOIN org_units o ON o.id = c.owner_unit_id, people p JOIN org_units pu ON pu.id = p.org_unit_id
        WHERE c.id = $1 AND p.id = $2
          AND (c.audience_scope = 'everyone'
               OR (c.audience_scope = 'subtree' AND pu.path LIKE o.path || '%')
               OR (c.audience_scope = 'units' AND EXISTS (SELECT 1 FROM org_units a WHERE a.id = ANY(c.audience_unit_ids) AND pu.path LIKE a.path || '%'))
               OR EXISTS (SELECT 1 FROM course_progress cp WHERE cp.course_id = c.id AND cp.person_id = p.id))`,
      [courseId, personId],
    )) as unknown[];
    if (!row) throw DomainException.notFound(ErrorCode.CourseNotFound);
  }

  private async create(actor: Actor, personId: string, courseId: string, year: number, source: EnrolmentSource, dueDate: string | null): Promise<EnrolmentItem> {
    await this.assertInAudience(personId, courseId);
    const id = await this.db.transaction(async (tx) => {
      const [row] = (await tx.query(
        `INSERT INTO enrolments (person_id, course_id, training_year, source, status, due_date, enrolled_by)
         VALUES ($1, $2, $3, $4, 'enrolled', $5, $6)
         ON CONFLICT (person_id, course_id, training_year) DO NOTHING RETURNING id`,
        [personId, courseId, year, source, dueDate, source === EnrolmentSource.Self ? null : actor.userId],
      )) as Array<{ id: string }>;
      if (!row) throw DomainException.conflict(ErrorCode.EnrolmentExists);
      await writeEnrolmentNotices(tx, [row.id]);
      await this.audit.record(tx, actor, { action: 'enrolment.created', entityType: 'enrolment', entityId: row.id, after: { personId, courseId, year, source, dueDate }, personId });
      return row.id;
    });
    await this.notifications.add(JobName.NotificationsFlush, {});
    return this.get(id);
  }

  async withdraw(actor: Actor, id: string): Promise<EnrolmentItem> {
    const e = await this.db.getRepository(EnrolmentEntity).findOneBy({ id });
    if (!e) throw DomainException.notFound(ErrorCode.EnrolmentNotFound);
    if (e.personId !== actor.personId) await this.personInScope(actor, e.personId, ErrorCode.EnrolmentNotFound);
    if (e.status === EnrolmentStatus.Withdrawn || e.status === EnrolmentStatus.Completed) return this.get(id);
    await this.db.transaction(async (tx) => {
      await tx.query(`UPDATE enrolments SET status = 'withdrawn', withdrawn_at = now(), updated_at = now() WHERE id = $1`, [id]);
      await this.audit.record(tx, actor, { action: 'enrolment.withdrawn', entityType: 'enrolment', entityId: id, before: { status: e.status }, personId: e.personId });
    });
    return this.get(id);
  }

  async get(id: string): Promise<EnrolmentItem> {
    const [row] = (await this.db.query(`${SELECT_ENROLMENT} WHERE e.id = $1`, [id])) as EnrolmentRow[];
    if (!row) throw DomainException.notFound(ErrorCode.EnrolmentNotFound);
    return toItem(row);
  }

  /** Consumer of `course.completed`: the matching enrolment (or a self one) becomes completed. */
  async onCourseCompleted(event: CourseCompletedEvent): Promise<void> {
    await this.db.query(
      `INSERT INTO enrolments (person_id, course_id, training_year, source, status, completed_at)
       VALUES ($1, $2, $3, 'self', 'completed', $4)
       ON CONFLICT (person_id, course_id, training_year)
       DO UPDATE SET status = 'completed', completed_at = EXCLUDED.completed_at, withdrawn_at = NULL, updated_at = now()
       WHERE enrolments.status <> 'completed'`,
      [event.personId, event.courseId, event.trainingYear, event.completedAt],
    );
  }

  // ---- audience rules -------------------------------------------------------------------

  async listRules(actor: Actor, courseId?: string): Promise<AudienceRule[]> {
    const scopes = actor.scopePaths(ENROLMENT_MANAGER_ROLES);
    if (scopes.length === 0) return [];
    const params: unknown[] = [scopes.map((s) => s + '%')];
    let sql = `SELECT r.*, c.code AS course_code, u.name AS unit_name FROM audience_rules r
                 JOIN courses c ON c.id = r.course_id JOIN org_units u ON u.id = r.org_unit_id
                WHERE u.path LIKE ANY($1::text[])`;
    if (courseId) {
      params.push(courseId);
      sql += ` AND r.course_id = $2`;
    }
    const rows = (await this.db.query(sql + ' ORDER BY r.training_year DESC, c.code, u.name', params)) as Array<Record<string, unknown>>;
    return Promise.all(rows.map(async (r) => ({ ...this.toRule(r), matching: await this.countMatching(r['id'] as string) })));
  }

  async createRule(actor: Actor, dto: CreateAudienceRuleDto): Promise<AudienceRule> {
    await this.unitInScope(actor, dto.orgUnitId);
    await this.publishedCourse(dto.courseId);
    const rule = await this.db.transaction(async (tx) => {
      const saved = await tx.getRepository(AudienceRuleEntity).save({
        courseId: dto.courseId,
        orgUnitId: dto.orgUnitId,
        networkCategory: dto.networkCategory ?? null,
        position: dto.position?.trim() || null,
        trainingYear: dto.year ?? trainingYearOf(),
        dueDate: dto.dueDate ?? null,
        active: true,
        createdBy: actor.userId,
      });
      await this.audit.record(tx, actor, { action: 'audience_rule.created', entityType: 'audience_rule', entityId: saved.id, after: { ...dto }, orgUnitIds: [dto.orgUnitId] });
      return saved;
    });
    await this.queue.add(JobName.AudienceRulesEvaluate, { ruleId: rule.id });
    return this.getRule(rule.id);
  }

  async updateRule(actor: Actor, id: string, dto: UpdateAudienceRuleDto): Promise<AudienceRule> {
    const repo = this.db.getRepository(AudienceRuleEntity);
    const before = await repo.findOneBy({ id });
    if (!before) throw DomainException.notFound(ErrorCode.AudienceRuleNotFound);
    await this.unitInScope(actor, before.orgUnitId, ErrorCode.AudienceRuleNotFound);
    if (dto.orgUnitId) await this.unitInScope(actor, dto.orgUnitId);
    await this.db.transaction(async (tx) => {
      await tx.getRepository(AudienceRuleEntity).update(id, {
        ...(dto.orgUnitId ? { orgUnitId: dto.orgUnitId } : {}),
        ...(dto.networkCategory !== undefined ? { networkCategory: dto.networkCategory } : {}),
        ...(dto.position !== undefined ? { position: dto.position?.trim() || null } : {}),
        ...(dto.dueDate !== undefined ? { dueDate: dto.dueDate } : {}),
        ...(dto.active !== undefined ? { active: dto.active } : {}),
      });
      await this.audit.record(tx, actor, { action: 'audience_rule.updated', entityType: 'audience_rule', entityId: id, before: { ...before }, after: { ...dto }, orgUnitIds: [before.orgUnitId, dto.orgUnitId] });
    });
    await this.queue.add(JobName.AudienceRulesEvaluate, { ruleId: id });
    return this.getRule(id);
  }

  async getRule(id: string): Promise<AudienceRule> {
    const [r] = (await this.db.query(
      `SELECT r.*, c.code AS course_code, u.name AS unit_name FROM audience_rules r
         JOIN courses c ON c.id = r.course_id JOIN org_units u ON u.id = r.org_unit_id WHERE r.id = $1`,
      [id],
    )) as Array<Record<string, unknown>>;
    if (!r) throw DomainException.notFound(ErrorCode.AudienceRuleNotFound);
    return { ...this.toRule(r), matching: await this.countMatching(id) };
  }

  /**
   * Enrols everyone an active rule (or one rule) matches and is not yet enrolled for that course and
   * year, in one statement per rule. `people` narrows it to some people, or to everyone under some
   * units (after people join, move or change category). People who stop matching keep their
   * enrolment and its history. Idempotent.
   */
  async evaluateRules(ruleId?: string, people: { personIds?: string[]; unitIds?: string[] } = {}): Promise<number> {
    let total = 0;
    const narrowed = people.personIds?.length || people.unitIds?.length;
    await this.db.transaction(async (tx) => {
      const rules = (await tx.query(`SELECT id FROM audience_rules WHERE active ${ruleId ? 'AND id = $1' : ''}`, ruleId ? [ruleId] : [])) as Array<{ id: string }>;
      for (const r of rules) {
        const inserted = (await tx.query(
          `INSERT INTO enrolments (person_id, course_id, training_year, source, status, due_date, rule_id)
           SELECT p.id, r.course_id, r.training_year, 'rule', 'enrolled', r.due_date, r.id ${matchingFrom('$1')}
           ${narrowed ? `AND (p.id = ANY($2::uuid[]) OR u.path LIKE ANY (SELECT x.path || '%' FROM org_units x WHERE x.id = ANY($3::uuid[])))` : ''}
           ON CONFLICT (person_id, course_id, training_year) DO NOTHING
           RETURNING id`,
          narrowed ? [r.id, people.personIds ?? [], people.unitIds ?? []] : [r.id],
        )) as Array<{ id: string }>;
        if (inserted.length) await writeEnrolmentNotices(tx, inserted.map((x) => x.id));
        total += inserted.length;
      }
    });
    if (total > 0) await this.notifications.add(JobName.NotificationsFlush, {});
    return total;
  }

  private async countMatching(ruleId: string): Promise<number> {
    const [{ n }] = (await this.db.query(`SELECT count(*)::int AS n ${matchingFrom('$1')}`, [ruleId])) as Array<{ n: number }>;
    return n;
  }

  private toRule(r: Record<string, unknown>): AudienceRule {
    return {
      id: r['id'] as string,
      courseId: r['course_id'] as string,
      courseCode: r['course_code'] as string,
      orgUnitId: r['org_unit_id'] as string,
      orgUnitName: r['unit_name'] as string,
      networkCategory: (r['network_category'] as AudienceRule['networkCategory']) ?? null,
      position: (r['position'] as string) ?? null,
      trainingYear: r['training_year'] as number,
      dueDate: r['due_date'] ? String(r['due_date']).slice(0, 10) : null,
      active: r['active'] as boolean,
      createdAt: (r['created_at'] as Date).toISOString(),
    };
  }

  private async personInScope(actor: Actor, personId: string, notFound = ErrorCode.PersonNotFound): Promise<{ id: string }> {
    const [row] = (await this.db.query('SELECT p.id, u.path, p.active FROM people p JOIN org_units u ON u.id = p.org_unit_id WHERE p.id = $1', [personId])) as Array<{
      id: string;
      path: string;
      active: boolean;
    }>;
    if (!row) throw DomainException.notFound(notFound);
    if (!actor.covers(row.path, ENROLMENT_MANAGER_ROLES)) {
      // Out of scope reads as not found for lookups, forbidden for an explicit person id.
      throw notFound === ErrorCode.PersonNotFound ? DomainException.forbidden(ErrorCode.PersonOutOfScope) : DomainException.notFound(notFound);
    }
    if (!row.active) throw DomainException.badRequest(ErrorCode.PersonInactive);
    return row;
  }

  private async unitInScope(actor: Actor, unitId: string, notFound = ErrorCode.OrgUnitNotFound): Promise<void> {
    const [row] = (await this.db.query('SELECT path FROM org_units WHERE id = $1', [unitId])) as Array<{ path: string }>;
    if (!row) throw DomainException.notFound(notFound);
    if (!actor.covers(row.path, ENROLMENT_MANAGER_ROLES)) {
      throw notFound === ErrorCode.OrgUnitNotFound ? DomainException.forbidden(ErrorCode.GrantOutOfScope) : DomainException.notFound(notFound);
    }
  }

  private async publishedCourse(courseId: string, manager: EntityManager = this.db.manager): Promise<{ id: string; audience_categories: string[] | null }> {
    const [c] = (await manager.query(
      `SELECT c.id, c.status, v.audience_categories FROM courses c LEFT JOIN course_versions v ON v.id = c.published_version_id WHERE c.id = $1`,
      [courseId],
    )) as Array<{ id: string; status: string; audience_categories: string[] | null }>;
    if (!c) throw DomainException.notFound(ErrorCode.CourseNotFound);
    if (c.status !== 'published') throw DomainException.badRequest(ErrorCode.CourseNotAvailable);
    return c;
  }
}

/** FROM … WHERE of the active people a rule matches (subtree, category, position ignoring case). */
function matchingFrom(ruleParam: string): string {
  return `FROM audience_rules r
          JOIN org_units ru ON ru.id = r.org_unit_id
          JOIN org_units u ON u.path LIKE ru.path || '%'
          JOIN people p ON p.org_unit_id = u.id AND p.active
         WHERE r.id = ${ruleParam}
           AND (r.network_category IS NULL OR p.network_category = r.network_category)
           AND (r.position IS NULL OR lower(p.position) = lower(r.position))`;
}
