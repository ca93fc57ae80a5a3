import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ClassCompletedEvent, CourseCompletedEvent } from '@dxtrain/shared/contracts';
import { vnYear } from './status';

/** Unit kinds that should each have a DX focal point (the plans' 2025 target). */
export const FOCAL_POINT_UNIT_KINDS = ['province', 'department', 'district', 'commune'];

/** End of year Y in Vietnam (the moment people are counted in their unit), or now for the current year. */
export function cutoffOf(year: number, now = new Date()): Date {
  const end = new Date(Date.UTC(year + 1, 0, 1) - 7 * 3600_000);
  return end < now ? end : now;
}

/** The cutoff's calendar day in Vietnam (units open on that day are counted). */
export function cutoffOfDate(cutoff: Date): string {
  return new Date(cutoff.getTime() + 7 * 3600_000 - 1).toISOString().slice(0, 10);
}

/** 00:00 on 1 January of `year` in Vietnam. */
export function startOf(year: number): Date {
  return new Date(Date.UTC(year, 0, 1) - 7 * 3600_000);
}

/**
 * Keeps the roll-up tables true: records training facts from events (idempotent) and recomputes, per
 * year, every member's derived status and the direct counts per unit. Readers then only sum small
 * per-unit rows over a path prefix. Raw SQL on purpose: the recompute is one INSERT … SELECT over
 * every member of the country (hundreds of thousands of rows); the ORM would load them one by one.
 */
