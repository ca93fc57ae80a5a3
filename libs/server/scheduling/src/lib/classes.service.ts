import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource, EntityManager } from 'typeorm';
import {
  CLASS_NOMINATOR_ROLES,
  CLASS_ORGANISER_ROLES,
  ClassApproval,
  ClassItem,
  ClassRegistrationItem,
  ClassSessionItem,
  ClassStatus,
  ErrorCode,
  JobName,
  QueueName,
  RegistrationSource,
  RegistrationStatus,
  ScheduleConflict,
} from '@dxtrain/shared/contracts';
import { AuditService } from '@dxtrain/server/audit';
import { writeOutboxMessages } from '@dxtrain/server/enrolment';
import { Actor, DomainException } from '@dxtrain/server/platform';
import { findConflicts, firstInvalidSession, TimeSpan } from './conflicts';
import { ClassStatusDto, CreateClassDto, RegisterDto, SessionDto, TrainerDto, UpdateClassDto } from './dto/scheduling.dto';
import { InviteService } from './invite.service';
import { StoredClassStatus } from './scheduling.entity';

/** A class row with what scope checks need. */
export interface ClassRow {
  id: string;
  title: string;
  course_id: string | null;
  mode: string;
  org_unit_id: string;
  unit_path: string;
  unit_name: string;
  root_id: string;
  room: string | null;
  address: string | null;
  meeting_url: string | null;
  capacity: number;
  registration_opens_at: Date | null;
  registration_closes_at: Date | null;
  self_registration: boolean;
  approval: ClassApproval;
  target_audience: string;
  audience_categories: string[];
  periods: number;
  min_sessions: number | null;
  refuse_conflicts: boolean;
  status: StoredClassStatus;
}

const SELECT_CLASS = `
  SELECT k.*, u.path AS unit_path, u.name AS unit_name, u.root_id
    FROM training_classes k JOIN org_units u ON u.id = k.org_unit_id`;

/** Statuses an organiser may move a class to, from each stored status. */
const TRANSITIONS: Record<StoredClassStatus, StoredClassStatus[]> = {
  draft: ['open', 'cancelled'],
  open: ['closed', 'completed', 'cancelled'],
  closed: ['open', 'completed', 'cancelled'],
  completed: [],
  cancelled: [],
};

const ACTIVE = `('pending_approval', 'confirmed', 'waitlisted')`;

