import { randomBytes } from 'node:crypto';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import QRCode from 'qrcode';
import { DataSource, EntityManager } from 'typeorm';
import {
  AttendanceRow,
  AttendanceStatus,
  CalendarFeed,
  CheckInResult,
  CheckInToken,
  ClassCompletedEvent,
  CourseCompletedEvent,
  ErrorCode,
  JobName,
  MyClassItem,
  QueueName,
  RegistrationStatus,
} from '@dxtrain/shared/contracts';
import { AuditService } from '@dxtrain/server/audit';
import { Actor, AppConfig, DomainException } from '@dxtrain/server/platform';
import { CHECK_IN_OPENS_BEFORE_MS, signCheckIn, verifyCheckIn } from './check-in-token';
import { ClassesService, ClassRow, SessionRow } from './classes.service';
import { AttendanceMarkDto } from './dto/scheduling.dto';
import { InviteService, sessionWhen } from './invite.service';
import { renderSignInSheet } from './sign-in-sheet';
import { trainingYearOf } from '@dxtrain/shared/vietnamese';

/** Attendance, QR self check-in, sign-in sheets, completion (→ `class.completed`) and calendar feeds. */
@Injectable()
export class AttendanceService {
  private readonly logger = new Logger(AttendanceService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectQueue(QueueName.Events) private readonly events: Queue,
    private readonly classes: ClassesService,
    private readonly invites: InviteService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  /** The session and its class, if the actor manages the class or trains it (registry trainer). */
  private async runnable(actor: Actor, sessionId: string): Promise<{ session: SessionRow; cls: ClassRow }> {
    const session = await this.classes.sessionRow(this.db.manager, sessionId);
    const cls = await this.classes.row(session.class_id);
    const trainer =
      actor.personId && cls
        ? ((await this.db.query(`SELECT 1 FROM class_trainers WHERE class_id = $1 AND person_id = $2`, [cls.id, actor.personId])) as unknown[]).length > 0
        : false;
    if (!cls || !(this.classes.canManage(actor, cls) || trainer)) throw DomainException.notFound(ErrorCode.ClassSessionNotFound);
    return { session, cls };
  }

  /** Confirmed registrants of the session's class with their mark, in Vietnamese name order. */
  async attendance(actor: Actor, sessionId: string): Promise<AttendanceRow[]> {
    const { session } = await this.runnable(actor, sessionId);
    return this.rows(session);
  }

  private async rows(session: SessionRow): Promise<AttendanceRow[]> {
    const rows = (await this.db.query(
      `SELECT p.id, p.full_name, p.staff_code, u.name AS unit_name, a.status, a.checked_in_at
         FROM class_registrations r
         JOIN people p ON p.id = r.person_id
         JOIN org_units u ON u.id = p.org_unit_id
         LEFT JOIN class_attendance a ON a.session_id = $2 AND a.person_id = r.person_id
        WHERE r.class_id = $1 AND r.status = 'confirmed'
        ORDER BY p.sort_key COLLATE "C", p.staff_code`,
      [session.class_id, session.id],
    )) as Array<{ id: string; full_name: string; staff_code: string; unit_name: string; status: AttendanceStatus | null; checked_in_at: Date | null }>;
    return rows.map((r) => ({ personId: r.id, fullName: r.full_name, staffCode: r.staff_code, orgUnitName: r.unit_name, status: r.status, checkedInAt: r.checked_in_at?.toISOString() ?? null }));
  }

  /** Bulk marking: every person must be a confirmed registrant, else nothing is written. */
  async mark(actor: Actor, sessionId: string, marks: AttendanceMarkDto[]): Promise<AttendanceRow[]> {
    const { session, cls } = await this.runnable(actor, sessionId);
    if (session.cancelled_at) throw DomainException.badRequest(ErrorCode.ClassStatusInvalid);
    const confirmed = new Set(
      ((await this.db.query(`SELECT person_id FROM class_registrations WHERE class_id = $1 AND status = 'confirmed'`, [cls.id])) as Array<{ person_id: string }>).map((r) => r.person_id),
    );
    const outsiders = marks.filter((m) => !confirmed.has(m.personId));
    if (outsiders.length) throw DomainException.badRequest(ErrorCode.NotRegistered, outsiders.map((m) => ({ field: 'personId', message: m.personId })));
    await this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO class_attendance (session_id, person_id, status, marked_by, marked_at)
         SELECT $1, x.person_id, x.status, $4, now() FROM unnest($2::uuid[], $3::varchar[]) AS x(person_id, status)
         ON CONFLICT (session_id, person_id) DO UPDATE SET status = EXCLUDED.status, marked_by = EXCLUDED.marked_by, marked_at = now()`,
        [sessionId, marks.map((m) => m.personId), marks.map((m) => m.status), actor.userId],
      );
      await this.audit.record(tx, actor, { action: 'class.attendance_marked', entityType: 'class_session', entityId: sessionId, after: { count: marks.length }, orgUnitIds: [cls.org_unit_id] });
    });
    for (const personId of new Set(marks.map((m) => m.personId))) await this.record(personId, cls.id);
    // One publish for the whole sheet, not one per person marked.
    await this.publishPending(cls.id);
    return this.rows(session);
  }

  /** The QR code the trainer shows: a signed token valid until the session ends. */
  async checkInToken(actor: Actor, sessionId: string): Promise<CheckInToken> {
    const { session } = await this.runnable(actor, sessionId);
    const token = signCheckIn(this.config.JWT_SECRET, session.id, session.ends_at);
    const url = `${this.config.PUBLIC_URL.replace(/\/$/, '')}/check-in/${token}`;
    return {
      sessionId,
      token,
      url,
      qrSvg: await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }),
      validFrom: new Date(session.starts_at.getTime() - CHECK_IN_OPENS_BEFORE_MS).toISOString(),
      expiresAt: session.ends_at.toISOString(),
    };
  }

  /** A signed-in learner scans the QR: present, if confirmed and within [start − 30 min, end]. */
  async checkIn(actor: Actor, token: string, now = new Date()): Promise<CheckInResult> {
    const parsed = verifyCheckIn(this.config.JWT_SECRET, token);
    if (!parsed) throw DomainException.badRequest(ErrorCode.CheckInInvalid);
    if (!actor.personId) throw DomainException.forbidden(ErrorCode.NoPersonRecord);
    const [session] = (await this.db.query(`SELECT * FROM class_sessions WHERE id = $1`, [parsed.sessionId])) as SessionRow[];
    if (!session || session.cancelled_at) throw DomainException.badRequest(ErrorCode.CheckInInvalid);
    const t = now.getTime();
    if (t > parsed.expiresAt.getTime() || t > session.ends_at.getTime() || t < session.starts_at.getTime() - CHECK_IN_OPENS_BEFORE_MS) {
      throw DomainException.badRequest(ErrorCode.CheckInExpired);
    }
    const [k] = (await this.db.query(`SELECT id, title, org_unit_id FROM training_classes WHERE id = $1 AND status NOT IN ('cancelled', 'draft')`, [session.class_id])) as Array<{ id: string; title: string; org_unit_id: string }>;
    const [reg] = (await this.db.query(`SELECT id FROM class_registrations WHERE class_id = $1 AND person_id = $2 AND status = 'confirmed'`, [session.class_id, actor.personId])) as unknown[];
    if (!k || !reg) throw DomainException.forbidden(ErrorCode.NotRegistered);
    const [row] = (await this.db.query(
      `INSERT INTO class_attendance (session_id, person_id, status, checked_in_at, marked_at) VALUES ($1, $2, 'present', now(), now())
       ON CONFLICT (session_id, person_id) DO UPDATE SET status = 'present', checked_in_at = COALESCE(class_attendance.checked_in_at, now()), marked_at = now()
       RETURNING checked_in_at`,
      [session.id, actor.personId],
    )) as Array<{ checked_in_at: Date }>;
    await this.audit.record(null, actor, { action: 'class.checked_in', entityType: 'class_session', entityId: session.id, orgUnitIds: [k.org_unit_id], personId: actor.personId });
    await this.evaluate(actor.personId, k.id);
    const [done] = (await this.db.query(`SELECT 1 FROM class_completions WHERE class_id = $1 AND person_id = $2`, [k.id, actor.personId])) as unknown[];
    return { sessionId: session.id, classId: k.id, classTitle: k.title, status: AttendanceStatus.Present, checkedInAt: row.checked_in_at.toISOString(), classCompleted: !!done };
  }

  async signInSheet(actor: Actor, sessionId: string): Promise<{ pdf: Buffer; filename: string }> {
    const { session, cls } = await this.runnable(actor, sessionId);
    const sessions = (await this.db.query(`SELECT id FROM class_sessions WHERE class_id = $1 AND cancelled_at IS NULL ORDER BY starts_at, id`, [cls.id])) as Array<{ id: string }>;
    const index = sessions.findIndex((s) => s.id === session.id) + 1;
    const rows = await this.rows(session);
    const place = cls.mode === 'online' ? (cls.meeting_url ?? 'Trực tuyến') : [cls.room, cls.address].filter(Boolean).join(', ');
    const pdf = await renderSignInSheet({
      classTitle: cls.title,
      organiserName: cls.unit_name,
      sessionLabel: `Buổi ${index}/${sessions.length}`,
      when: sessionWhen(session),
      where: place,
      rows: rows.map((r) => ({ fullName: r.fullName, staffCode: r.staffCode, unitName: r.orgUnitName })),
    });
    return { pdf, filename: `danh-sach-ky-ten-buoi-${index}.pdf` };
  }

  // ---- completion ------------------------------------------------------------------------

  /**
   * Completion rule: present at `min_sessions` sessions (default: every session not cancelled)
   * and, if the linked course names a final quiz, a finished attempt at or above its pass mark.
   * Recorded once per person and class; `class.completed` is published after the commit (job id
   * = the completion id, so a retry never publishes twice) and `published_at` marks it sent; a
   * completion whose publish failed is published again by `publishPending` (worker start, and
   * after each evaluation).
   */
  async evaluate(personId: string, classId: string): Promise<boolean> {
    const { met, recorded } = await this.record(personId, classId);
    if (met) await this.publishPending(classId);
    return recorded;
  }

  /** `evaluate` without the publish: whether the rule is met, and whether the completion is new. */
  private async record(personId: string, classId: string): Promise<{ met: boolean; recorded: boolean }> {
    const [c] = (await this.db.query(
      `SELECT k.id, k.title, k.course_id, k.periods, k.min_sessions, k.status,
              (SELECT count(*)::int FROM class_sessions s WHERE s.class_id = k.id AND s.cancelled_at IS NULL) AS live,
              (SELECT count(*)::int FROM class_attendance a JOIN class_sessions s ON s.id = a.session_id AND s.cancelled_at IS NULL
                WHERE s.class_id = k.id AND a.person_id = $2 AND a.status = 'present') AS present,
              EXISTS (SELECT 1 FROM class_registrations r WHERE r.class_id = k.id AND r.person_id = $2 AND r.status = 'confirmed') AS confirmed
         FROM training_classes k WHERE k.id = $1`,
      [classId, personId],
    )) as Array<{ id: string; title: string; course_id: string | null; periods: number; min_sessions: number | null; status: string; live: number; present: number; confirmed: boolean }>;
    if (!c || !c.confirmed || c.status === 'cancelled' || c.live === 0) return { met: false, recorded: false };
    const required = Math.min(c.min_sessions ?? c.live, c.live);
    if (c.present < required) return { met: false, recorded: false };
    if (c.course_id && !(await this.finalQuizPassed(personId, c.course_id))) return { met: false, recorded: false };
    const completedAt = new Date();
    const trainingYear = trainingYearOf(completedAt);
    const inserted = (await this.db.query(
      `INSERT INTO class_completions (class_id, person_id, training_year, completed_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (class_id, person_id) DO NOTHING RETURNING id`,
      [classId, personId, trainingYear, completedAt],
    )) as Array<{ id: string }>;
    if (inserted.length) this.logger.log(`class ${classId} completed by ${personId}`);
    return { met: true, recorded: inserted.length > 0 };
  }

  /** No final quiz on the linked course's published version, or a finished attempt at or above its pass mark. */
  private async finalQuizPassed(personId: string, courseId: string, manager: EntityManager = this.db.manager): Promise<boolean> {
    const [v] = (await manager.query(
      `SELECT v.final_quiz_id FROM courses c JOIN course_versions v ON v.id = COALESCE(c.published_version_id, c.draft_version_id) WHERE c.id = $1`,
      [courseId],
    )) as Array<{ final_quiz_id: string | null }>;
    if (!v?.final_quiz_id) return true;
    const [passed] = (await manager.query(
      `SELECT 1 FROM quiz_attempts a JOIN quizzes q ON q.id = a.quiz_id
        WHERE a.quiz_id = $1 AND a.person_id = $2 AND a.status <> 'in_progress' AND a.fraction >= q.pass_mark LIMIT 1`,
      [v.final_quiz_id, personId],
    )) as unknown[];
    return !!passed;
  }

  /** Publishes `class.completed` for completions not yet on the queue (all, or one class's). */
  async publishPending(classId?: string): Promise<number> {
    const rows = (await this.db.query(
      `SELECT cc.id, cc.person_id, cc.class_id, cc.training_year, cc.completed_at, k.course_id, k.title, k.periods, k.org_unit_id
         FROM class_completions cc JOIN training_classes k ON k.id = cc.class_id
        WHERE cc.published_at IS NULL ${classId ? 'AND cc.class_id = $1' : ''} ORDER BY cc.completed_at LIMIT 1000`,
      classId ? [classId] : [],
    )) as Array<{ id: string; person_id: string; class_id: string; training_year: number; completed_at: Date; course_id: string | null; title: string; periods: number; org_unit_id: string }>;
    for (const r of rows) {
      const event: ClassCompletedEvent = {
        completionId: r.id,
        personId: r.person_id,
        classId: r.class_id,
        courseId: r.course_id,
        classTitle: r.title,
        organiserUnitId: r.org_unit_id,
        periods: r.periods,
        completedAt: r.completed_at.toISOString(),
        trainingYear: r.training_year,
      };
      await this.events.add(JobName.ClassCompleted, event, { jobId: `class.completed.${r.id}` });
      await this.db.query(`UPDATE class_completions SET published_at = now() WHERE id = $1`, [r.id]);
    }
    return rows.length;
  }

  /** The linked course was completed (final quiz passed): classes whose attendance was already met complete now. */
  async onCourseCompleted(event: CourseCompletedEvent): Promise<void> {
    const rows = (await this.db.query(
      `SELECT r.class_id FROM class_registrations r JOIN training_classes k ON k.id = r.class_id
        WHERE r.person_id = $1 AND k.course_id = $2 AND r.status = 'confirmed'`,
      [event.personId, event.courseId],
    )) as Array<{ class_id: string }>;
    for (const r of rows) await this.evaluate(event.personId, r.class_id);
  }

  // ---- learner views ---------------------------------------------------------------------

  /** Upcoming classes of the learner's province open to them, and every class they registered for. */
  async myClasses(actor: Actor): Promise<MyClassItem[]> {
    if (!actor.personId) return [];
    const [me] = (await this.db.query(`SELECT u.root_id, p.network_category FROM people p JOIN org_units u ON u.id = p.org_unit_id WHERE p.id = $1`, [actor.personId])) as Array<{
      root_id: string;
      network_category: string | null;
    }>;
    if (!me) return [];
    const rows = (await this.db.query(
      `SELECT k.*, u.path AS unit_path, u.name AS unit_name, u.root_id FROM training_classes k JOIN org_units u ON u.id = k.org_unit_id
        WHERE EXISTS (SELECT 1 FROM class_registrations r WHERE r.class_id = k.id AND r.person_id = $1)
           OR (u.root_id = $2 AND k.status = 'open' AND k.self_registration
               AND (cardinality(k.audience_categories) = 0 OR $3 = ANY(k.audience_categories))
               AND EXISTS (SELECT 1 FROM class_sessions s WHERE s.class_id = k.id AND s.ends_at > now()))
        ORDER BY (SELECT min(starts_at) FROM class_sessions s WHERE s.class_id = k.id) NULLS LAST`,
      [actor.personId, me.root_id, me.network_category ?? ''],
    )) as ClassRow[];
    const items = await this.classes.items(null, rows);
    const regs = (await this.db.query(
      `SELECT DISTINCT ON (r.class_id) r.id, r.class_id, r.status, cc.completed_at,
              CASE WHEN r.status = 'waitlisted' THEN (SELECT count(*)::int FROM class_registrations w
                     WHERE w.class_id = r.class_id AND w.status = 'waitlisted' AND (w.waitlisted_at, w.id) <= (r.waitlisted_at, r.id)) END AS pos
         FROM class_registrations r LEFT JOIN class_completions cc ON cc.class_id = r.class_id AND cc.person_id = r.person_id
        WHERE r.person_id = $1 ORDER BY r.class_id, r.created_at DESC`,
      [actor.personId],
    )) as Array<{ id: string; class_id: string; status: RegistrationStatus; completed_at: Date | null; pos: number | null }>;
    const marks = (await this.db.query(
      `SELECT a.session_id, a.status FROM class_attendance a JOIN class_sessions s ON s.id = a.session_id WHERE a.person_id = $1 AND s.class_id = ANY($2::uuid[])`,
      [actor.personId, rows.map((r) => r.id)],
    )) as Array<{ session_id: string; status: AttendanceStatus }>;
    return items.map(({ canManage: _canManage, ...i }) => {
      const r = regs.find((x) => x.class_id === i.id);
      return {
        ...i,
        registration: r ? { id: r.id, status: r.status, waitlistPosition: r.pos, completedAt: r.completed_at?.toISOString() ?? null } : null,
        attendance: i.sessions.map((s) => ({ sessionId: s.id, status: marks.find((m) => m.session_id === s.id)?.status ?? null })),
      };
    });
  }

  async calendarFeed(actor: Actor): Promise<CalendarFeed> {
    if (!actor.personId) throw DomainException.forbidden(ErrorCode.NoPersonRecord);
    await this.db.query(`INSERT INTO calendar_feeds (person_id, token) VALUES ($1, $2) ON CONFLICT (person_id) DO NOTHING`, [actor.personId, randomBytes(32).toString('base64url')]);
    const [{ token }] = (await this.db.query(`SELECT token FROM calendar_feeds WHERE person_id = $1`, [actor.personId])) as Array<{ token: string }>;
    return { url: `${this.config.PUBLIC_URL.replace(/\/$/, '')}/api/public/calendar/${token}.ics` };
  }

  /** The feed behind an unguessable token; unknown tokens read as not found. */
  async feedByToken(token: string): Promise<string> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) throw DomainException.notFound(ErrorCode.NotFound);
    const [row] = (await this.db.query(`SELECT person_id FROM calendar_feeds WHERE token = $1`, [token])) as Array<{ person_id: string }>;
    if (!row) throw DomainException.notFound(ErrorCode.NotFound);
    return this.invites.personalCalendar(row.person_id);
  }

  async classCalendar(actor: Actor, classId: string): Promise<string> {
    await this.classes.visible(actor, classId);
    return this.invites.classCalendar(classId);
  }
}