@Injectable()
export class ComplianceRefreshService {
  private readonly logger = new Logger(ComplianceRefreshService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  /** `course.completed`: one record, periods from the completed course version. */
  async onCourseCompleted(event: CourseCompletedEvent): Promise<boolean> {
    const rows = (await this.db.query(
      `INSERT INTO training_records (person_id, source_kind, source_id, course_id, title, completed_at, training_year, periods)
       SELECT $1, 'course', $2, $3, COALESCE(v.title, ''), $4, $5, COALESCE(v.periods, 0)
         FROM (SELECT 1) one LEFT JOIN course_versions v ON v.id = $6
       ON CONFLICT (source_kind, source_id) DO NOTHING RETURNING id`,
      [event.personId, event.completionId, event.courseId, event.completedAt, event.trainingYear, event.courseVersionId],
    )) as unknown[];
    if (rows.length > 0) await this.refreshPeople(event.trainingYear, [event.personId]);
    return rows.length > 0;
  }

  /** `class.completed`: one record with the class's periods. */
  async onClassCompleted(event: ClassCompletedEvent): Promise<boolean> {
    const rows = (await this.db.query(
      `INSERT INTO training_records (person_id, source_kind, source_id, course_id, title, completed_at, training_year, periods)
       VALUES ($1, 'class', $2, $3, $4, $5, $6, $7)
       ON CONFLICT (source_kind, source_id) DO NOTHING RETURNING id`,
      [event.personId, event.completionId, event.courseId, event.classTitle.slice(0, 255), event.completedAt, event.trainingYear, Math.max(0, Math.round(event.periods))],
    )) as unknown[];
    if (rows.length > 0) await this.refreshPeople(event.trainingYear, [event.personId]);
    return rows.length > 0;
  }

  async markDirty(manager: EntityManager, year: number): Promise<void> {
    await manager.query(
      `INSERT INTO compliance_refresh_state (training_year, dirty) VALUES ($1, true)
       ON CONFLICT (training_year) DO UPDATE SET dirty = true WHERE compliance_refresh_state.dirty = false`,
      [year],
    );
  }

  /**
   * The scheduled job: years marked dirty, plus the current year when its figures are older than
   * `staleSeconds` (people move, sign in and enrol without a completion event).
   */
  async refreshDue(staleSeconds = 900): Promise<number[]> {
    const current = vnYear();
    const rows = (await this.db.query(
      `SELECT training_year AS year FROM compliance_refresh_state
        WHERE training_year <= $1 AND (dirty OR refreshed_at IS NULL OR (training_year = $1 AND refreshed_at < now() - make_interval(secs => $2)))
       UNION SELECT $1 WHERE NOT EXISTS (SELECT 1 FROM compliance_refresh_state WHERE training_year = $1)`,
      [current, staleSeconds],
    )) as Array<{ year: number }>;
    const years = rows.map((r) => Number(r.year)).sort();
    for (const y of years) await this.refreshYear(y);
    return years;
  }

  async refresh(years: number[]): Promise<void> {
    for (const y of [...new Set(years)].sort()) await this.refreshYear(y);
  }

  /**
   * A few people's new facts (a completion event): recompute their statuses and the roll-up rows of
   * their units only, at once — milliseconds instead of a whole-year refresh, so a completion shows on
   * the dashboard right away. A year never computed, or being recomputed right now, is only marked dirty
   * (the job computes it whole).
   */
  async refreshPeople(year: number, personIds: string[]): Promise<void> {
    const cutoff = cutoffOf(year);
    await this.db.transaction(async (tx) => {
      // Never wait for a whole-year refresh (seconds at national scale) inside the events queue: while one
      // runs, mark the year dirty instead — the next scheduled refresh includes this person.
      const [{ locked }] = (await tx.query(`SELECT pg_try_advisory_xact_lock(hashtext('compliance-refresh'), $1) AS locked`, [year])) as Array<{ locked: boolean }>;
      const [state] = (await tx.query(`SELECT refreshed_at FROM compliance_refresh_state WHERE training_year = $1`, [year])) as Array<{ refreshed_at: Date | null }>;
      if (!locked || !state?.refreshed_at) {
        await this.markDirty(tx, year);
        return false;
      }
      const old = (await tx.query(`DELETE FROM compliance_person_status WHERE training_year = $1 AND person_id = ANY($2::uuid[]) RETURNING org_unit_id`, [year, personIds])) as [
        Array<{ org_unit_id: string }>,
        number,
      ];
      const added = (await tx.query(PERSON_STATUS_SQL + ' RETURNING org_unit_id', [year, cutoff, startOf(year + 1), startOf(year), personIds])) as Array<{ org_unit_id: string }>;
      const units = [...new Set([...(old[0] ?? []), ...added].map((r) => r.org_unit_id))];
      if (units.length) {
        await tx.query(`DELETE FROM compliance_unit_stats WHERE training_year = $1 AND org_unit_id = ANY($2::uuid[])`, [year, units]);
        await tx.query(UNIT_STATS_SQL, [year, cutoffOfDate(cutoff), FOCAL_POINT_UNIT_KINDS, units]);
      }
      await tx.query(`UPDATE compliance_refresh_state SET refreshed_at = clock_timestamp() WHERE training_year = $1`, [year]);
      return true;
    });
  }

  /** Recomputes one year in one transaction (readers see the old figures until it commits). */
  async refreshYear(year: number): Promise<{ members: number; ms: number }> {
    const started = Date.now();
    const cutoff = cutoffOf(year);
    // Cleared first, in its own short transaction: facts that arrive while the year is being recomputed mark it
    // dirty again (without waiting on this transaction's row lock), so the next run picks them up.
    await this.db.query(
      `INSERT INTO compliance_refresh_state (training_year, dirty) VALUES ($1, false)
       ON CONFLICT (training_year) DO UPDATE SET dirty = false`,
      [year],
    );
    const members = await this.db.transaction(async (tx) => {
      // One refresh per year at a time, whichever worker runs it.
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('compliance-refresh'), $1)`, [year]);
      await tx.query(`DELETE FROM compliance_person_status WHERE training_year = $1`, [year]);
      const defaultDeadline = startOf(year + 1);
      await tx.query(PERSON_STATUS_SQL, [year, cutoff, defaultDeadline, startOf(year), null]);
      await tx.query(`DELETE FROM compliance_unit_stats WHERE training_year = $1`, [year]);
      await tx.query(UNIT_STATS_SQL, [year, cutoffOfDate(cutoff), FOCAL_POINT_UNIT_KINDS, null]);
      const [{ n }] = (await tx.query(`SELECT count(*)::int AS n FROM compliance_person_status WHERE training_year = $1`, [year])) as Array<{ n: number }>;
      await tx.query(`UPDATE compliance_refresh_state SET refreshed_at = clock_timestamp() WHERE training_year = $1`, [year]);
      return n;
    });
    const ms = Date.now() - started;
    this.logger.log(`refreshed ${year}: ${members} members in ${ms} ms`);
    return { members, ms };
  }
}

/**
 * Every member's status for year $1. Members: people active at the cutoff $2, in the unit their
 * history says at $2. Rule: the most specific active rule of the year whose unit's subtree holds the
 * person (position beats category beats neither, then the deepest unit); none = the default rule.
 * $3 = default deadline (1 January of the next year, exclusive), $4 = start of the year.
 */
const PERSON_STATUS_SQL = `
  WITH at_paths AS MATERIALIZED (
    -- every unit's place in the tree on the cutoff day (a past year is matched in the structure it had then)
    SELECT DISTINCT ON (h.unit_id) h.unit_id, h.path FROM org_unit_paths h
     WHERE h.valid_from <= (($2::timestamptz - interval '1 millisecond') AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
       AND (h.valid_to IS NULL OR h.valid_to > (($2::timestamptz - interval '1 millisecond') AT TIME ZONE 'Asia/Ho_Chi_Minh')::date)
     ORDER BY h.unit_id, h.valid_from DESC
  ), rules AS MATERIALIZED (
    SELECT r.id, r.network_category, lower(r.position) AS position, r.min_periods, r.course_ids, r.created_at,
           ((r.deadline + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh') AS deadline_ts, COALESCE(ap.path, u.path) AS unit_path,
           substr(COALESCE(ap.path, u.path), 1, 38) AS root_segment, (length(COALESCE(ap.path, u.path)) - 1) / 37 AS depth,
           (CASE WHEN r.position IS NOT NULL THEN 2 ELSE 0 END + CASE WHEN r.network_category IS NOT NULL THEN 1 ELSE 0 END) AS specificity
      FROM training_requirements r JOIN org_units u ON u.id = r.org_unit_id LEFT JOIN at_paths ap ON ap.unit_id = u.id
     WHERE r.training_year = $1 AND r.active
  ), unit_rules AS MATERIALIZED (
    -- Rules per unit first (a few per unit), so that each person is matched by a hash join, not a scan of every rule.
    SELECT ap.unit_id, r.* FROM rules r JOIN at_paths ap ON substr(ap.path, 1, 38) = r.root_segment AND ap.path LIKE r.unit_path || '%'
  ), m AS (
    SELECT p.id AS person_id, h.org_unit_id, p.network_category, lower(p.position) AS position
      FROM person_unit_history h
      JOIN people p ON p.id = h.person_id
     WHERE h.valid_from < $2 AND (h.valid_to IS NULL OR h.valid_to >= $2)
       AND (p.active OR p.deactivated_at > $2)
       AND ($5::uuid[] IS NULL OR p.id = ANY($5::uuid[]))
  ), best AS (
    SELECT DISTINCT ON (m.person_id) m.person_id, ur.id AS rule_id, ur.min_periods, ur.course_ids, ur.deadline_ts
      FROM m JOIN unit_rules ur ON ur.unit_id = m.org_unit_id
       AND (ur.network_category IS NULL OR ur.network_category = m.network_category)
       AND (ur.position IS NULL OR ur.position = m.position)
     ORDER BY m.person_id, ur.specificity DESC, ur.depth DESC, ur.created_at
  ), mr AS MATERIALIZED (
    SELECT m.person_id, m.org_unit_id, b.rule_id, b.min_periods, COALESCE(b.course_ids, '{}') AS course_ids,
           COALESCE(b.deadline_ts, $3::timestamptz) AS deadline_ts
      FROM m LEFT JOIN best b ON b.person_id = m.person_id
  ), rec AS (
    SELECT t.person_id, sum(t.periods)::int AS periods, count(*)::int AS n, array_agg(t.course_id) FILTER (WHERE t.course_id IS NOT NULL) AS courses
      FROM training_records t JOIN mr ON mr.person_id = t.person_id
     WHERE t.training_year = $1 AND t.completed_at < mr.deadline_ts
     GROUP BY t.person_id
  ), enr AS (
    SELECT DISTINCT person_id FROM enrolments WHERE training_year = $1 AND status <> 'withdrawn' AND ($5::uuid[] IS NULL OR person_id = ANY($5::uuid[]))
  ), failed AS (
    SELECT DISTINCT a.person_id FROM quiz_attempts a JOIN quizzes q ON q.id = a.quiz_id
     WHERE a.status <> 'in_progress' AND a.fraction IS NOT NULL AND a.fraction < q.pass_mark
       AND a.submitted_at >= $4 AND a.submitted_at < $3 AND ($5::uuid[] IS NULL OR a.person_id = ANY($5::uuid[]))
  ), ex AS (
    SELECT person_id FROM compliance_exemptions WHERE training_year = $1 AND ($5::uuid[] IS NULL OR person_id = ANY($5::uuid[]))
  ), s AS (
    SELECT mr.person_id, mr.org_unit_id, mr.rule_id, mr.min_periods, COALESCE(rec.periods, 0) AS periods,
           ex.person_id IS NOT NULL AS exempt,
           CASE WHEN mr.min_periods IS NULL AND cardinality(mr.course_ids) = 0 THEN COALESCE(rec.n, 0) >= 1
                ELSE (mr.min_periods IS NOT NULL AND COALESCE(rec.periods, 0) >= mr.min_periods)
                  OR (cardinality(mr.course_ids) > 0 AND mr.course_ids <@ COALESCE(rec.courses, '{}')) END AS met,
           (COALESCE(rec.n, 0) > 0 OR enr.person_id IS NOT NULL) AS started,
           failed.person_id IS NOT NULL AS failed
      FROM mr LEFT JOIN rec ON rec.person_id = mr.person_id
              LEFT JOIN enr ON enr.person_id = mr.person_id
              LEFT JOIN failed ON failed.person_id = mr.person_id
              LEFT JOIN ex ON ex.person_id = mr.person_id
  )
  INSERT INTO compliance_person_status (training_year, person_id, org_unit_id, status, reason, periods, required_periods, rule_id)
  SELECT $1, person_id, org_unit_id,
         CASE WHEN exempt THEN 'exempt' WHEN met THEN 'trained' WHEN started THEN 'in_progress' ELSE 'not_started' END,
         CASE WHEN exempt OR met THEN NULL WHEN failed THEN 'failed_exam' WHEN started THEN 'enrolled_not_completed' ELSE 'not_enrolled' END,
         periods, min_periods, rule_id
    FROM s`;

/**
 * Direct counts per unit for year $1 (from the statuses just written), and every unit open on $2
 * whose kind ($3) should have a focal point, with or without members; each row keeps the unit's path on $2.
 */
const UNIT_STATS_SQL = `
  WITH per AS (
    SELECT s.org_unit_id, count(*)::int AS members,
           count(*) FILTER (WHERE s.status = 'trained')::int AS trained,
           count(*) FILTER (WHERE s.status = 'in_progress')::int AS in_progress,
           count(*) FILTER (WHERE s.status = 'not_started')::int AS not_started,
           count(*) FILTER (WHERE s.status = 'exempt')::int AS exempt,
           count(us.id)::int AS with_account,
           count(si.person_id)::int AS signed_in,
           bool_or(p.is_focal_point) AS focal
      FROM compliance_person_status s
      JOIN people p ON p.id = s.person_id
      LEFT JOIN users us ON us.person_id = s.person_id AND us.active
      LEFT JOIN person_sign_in_years si ON si.person_id = s.person_id AND si.training_year = $1 AND us.id IS NOT NULL
     WHERE s.training_year = $1 AND ($4::uuid[] IS NULL OR s.org_unit_id = ANY($4::uuid[]))
     GROUP BY s.org_unit_id
  ), counted AS (
    SELECT id FROM org_units WHERE kind = ANY($3::text[]) AND valid_from <= $2::date AND (valid_to IS NULL OR valid_to >= $2::date)
       AND ($4::uuid[] IS NULL OR id = ANY($4::uuid[]))
  )
  INSERT INTO compliance_unit_stats (training_year, org_unit_id, members, trained, in_progress, not_started, exempt, with_account, signed_in, counted_unit, focal_unit, path)
  SELECT $1, COALESCE(per.org_unit_id, counted.id), COALESCE(per.members, 0), COALESCE(per.trained, 0), COALESCE(per.in_progress, 0),
         COALESCE(per.not_started, 0), COALESCE(per.exempt, 0), COALESCE(per.with_account, 0), COALESCE(per.signed_in, 0),
         CASE WHEN counted.id IS NOT NULL THEN 1 ELSE 0 END,
         CASE WHEN counted.id IS NOT NULL AND COALESCE(per.focal, false) THEN 1 ELSE 0 END,
         -- the unit's path on the cutoff day: the year rolls up in the structure it had then
         COALESCE((SELECT h.path FROM org_unit_paths h WHERE h.unit_id = ou.id AND h.valid_from <= $2::date AND (h.valid_to IS NULL OR h.valid_to > $2::date)
                    ORDER BY h.valid_from DESC LIMIT 1), ou.path)
    FROM per FULL JOIN counted ON counted.id = per.org_unit_id
    JOIN org_units ou ON ou.id = COALESCE(per.org_unit_id, counted.id)`;