/** Classes, their sessions and trainers, registrations with capacity and waitlist. */
@Injectable()
export class ClassesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectQueue(QueueName.Notifications) private readonly notifications: Queue,
    private readonly audit: AuditService,
    private readonly invites: InviteService,
  ) {}

  // ---- reading ---------------------------------------------------------------------------

  async row(id: string, manager: EntityManager = this.db.manager, lock = false): Promise<ClassRow | null> {
    // One statement: the row lock (when asked) and the class with its unit.
    const [r] = (await manager.query(`${SELECT_CLASS} WHERE k.id = $1${lock ? ' FOR UPDATE OF k' : ''}`, [id])) as ClassRow[];
    return r ?? null;
  }

  canManage(actor: Actor, c: ClassRow): boolean {
    return actor.covers(c.unit_path, CLASS_ORGANISER_ROLES);
  }

  /** Someone of the class's province (any grant there, or their own unit there) may see it. */
  private async canSee(actor: Actor, c: ClassRow): Promise<boolean> {
    if (this.canManage(actor, c)) return true;
    if (actor.grants.some((g) => g.path.startsWith(`/${c.root_id}/`))) return true;
    if (!actor.personId) return false;
    const [p] = (await this.db.query(`SELECT u.root_id FROM people p JOIN org_units u ON u.id = p.org_unit_id WHERE p.id = $1`, [actor.personId])) as Array<{ root_id: string }>;
    return p?.root_id === c.root_id;
  }

  /** The class if the actor manages it; out of scope reads as not found. */
  async managed(actor: Actor, id: string, manager?: EntityManager, lock = false): Promise<ClassRow> {
    const c = await this.row(id, manager, lock);
    if (!c || !this.canManage(actor, c)) throw DomainException.notFound(ErrorCode.ClassNotFound);
    return c;
  }

  async visible(actor: Actor, id: string): Promise<ClassRow> {
    const c = await this.row(id);
    if (!c || !(await this.canSee(actor, c))) throw DomainException.notFound(ErrorCode.ClassNotFound);
    return c;
  }

  async get(actor: Actor, id: string): Promise<ClassItem> {
    const c = await this.visible(actor, id);
    return (await this.items(actor, [c]))[0];
  }

  /**
   * Classes the actor manages (organiser/admin subtree) plus, for nominators, the open classes of
   * their provinces. Optionally only those with a session in [from, to).
   */
  async list(actor: Actor, q: { from?: string; to?: string; status?: string }): Promise<ClassItem[]> {
    const manage = actor.scopePaths(CLASS_ORGANISER_ROLES);
    const roots = [...new Set(actor.scopePaths(CLASS_NOMINATOR_ROLES).map((p) => p.split('/')[1]))];
    if (manage.length === 0 && roots.length === 0) throw DomainException.forbidden(ErrorCode.Forbidden);
    const params: unknown[] = [manage.map((p) => p + '%'), roots];
    let sql = `${SELECT_CLASS} WHERE (u.path LIKE ANY($1::text[]) OR (u.root_id = ANY($2::uuid[]) AND k.status = 'open'))`;
    if (q.from || q.to) {
      params.push(q.from ?? '1970-01-01', q.to ?? '9999-01-01');
      sql += ` AND EXISTS (SELECT 1 FROM class_sessions s WHERE s.class_id = k.id AND s.ends_at > $3 AND s.starts_at < $4)`;
    }
    const rows = (await this.db.query(
      `${sql} ORDER BY (SELECT min(starts_at) FROM class_sessions s WHERE s.class_id = k.id) NULLS LAST, k.title LIMIT 500`,
      params,
    )) as ClassRow[];
    const items = await this.items(actor, rows);
    return q.status ? items.filter((i) => i.status === q.status) : items;
  }

  async items(actor: Actor | null, rows: ClassRow[]): Promise<ClassItem[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const sessions = (await this.db.query(
      `SELECT id, class_id, starts_at, ends_at, sequence, cancelled_at FROM class_sessions WHERE class_id = ANY($1::uuid[]) ORDER BY starts_at, id`,
      [ids],
    )) as Array<{ id: string; class_id: string; starts_at: Date; ends_at: Date; sequence: number; cancelled_at: Date | null }>;
    const trainers = (await this.db.query(`SELECT class_id, person_id, name FROM class_trainers WHERE class_id = ANY($1::uuid[]) ORDER BY name`, [ids])) as Array<{
      class_id: string;
      person_id: string | null;
      name: string;
    }>;
    const counts = (await this.db.query(
      `SELECT class_id, status, count(*)::int AS n FROM class_registrations WHERE class_id = ANY($1::uuid[]) AND status IN ${ACTIVE} GROUP BY class_id, status`,
      [ids],
    )) as Array<{ class_id: string; status: RegistrationStatus; n: number }>;
    const courses = (await this.db.query(
      `SELECT c.id, v.title FROM courses c JOIN course_versions v ON v.id = COALESCE(c.published_version_id, c.draft_version_id)
        WHERE c.id = ANY($1::uuid[])`,
      [rows.map((r) => r.course_id).filter(Boolean)],
    )) as Array<{ id: string; title: string }>;
    const count = (id: string, s: RegistrationStatus) => counts.find((c) => c.class_id === id && c.status === s)?.n ?? 0;
    return rows.map((r) => {
      const confirmed = count(r.id, RegistrationStatus.Confirmed);
      const status = r.status === 'open' && confirmed >= r.capacity ? ClassStatus.Full : (r.status as ClassStatus);
      return {
        id: r.id,
        title: r.title,
        courseId: r.course_id,
        courseTitle: courses.find((c) => c.id === r.course_id)?.title ?? null,
        mode: r.mode as ClassItem['mode'],
        orgUnitId: r.org_unit_id,
        orgUnitName: r.unit_name,
        room: r.room,
        address: r.address,
        meetingUrl: r.meeting_url,
        capacity: r.capacity,
        registrationOpensAt: r.registration_opens_at?.toISOString() ?? null,
        registrationClosesAt: r.registration_closes_at?.toISOString() ?? null,
        selfRegistration: r.self_registration,
        approval: r.approval,
        targetAudience: r.target_audience,
        audienceCategories: r.audience_categories ?? [],
        periods: r.periods,
        minSessions: r.min_sessions,
        refuseConflicts: r.refuse_conflicts,
        status,
        confirmedCount: confirmed,
        waitlistCount: count(r.id, RegistrationStatus.Waitlisted),
        pendingCount: count(r.id, RegistrationStatus.PendingApproval),
        trainers: trainers.filter((t) => t.class_id === r.id).map((t) => ({ personId: t.person_id, name: t.name })),
        sessions: sessions.filter((s) => s.class_id === r.id).map(toSession),
        canManage: actor ? this.canManage(actor, r) : false,
      };
    });
  }

  // ---- writing classes -------------------------------------------------------------------

  async create(actor: Actor, dto: CreateClassDto): Promise<ClassItem> {
    const [unit] = (await this.db.query(`SELECT path FROM org_units WHERE id = $1`, [dto.orgUnitId])) as Array<{ path: string }>;
    if (!unit) throw DomainException.notFound(ErrorCode.OrgUnitNotFound);
    if (!actor.covers(unit.path, CLASS_ORGANISER_ROLES)) throw DomainException.forbidden(ErrorCode.GrantOutOfScope);
    if (dto.courseId) await this.courseExists(dto.courseId);
    const sessions = (dto.sessions ?? []).map(toSpan);
    this.checkSessions(sessions);
    this.checkWindow(dto.registrationOpensAt ?? null, dto.registrationClosesAt ?? null);
    const trainers = await this.resolveTrainers(dto.trainers ?? []);
    const id = await this.db.transaction(async (tx) => {
      await this.refuseResourceConflicts(tx, null, sessions, trainers, dto.room ?? null, dto.mode);
      const [row] = (await tx.query(
        `INSERT INTO training_classes (title, course_id, mode, org_unit_id, room, address, meeting_url, capacity, registration_opens_at, registration_closes_at,
                                       self_registration, approval, target_audience, audience_categories, periods, min_sessions, refuse_conflicts, status, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, 'draft', $18) RETURNING id`,
        [
          dto.title,
          dto.courseId ?? null,
          dto.mode,
          dto.orgUnitId,
          dto.room || null,
          dto.address || null,
          dto.meetingUrl || null,
          dto.capacity,
          dto.registrationOpensAt ?? null,
          dto.registrationClosesAt ?? null,
          dto.selfRegistration ?? true,
          dto.approval ?? ClassApproval.None,
          dto.targetAudience ?? '',
          dto.audienceCategories ?? [],
          dto.periods ?? (await this.coursePeriods(dto.courseId ?? null)),
          dto.minSessions ?? null,
          dto.refuseConflicts ?? false,
          actor.userId,
        ],
      )) as Array<{ id: string }>;
      for (const s of sessions) await tx.query(`INSERT INTO class_sessions (class_id, starts_at, ends_at) VALUES ($1, $2, $3)`, [row.id, s.startsAt, s.endsAt]);
      for (const t of trainers) await tx.query(`INSERT INTO class_trainers (class_id, person_id, name) VALUES ($1, $2, $3)`, [row.id, t.personId, t.name]);
      await this.audit.record(tx, actor, { action: 'class.created', entityType: 'training_class', entityId: row.id, after: { ...dto }, orgUnitIds: [dto.orgUnitId] });
      return row.id;
    });
    return this.get(actor, id);
  }

  async update(actor: Actor, id: string, dto: UpdateClassDto): Promise<ClassItem> {
    if (dto.courseId) await this.courseExists(dto.courseId);
    const trainers = dto.trainers ? await this.resolveTrainers(dto.trainers) : null;
    let changedForInvitees = false;
    await this.db.transaction(async (tx) => {
      const before = await this.managed(actor, id, tx, true);
      if (before.status === 'cancelled' || before.status === 'completed') throw DomainException.badRequest(ErrorCode.ClassStatusInvalid);
      this.checkWindow(
        dto.registrationOpensAt !== undefined ? dto.registrationOpensAt : (before.registration_opens_at?.toISOString() ?? null),
        dto.registrationClosesAt !== undefined ? dto.registrationClosesAt : (before.registration_closes_at?.toISOString() ?? null),
      );
      if (dto.capacity !== undefined) {
        const [{ n }] = (await tx.query(`SELECT count(*)::int AS n FROM class_registrations WHERE class_id = $1 AND status = 'confirmed'`, [id])) as Array<{ n: number }>;
        if (dto.capacity < n) throw DomainException.badRequest(ErrorCode.CapacityBelowRegistrations, [{ field: 'capacity', message: `${n}` }]);
      }
      const room = dto.room !== undefined ? dto.room || null : before.room;
      const mode = dto.mode ?? (before.mode as CreateClassDto['mode']);
      if (trainers || dto.room !== undefined || dto.mode) {
        const sessions = await this.liveSpans(tx, id);
        await this.refuseResourceConflicts(tx, id, sessions, trainers ?? (await this.trainersOf(tx, id)), room, mode);
      }
      const set: Record<string, unknown> = {
        title: dto.title,
        course_id: dto.courseId,
        mode: dto.mode,
        room: dto.room === undefined ? undefined : dto.room || null,
        address: dto.address === undefined ? undefined : dto.address || null,
        meeting_url: dto.meetingUrl === undefined ? undefined : dto.meetingUrl || null,
        capacity: dto.capacity,
        registration_opens_at: dto.registrationOpensAt,
        registration_closes_at: dto.registrationClosesAt,
        self_registration: dto.selfRegistration,
        approval: dto.approval,
        target_audience: dto.targetAudience,
        audience_categories: dto.audienceCategories,
        periods: dto.periods,
        min_sessions: dto.minSessions,
        refuse_conflicts: dto.refuseConflicts,
      };
      const entries = Object.entries(set).filter(([, v]) => v !== undefined);
      if (entries.length) {
        await tx.query(
          `UPDATE training_classes SET ${entries.map(([k], i) => `${k} = $${i + 2}`).join(', ')}, updated_at = now() WHERE id = $1`,
          [id, ...entries.map(([, v]) => v)],
        );
      }
      if (trainers) {
        await tx.query(`DELETE FROM class_trainers WHERE class_id = $1`, [id]);
        for (const t of trainers) await tx.query(`INSERT INTO class_trainers (class_id, person_id, name) VALUES ($1, $2, $3)`, [id, t.personId, t.name]);
      }
      // What a calendar shows changed: every session's SEQUENCE goes up and invitees get the update.
      changedForInvitees = ['title', 'room', 'address', 'meetingUrl'].some((k) => (dto as Record<string, unknown>)[k] !== undefined) && before.status !== 'draft';
      if (changedForInvitees) {
        const live = (await tx.query(`UPDATE class_sessions SET sequence = sequence + 1 WHERE class_id = $1 AND cancelled_at IS NULL RETURNING id`, [id])) as [Array<{ id: string }>, number];
        await this.invites.sessionsChanged(tx, id, live[0].map((s) => s.id), 'REQUEST');
      }
      if (dto.capacity !== undefined && dto.capacity > before.capacity) await this.promote(tx, id);
      await this.audit.record(tx, actor, { action: 'class.updated', entityType: 'training_class', entityId: id, before: { ...before }, after: { ...dto }, orgUnitIds: [before.org_unit_id] });
    });
    await this.flush();
    return this.get(actor, id);
  }

  async setStatus(actor: Actor, id: string, dto: ClassStatusDto): Promise<ClassItem> {
    await this.db.transaction(async (tx) => {
      const c = await this.managed(actor, id, tx, true);
      if (!TRANSITIONS[c.status].includes(dto.status)) throw DomainException.badRequest(ErrorCode.ClassStatusInvalid, [{ field: 'status', message: `${c.status} → ${dto.status}` }]);
      if (dto.status === 'open') {
        const [{ n }] = (await tx.query(`SELECT count(*)::int AS n FROM class_sessions WHERE class_id = $1 AND cancelled_at IS NULL`, [id])) as Array<{ n: number }>;
        if (n === 0) throw DomainException.badRequest(ErrorCode.ClassHasNoSessions);
      }
      await tx.query(`UPDATE training_classes SET status = $2, updated_at = now() WHERE id = $1`, [id, dto.status]);
      if (dto.status === 'cancelled') {
        // Everyone confirmed gets METHOD:CANCEL for each session.
        const live = (await tx.query(`UPDATE class_sessions SET sequence = sequence + 1 WHERE class_id = $1 AND cancelled_at IS NULL RETURNING id`, [id])) as [Array<{ id: string }>, number];
        await this.invites.sessionsChanged(tx, id, live[0].map((s) => s.id), 'CANCEL');
      }
      await this.audit.record(tx, actor, { action: 'class.status', entityType: 'training_class', entityId: id, before: { status: c.status }, after: { status: dto.status }, orgUnitIds: [c.org_unit_id] });
    });
    await this.flush();
    return this.get(actor, id);
  }

  // ---- sessions --------------------------------------------------------------------------

  async addSession(actor: Actor, classId: string, dto: SessionDto): Promise<ClassSessionItem> {
    const span = toSpan(dto);
    this.checkSessions([span]);
    const session = await this.db.transaction(async (tx) => {
      const c = await this.managed(actor, classId, tx, true);
      if (c.status === 'cancelled' || c.status === 'completed') throw DomainException.badRequest(ErrorCode.ClassStatusInvalid);
      await this.refuseResourceConflicts(tx, classId, [span], await this.trainersOf(tx, classId), c.room, c.mode);
      const [s] = (await tx.query(`INSERT INTO class_sessions (class_id, starts_at, ends_at) VALUES ($1, $2, $3) RETURNING *`, [classId, span.startsAt, span.endsAt])) as SessionRow[];
      if (c.status !== 'draft') await this.invites.sessionsChanged(tx, classId, [s.id], 'REQUEST');
      await this.audit.record(tx, actor, { action: 'class.session_added', entityType: 'class_session', entityId: s.id, after: { ...dto }, orgUnitIds: [c.org_unit_id] });
      return s;
    });
    await this.flush();
    return toSession(session);
  }

  async updateSession(actor: Actor, sessionId: string, dto: SessionDto): Promise<ClassSessionItem> {
    const span = toSpan(dto);
    this.checkSessions([span]);
    const session = await this.db.transaction(async (tx) => {
      const before = await this.sessionRow(tx, sessionId);
      const c = await this.managed(actor, before.class_id, tx, true).catch(() => {
        throw DomainException.notFound(ErrorCode.ClassSessionNotFound);
      });
      if (before.cancelled_at) throw DomainException.badRequest(ErrorCode.ClassStatusInvalid);
      await this.refuseResourceConflicts(tx, c.id, [span], await this.trainersOf(tx, c.id), c.room, c.mode);
      const [[s]] = (await tx.query(`UPDATE class_sessions SET starts_at = $2, ends_at = $3, sequence = sequence + 1 WHERE id = $1 RETURNING *`, [
        sessionId,
        span.startsAt,
        span.endsAt,
      ])) as [SessionRow[], number];
      if (c.status !== 'draft') await this.invites.sessionsChanged(tx, c.id, [sessionId], 'REQUEST');
      await this.audit.record(tx, actor, { action: 'class.session_moved', entityType: 'class_session', entityId: sessionId, before: { ...before }, after: { ...dto }, orgUnitIds: [c.org_unit_id] });
      return s;
    });
    await this.flush();
    return toSession(session);
  }

  async cancelSession(actor: Actor, sessionId: string): Promise<ClassSessionItem> {
    const session = await this.db.transaction(async (tx) => {
      const before = await this.sessionRow(tx, sessionId);
      const c = await this.managed(actor, before.class_id, tx, true).catch(() => {
        throw DomainException.notFound(ErrorCode.ClassSessionNotFound);
      });
      if (before.cancelled_at) return before;
      const [[s]] = (await tx.query(`UPDATE class_sessions SET cancelled_at = now(), sequence = sequence + 1 WHERE id = $1 RETURNING *`, [sessionId])) as [SessionRow[], number];
      if (c.status !== 'draft') await this.invites.sessionsChanged(tx, c.id, [sessionId], 'CANCEL');
      await this.audit.record(tx, actor, { action: 'class.session_cancelled', entityType: 'class_session', entityId: sessionId, orgUnitIds: [c.org_unit_id] });
      return s;
    });
    await this.flush();
    return toSession(session);
  }

  async sessionRow(manager: EntityManager, sessionId: string): Promise<SessionRow> {
    const [s] = (await manager.query(`SELECT * FROM class_sessions WHERE id = $1`, [sessionId])) as SessionRow[];
    if (!s) throw DomainException.notFound(ErrorCode.ClassSessionNotFound);
    return s;
  }

  // ---- registrations ---------------------------------------------------------------------

  async registrations(actor: Actor, classId: string): Promise<ClassRegistrationItem[]> {
    const c = await this.visible(actor, classId);
    const manage = this.canManage(actor, c);
    const scopes = actor.scopePaths(CLASS_NOMINATOR_ROLES).map((p) => p + '%');
    // Managers of the class see everyone; nominators their own staff; learners themselves.
    const rows = (await this.db.query(
      `${SELECT_REGISTRATION} WHERE r.class_id = $1 AND ($2 OR u.path LIKE ANY($3::text[]) OR r.person_id = $4)
        ORDER BY CASE r.status WHEN 'confirmed' THEN 0 WHEN 'pending_approval' THEN 1 WHEN 'waitlisted' THEN 2 ELSE 3 END,
                 r.waitlisted_at NULLS FIRST, p.sort_key COLLATE "C"`,
      [classId, manage, scopes, actor.personId],
    )) as RegistrationRow[];
    return rows.map((r) => toRegistration(r, []));
  }

  /**
   * Registers the caller (self), a nominee of a unit manager, or anyone in scope (organiser). The
   * class row is locked for the whole transaction, so concurrent registrations are serialised and
   * the confirmed count never passes the capacity; the rest join the waitlist in order.
   */
  async register(actor: Actor, classId: string, dto: RegisterDto): Promise<ClassRegistrationItem> {
    const c0 = await this.visible(actor, classId);
    const personId = dto.personId ?? actor.personId;
    if (!personId) throw DomainException.forbidden(ErrorCode.NoPersonRecord);
    const person = await this.person(personId);
    let source: RegistrationSource;
    if (personId === actor.personId && !this.canManage(actor, c0)) source = RegistrationSource.Self;
    else if (this.canManage(actor, c0) && actor.covers(person.path, CLASS_ORGANISER_ROLES)) source = RegistrationSource.Organiser;
    else if (personId !== actor.personId && actor.covers(person.path, CLASS_NOMINATOR_ROLES)) source = RegistrationSource.Nomination;
    else if (personId === actor.personId) source = RegistrationSource.Self;
    else throw DomainException.forbidden(ErrorCode.NomineeOutOfScope);
    if (!person.active) throw DomainException.badRequest(ErrorCode.PersonInactive);
    if (person.root_id !== c0.root_id) throw DomainException.forbidden(ErrorCode.NomineeOutOfScope);

    const result = await this.db.transaction(async (tx) => {
      const c = (await this.row(classId, tx, true)) as ClassRow;
      const now = Date.now();
      if (c.status !== 'open') throw DomainException.badRequest(ErrorCode.RegistrationClosed);
      if (source !== RegistrationSource.Organiser) {
        if ((c.registration_opens_at && now < c.registration_opens_at.getTime()) || (c.registration_closes_at && now > c.registration_closes_at.getTime())) {
          throw DomainException.badRequest(ErrorCode.RegistrationClosed);
        }
      }
      if (source === RegistrationSource.Self) {
        if (!c.self_registration) throw DomainException.forbidden(ErrorCode.SelfRegistrationClosed);
        if ((c.audience_categories ?? []).length > 0 && !c.audience_categories.includes(person.network_category ?? '')) throw DomainException.forbidden(ErrorCode.SelfRegistrationClosed);
      }
      const [existing] = (await tx.query(`SELECT id FROM class_registrations WHERE class_id = $1 AND person_id = $2 AND status IN ${ACTIVE}`, [classId, personId])) as unknown[];
      if (existing) throw DomainException.conflict(ErrorCode.RegistrationExists);
      const conflicts = await this.learnerConflicts(tx, classId, personId, person.full_name);
      if (conflicts.length && c.refuse_conflicts) throw DomainException.conflict(ErrorCode.ScheduleConflict, conflicts.map(conflictDetail));
      const needsApproval = c.approval === ClassApproval.Organiser ? source !== RegistrationSource.Organiser : c.approval === ClassApproval.Manager ? source === RegistrationSource.Self : false;
      const [{ n: confirmed }] = (await tx.query(`SELECT count(*)::int AS n FROM class_registrations WHERE class_id = $1 AND status = 'confirmed'`, [classId])) as Array<{ n: number }>;
      const status = needsApproval ? RegistrationStatus.PendingApproval : confirmed < c.capacity ? RegistrationStatus.Confirmed : RegistrationStatus.Waitlisted;
      const [row] = (await tx.query(
        `INSERT INTO class_registrations (class_id, person_id, status, source, registered_by, confirmed_at, waitlisted_at)
         VALUES ($1, $2, $3::varchar, $4, $5, CASE WHEN $3::varchar = 'confirmed' THEN now() END, CASE WHEN $3::varchar = 'waitlisted' THEN clock_timestamp() END) RETURNING id`,
        [classId, personId, status, source, actor.userId],
      )) as Array<{ id: string }>;
      if (status === RegistrationStatus.Confirmed) await this.invites.confirmed(tx, row.id, 'confirmed');
      else if (status === RegistrationStatus.Waitlisted) await this.invites.notice(tx, row.id, 'waitlisted');
      else await this.invites.notice(tx, row.id, 'pending');
      await this.audit.record(tx, actor, { action: 'class.registered', entityType: 'class_registration', entityId: row.id, after: { classId, personId, source, status }, orgUnitIds: [c.org_unit_id], personId });
      return { id: row.id, conflicts };
    });
    await this.flush();
    return this.registration(result.id, result.conflicts);
  }

  /** Approve or reject a pending registration: the class's organiser, or (manager approval) the person's unit manager. */
  async decide(actor: Actor, registrationId: string, approve: boolean): Promise<ClassRegistrationItem> {
    await this.db.transaction(async (tx) => {
      const r = await this.registrationRow(tx, registrationId);
      const c = (await this.row(r.class_id, tx, true)) as ClassRow;
      const allowed = this.canManage(actor, c) || (c.approval === ClassApproval.Manager && actor.covers(r.unit_path, CLASS_NOMINATOR_ROLES));
      if (!allowed) throw DomainException.notFound(ErrorCode.RegistrationNotFound);
      const [fresh] = (await tx.query(`SELECT status FROM class_registrations WHERE id = $1`, [registrationId])) as Array<{ status: RegistrationStatus }>;
      if (fresh.status !== RegistrationStatus.PendingApproval) throw DomainException.badRequest(ErrorCode.ClassStatusInvalid);
      if (!approve) {
        await tx.query(`UPDATE class_registrations SET status = 'rejected', cancelled_at = now(), updated_at = now() WHERE id = $1`, [registrationId]);
        await this.invites.notice(tx, registrationId, 'rejected');
      } else {
        const [{ n }] = (await tx.query(`SELECT count(*)::int AS n FROM class_registrations WHERE class_id = $1 AND status = 'confirmed'`, [c.id])) as Array<{ n: number }>;
        if (n < c.capacity) {
          await tx.query(`UPDATE class_registrations SET status = 'confirmed', confirmed_at = now(), updated_at = now() WHERE id = $1`, [registrationId]);
          await this.invites.confirmed(tx, registrationId, 'confirmed');
        } else {
          await tx.query(`UPDATE class_registrations SET status = 'waitlisted', waitlisted_at = clock_timestamp(), updated_at = now() WHERE id = $1`, [registrationId]);
          await this.invites.notice(tx, registrationId, 'waitlisted');
        }
      }
      await this.audit.record(tx, actor, { action: approve ? 'class.registration_approved' : 'class.registration_rejected', entityType: 'class_registration', entityId: registrationId, orgUnitIds: [c.org_unit_id], personId: r.person_id });
    });
    await this.flush();
    return this.registration(registrationId, []);
  }

  /** The person themself, their unit manager or the organiser cancels; a freed seat goes to the waitlist's first eligible person. */
  async cancel(actor: Actor, registrationId: string): Promise<ClassRegistrationItem> {
    await this.db.transaction(async (tx) => {
      const r = await this.registrationRow(tx, registrationId);
      const c = (await this.row(r.class_id, tx, true)) as ClassRow;
      const allowed = r.person_id === actor.personId || this.canManage(actor, c) || actor.covers(r.unit_path, CLASS_NOMINATOR_ROLES);
      if (!allowed) throw DomainException.notFound(ErrorCode.RegistrationNotFound);
      const [fresh] = (await tx.query(`SELECT status FROM class_registrations WHERE id = $1`, [registrationId])) as Array<{ status: RegistrationStatus }>;
      if (fresh.status === RegistrationStatus.Cancelled || fresh.status === RegistrationStatus.Rejected) return;
      await tx.query(`UPDATE class_registrations SET status = 'cancelled', cancelled_at = now(), updated_at = now() WHERE id = $1`, [registrationId]);
      if (fresh.status === RegistrationStatus.Confirmed) {
        await this.invites.cancelledRegistration(tx, registrationId);
        await this.promote(tx, c.id);
      }
      await this.audit.record(tx, actor, { action: 'class.registration_cancelled', entityType: 'class_registration', entityId: registrationId, before: { status: fresh.status }, orgUnitIds: [c.org_unit_id], personId: r.person_id });
    });
    await this.flush();
    return this.registration(registrationId, []);
  }

  /**
   * Fills free seats from the waitlist in order with the first eligible people: still active, and
   * (when the class refuses overlaps) free at the class's times; each promoted person is told.
   * Those skipped keep their place. The caller holds the class lock.
   */
  private async promote(tx: EntityManager, classId: string): Promise<void> {
    const [c] = (await tx.query(`SELECT capacity, status, refuse_conflicts FROM training_classes WHERE id = $1`, [classId])) as Array<{ capacity: number; status: string; refuse_conflicts: boolean }>;
    if (c.status === 'cancelled' || c.status === 'completed') return;
    const [{ n }] = (await tx.query(`SELECT count(*)::int AS n FROM class_registrations WHERE class_id = $1 AND status = 'confirmed'`, [classId])) as Array<{ n: number }>;
    let free = c.capacity - n;
    if (free <= 0) return;
    const waiting = (await tx.query(
      `SELECT r.id, r.person_id, p.full_name, p.active FROM class_registrations r JOIN people p ON p.id = r.person_id
        WHERE r.class_id = $1 AND r.status = 'waitlisted' ORDER BY r.waitlisted_at, r.id`,
      [classId],
    )) as Array<{ id: string; person_id: string; full_name: string; active: boolean }>;
    for (const w of waiting) {
      if (free === 0) break;
      if (!w.active) continue;
      if (c.refuse_conflicts && (await this.learnerConflicts(tx, classId, w.person_id, w.full_name)).length > 0) continue;
      await tx.query(`UPDATE class_registrations SET status = 'confirmed', confirmed_at = now(), updated_at = now() WHERE id = $1`, [w.id]);
      await this.invites.confirmed(tx, w.id, 'promoted');
      free--;
    }
  }

  async registration(id: string, conflicts: ScheduleConflict[]): Promise<ClassRegistrationItem> {
    const [r] = (await this.db.query(`${SELECT_REGISTRATION} WHERE r.id = $1`, [id])) as RegistrationRow[];
    if (!r) throw DomainException.notFound(ErrorCode.RegistrationNotFound);
    return toRegistration(r, conflicts);
  }

  private async registrationRow(tx: EntityManager, id: string): Promise<{ id: string; class_id: string; person_id: string; unit_path: string }> {
    const [r] = (await tx.query(
      `SELECT r.id, r.class_id, r.person_id, u.path AS unit_path FROM class_registrations r JOIN people p ON p.id = r.person_id JOIN org_units u ON u.id = p.org_unit_id WHERE r.id = $1`,
      [id],
    )) as Array<{ id: string; class_id: string; person_id: string; unit_path: string }>;
    if (!r) throw DomainException.notFound(ErrorCode.RegistrationNotFound);
    return r;
  }

  private async person(id: string): Promise<{ id: string; full_name: string; active: boolean; path: string; root_id: string; network_category: string | null }> {
    const [p] = (await this.db.query(
      `SELECT p.id, p.full_name, p.active, p.network_category, u.path, u.root_id FROM people p JOIN org_units u ON u.id = p.org_unit_id WHERE p.id = $1`,
      [id],
    )) as Array<{ id: string; full_name: string; active: boolean; path: string; root_id: string; network_category: string | null }>;
    if (!p) throw DomainException.notFound(ErrorCode.PersonNotFound);
    return p;
  }

  // ---- conflicts -------------------------------------------------------------------------

  /** Sessions of other classes the person is registered to (pending, confirmed or waitlisted) overlapping this class's sessions. */
  async learnerConflicts(manager: EntityManager, classId: string, personId: string, name: string): Promise<ScheduleConflict[]> {
    const mine = await this.liveSpans(manager, classId);
    if (mine.length === 0) return [];
    const rows = (await manager.query(
      `SELECT s.id, s.class_id, k.title, s.starts_at, s.ends_at FROM class_registrations r
         JOIN training_classes k ON k.id = r.class_id AND k.status NOT IN ('cancelled')
         JOIN class_sessions s ON s.class_id = r.class_id AND s.cancelled_at IS NULL
        WHERE r.person_id = $1 AND r.status IN ${ACTIVE} AND r.class_id <> $2 AND s.ends_at > $3 AND s.starts_at < $4`,
      [personId, classId, minStart(mine), maxEnd(mine)],
    )) as Array<{ id: string; class_id: string; title: string; starts_at: Date; ends_at: Date }>;
    return findConflicts(mine, rows.map((r) => booking('learner', name, r)), classId);
  }

  /** Refuses a trainer (registry person or same external name) or room booked by another class at an overlapping time. */
  private async refuseResourceConflicts(
    manager: EntityManager,
    classId: string | null,
    sessions: TimeSpan[],
    trainers: Array<{ personId: string | null; name: string }>,
    room: string | null,
    mode: string,
  ): Promise<void> {
    if (sessions.length === 0) return;
    const from = minStart(sessions);
    const to = maxEnd(sessions);
    const bookings: ScheduleConflict[] = [];
    const ids = trainers.map((t) => t.personId).filter((x): x is string => !!x);
    const names = trainers.filter((t) => !t.personId).map((t) => t.name.toLowerCase());
    if (ids.length || names.length) {
      const rows = (await manager.query(
        `SELECT s.id, s.class_id, k.title, s.starts_at, s.ends_at, t.name FROM class_trainers t
           JOIN training_classes k ON k.id = t.class_id AND k.status <> 'cancelled'
           JOIN class_sessions s ON s.class_id = t.class_id AND s.cancelled_at IS NULL
          WHERE (t.person_id = ANY($1::uuid[]) OR (t.person_id IS NULL AND lower(t.name) = ANY($2::text[])))
            AND s.ends_at > $3 AND s.starts_at < $4`,
        [ids, names, from, to],
      )) as Array<{ id: string; class_id: string; title: string; starts_at: Date; ends_at: Date; name: string }>;
      bookings.push(...rows.map((r) => booking('trainer', r.name, r)));
    }
    if (room && mode !== 'online') {
      const rows = (await manager.query(
        `SELECT s.id, s.class_id, k.title, s.starts_at, s.ends_at, k.room AS name FROM training_classes k
           JOIN class_sessions s ON s.class_id = k.id AND s.cancelled_at IS NULL
          WHERE k.status <> 'cancelled' AND k.mode <> 'online' AND lower(k.room) = lower($1) AND s.ends_at > $2 AND s.starts_at < $3`,
        [room, from, to],
      )) as Array<{ id: string; class_id: string; title: string; starts_at: Date; ends_at: Date; name: string }>;
      bookings.push(...rows.map((r) => booking('room', r.name, r)));
    }
    const conflicts = findConflicts(sessions, bookings, classId);
    if (conflicts.length) throw DomainException.conflict(ErrorCode.ScheduleConflict, conflicts.map(conflictDetail));
  }

  private async liveSpans(manager: EntityManager, classId: string): Promise<TimeSpan[]> {
    const rows = (await manager.query(`SELECT starts_at, ends_at FROM class_sessions WHERE class_id = $1 AND cancelled_at IS NULL`, [classId])) as Array<{ starts_at: Date; ends_at: Date }>;
    return rows.map((r) => ({ startsAt: r.starts_at, endsAt: r.ends_at }));
  }

  private async trainersOf(manager: EntityManager, classId: string): Promise<Array<{ personId: string | null; name: string }>> {
    const rows = (await manager.query(`SELECT person_id, name FROM class_trainers WHERE class_id = $1`, [classId])) as Array<{ person_id: string | null; name: string }>;
    return rows.map((r) => ({ personId: r.person_id, name: r.name }));
  }

  // ---- small checks ----------------------------------------------------------------------

  private checkSessions(sessions: TimeSpan[]): void {
    const bad = firstInvalidSession(sessions);
    if (bad >= 0) throw DomainException.badRequest(ErrorCode.SessionEndsBeforeStart, [{ field: `sessions[${bad}]`, message: 'endsAt <= startsAt' }]);
  }

  private checkWindow(opens: string | null, closes: string | null): void {
    if (opens && closes && new Date(closes) <= new Date(opens)) {
      throw DomainException.badRequest(ErrorCode.ValidationFailed, [{ field: 'registrationClosesAt', message: 'must be after registrationOpensAt' }]);
    }
  }

  private async resolveTrainers(list: TrainerDto[]): Promise<Array<{ personId: string | null; name: string }>> {
    const out: Array<{ personId: string | null; name: string }> = [];
    for (const t of list) {
      if (t.personId) {
        const [p] = (await this.db.query(`SELECT full_name FROM people WHERE id = $1`, [t.personId])) as Array<{ full_name: string }>;
        if (!p) throw DomainException.badRequest(ErrorCode.PersonNotFound, [{ field: 'trainers', message: t.personId }]);
        out.push({ personId: t.personId, name: p.full_name });
      } else out.push({ personId: null, name: t.name as string });
    }
    return out;
  }

  private async courseExists(courseId: string): Promise<void> {
    const [c] = (await this.db.query(`SELECT id FROM courses WHERE id = $1`, [courseId])) as unknown[];
    if (!c) throw DomainException.badRequest(ErrorCode.CourseNotFound);
  }

  private async coursePeriods(courseId: string | null): Promise<number> {
    if (!courseId) return 1;
    const [v] = (await this.db.query(
      `SELECT v.periods FROM courses c JOIN course_versions v ON v.id = COALESCE(c.published_version_id, c.draft_version_id) WHERE c.id = $1`,
      [courseId],
    )) as Array<{ periods: number }>;
    return v?.periods ?? 1;
  }

  private async flush(): Promise<void> {
    await this.notifications.add(JobName.NotificationsFlush, {});
  }
}

export interface SessionRow {
  id: string;
  class_id: string;
  starts_at: Date;
  ends_at: Date;
  sequence: number;
  cancelled_at: Date | null;
}

interface RegistrationRow {
  id: string;
  class_id: string;
  person_id: string;
  full_name: string;
  staff_code: string;
  unit_name: string;
  status: RegistrationStatus;
  source: RegistrationSource;
  created_at: Date;
  waitlist_position: number | null;
  completed_at: Date | null;
}

const SELECT_REGISTRATION = `
  SELECT r.id, r.class_id, r.person_id, p.full_name, p.staff_code, u.name AS unit_name, r.status, r.source, r.created_at, cc.completed_at,
         CASE WHEN r.status = 'waitlisted' THEN (SELECT count(*)::int FROM class_registrations w
                WHERE w.class_id = r.class_id AND w.status = 'waitlisted' AND (w.waitlisted_at, w.id) <= (r.waitlisted_at, r.id)) END AS waitlist_position
    FROM class_registrations r
    JOIN people p ON p.id = r.person_id
    JOIN org_units u ON u.id = p.org_unit_id
    LEFT JOIN class_completions cc ON cc.class_id = r.class_id AND cc.person_id = r.person_id`;

function toRegistration(r: RegistrationRow, conflicts: ScheduleConflict[]): ClassRegistrationItem {
  return {
    id: r.id,
    classId: r.class_id,
    personId: r.person_id,
    fullName: r.full_name,
    staffCode: r.staff_code,
    orgUnitName: r.unit_name,
    status: r.status,
    source: r.source,
    waitlistPosition: r.waitlist_position,
    registeredAt: r.created_at.toISOString(),
    completedAt: r.completed_at?.toISOString() ?? null,
    conflicts,
  };
}

export function toSession(s: SessionRow): ClassSessionItem {
  return { id: s.id, classId: s.class_id, startsAt: s.starts_at.toISOString(), endsAt: s.ends_at.toISOString(), sequence: s.sequence, cancelled: s.cancelled_at !== null };
}

function toSpan(s: SessionDto): TimeSpan {
  return { startsAt: new Date(s.startsAt), endsAt: new Date(s.endsAt) };
}

const minStart = (s: TimeSpan[]) => new Date(Math.min(...s.map((x) => x.startsAt.getTime())));
const maxEnd = (s: TimeSpan[]) => new Date(Math.max(...s.map((x) => x.endsAt.getTime())));

function booking(kind: ScheduleConflict['kind'], who: string, r: { id: string; class_id: string; title: string; starts_at: Date; ends_at: Date }): ScheduleConflict {
  return { kind, who, classId: r.class_id, classTitle: r.title, sessionId: r.id, startsAt: r.starts_at.toISOString(), endsAt: r.ends_at.toISOString() };
}

function conflictDetail(c: ScheduleConflict): { field: string; message: string } {
  return { field: c.kind, message: `${c.who}: ${c.classTitle} (${c.startsAt} – ${c.endsAt})` };
}
