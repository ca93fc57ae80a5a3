import { Inject, Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import {
  COMPLIANCE_EXEMPTION_ROLES,
  COMPLIANCE_READER_ROLES,
  COMPLIANCE_RULE_ROLES,
  CoverageFigures,
  CoverageReport,
  CoverageRow,
  CoverageTrend,
  COVERAGE_TARGET_YEAR,
  ErrorCode,
  Exemption,
  JobName,
  Page,
  QueueName,
  RequirementsList,
  Role,
  TrainingRequirement,
  TrendPoint,
  UntrainedPerson,
  UntrainedReason,
  TrainingStatus,
} from '@dxtrain/shared/contracts';
import { AuditService } from '@dxtrain/server/audit';
import { Actor, DomainException, REDIS } from '@dxtrain/server/platform';
import { ComplianceRefreshService } from './compliance-refresh.service';
import { CreateExemptionDto, CreateRequirementDto, UpdateRequirementDto } from './dto/compliance.dto';
import { coverageRate, projectToYear, ruleKey, vnYear } from './status';
import { cutoffOf, cutoffOfDate } from './compliance-refresh.service';
import { coversWithHistory } from '@dxtrain/server/organisation';

export interface ScopedUnit {
  id: string;
  code: string;
  name: string;
  kind: string;
  path: string;
  depth: number;
  validFrom?: string;
  validTo: string | null;
}

/** A unit that answers for `unit` in a given year: the unit itself, or a former unit merged or split into it later. */
export interface YearRepresentative {
  id: string;
  code: string;
  name: string;
  kind: string;
  depth: number;
  validTo: string | null;
  /** Path on the year's cutoff day. */
  path: string;
  relation: 'self' | 'merge' | 'split';
}

interface SumRow {
  child: string | null;
  members: number;
  trained: number;
  in_progress: number;
  not_started: number;
  exempt: number;
  units: number;
  focal: number;
  with_account: number;
  signed_in: number;
}

const SUMS = `sum(s.members)::int AS members, sum(s.trained)::int AS trained, sum(s.in_progress)::int AS in_progress,
  sum(s.not_started)::int AS not_started, sum(s.exempt)::int AS exempt, sum(s.counted_unit)::int AS units,
  sum(s.focal_unit)::int AS focal, sum(s.with_account)::int AS with_account, sum(s.signed_in)::int AS signed_in`;

/** Path segments are '<uuid>/' (37 characters): the ancestor at depth d starts at 2 + 37·d. */
const SEGMENT = 37;

function figures(r: Partial<SumRow> | undefined): CoverageFigures {
  const f = {
    members: r?.members ?? 0,
    trained: r?.trained ?? 0,
    inProgress: r?.in_progress ?? 0,
    notStarted: r?.not_started ?? 0,
    exempt: r?.exempt ?? 0,
    units: r?.units ?? 0,
    unitsWithFocalPoint: r?.focal ?? 0,
    membersWithAccount: r?.with_account ?? 0,
    membersSignedIn: r?.signed_in ?? 0,
  };
  return { ...f, coverageRate: coverageRate(f) };
}

function addFigures(a: CoverageFigures, b: CoverageFigures): CoverageFigures {
  const f = {
    members: a.members + b.members,
    trained: a.trained + b.trained,
    inProgress: a.inProgress + b.inProgress,
    notStarted: a.notStarted + b.notStarted,
    exempt: a.exempt + b.exempt,
    units: a.units + b.units,
    unitsWithFocalPoint: a.unitsWithFocalPoint + b.unitsWithFocalPoint,
    membersWithAccount: a.membersWithAccount + b.membersWithAccount,
    membersSignedIn: a.membersSignedIn + b.membersSignedIn,
  };
  return { ...f, coverageRate: coverageRate(f) };
}

/** A status row's unit (its name) and its path in that year's structure (from the year's roll-up row). */
const UNTRAINED_JOINS = `JOIN compliance_unit_stats cs ON cs.training_year = s.training_year AND cs.org_unit_id = s.org_unit_id
  JOIN org_units u ON u.id = s.org_unit_id JOIN people p ON p.id = s.person_id`;

const likePrefix = (path: string) => path.replace(/[\\%_]/g, (c) => '\\' + c) + '%';

/**
 * The coverage dashboard's reads (sums of the per-unit roll-up over a path prefix, cached in Redis per
 * year, unit and refresh version), the untrained list, requirements and exemptions.
 */
@Injectable()
export class ComplianceService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    @InjectQueue(QueueName.Compliance) private readonly queue: Queue,
    private readonly refresher: ComplianceRefreshService,
    private readonly audit: AuditService,
  ) {}

  // ---- scope and years --------------------------------------------------------------------

  /** The unit asked for (or the top of the caller's grants), if a reader grant covers it: else 404; no reader role: 403. */
  async unitInScope(actor: Actor, unitId: string | undefined, roles: readonly Role[] = COMPLIANCE_READER_ROLES): Promise<ScopedUnit> {
    const scopes = actor.scopePaths(roles);
    if (scopes.length === 0) throw DomainException.forbidden();
    const id = unitId ?? scopes[0].split('/').filter(Boolean).pop();
    const [unit] = (await this.db.query(
      `SELECT id, code, name, kind, path, depth, valid_from::text AS "validFrom", valid_to::text AS "validTo" FROM org_units WHERE id = $1`,
      [id],
    )) as ScopedUnit[];
    // A former unit (merged into what the caller's grant covers) answers for the years it was open.
    if (!unit || !(await coversWithHistory(this.db, actor, unit, roles))) throw DomainException.notFound(ErrorCode.OrgUnitNotFound);
    return unit;
  }

  /**
   * Who answers for `unit` in `year`: the unit, if it was open on the year's cutoff day, with its path on that
   * day, plus every unit merged or split into it after that day (following lineage back), with theirs. So a
   * province formed on 1 July 2025 answers for 2024 with the former provinces it came from, in their structure
   * of 2024; a department that absorbed another in 2025 answers for 2024 with both. Nested paths are dropped.
   */
  async representatives(unit: ScopedUnit, year: number): Promise<YearRepresentative[]> {
    return (await this.representativesMany([unit.id], [year])).get(`${unit.id}:${year}`) ?? [];
  }

  /** The same for every (unit, year) of `unitIds` × `years`, in one query (the trend of every province at once). */
  async representativesMany(unitIds: string[], years: number[]): Promise<Map<string, YearRepresentative[]>> {
    const pairs = unitIds.flatMap((id) => years.map((y) => ({ id, year: y, day: cutoffOfDate(cutoffOf(y)) })));
    const rows = (await this.db.query(
      `WITH RECURSIVE pre(root, year, day, id, relation, n) AS (
         SELECT q.unit_id, q.year, q.day, q.unit_id, 'self'::text, 0 FROM unnest($1::uuid[], $2::int[], $3::date[]) AS q(unit_id, year, day)
         UNION
         SELECT pre.root, pre.year, pre.day, l.predecessor_id, CASE WHEN pre.relation = 'split' OR l.kind = 'split' THEN 'split' ELSE 'merge' END, pre.n + 1
           FROM pre JOIN org_unit_lineage l ON l.successor_id = pre.id
          WHERE l.effective_date > pre.day AND l.kind IN ('merge', 'split') AND pre.n < 20
       )
       SELECT DISTINCT ON (pre.root, pre.year, u.id) pre.root, pre.year, u.id, u.code, u.name, u.kind, u.valid_to::text AS "validTo", pre.relation,
              COALESCE((SELECT h.path FROM org_unit_paths h WHERE h.unit_id = u.id AND h.valid_from <= pre.day AND (h.valid_to IS NULL OR h.valid_to > pre.day)
                         ORDER BY h.valid_from DESC LIMIT 1), u.path) AS path
         FROM pre JOIN org_units u ON u.id = pre.id
        WHERE u.valid_from <= pre.day AND (u.valid_to IS NULL OR u.valid_to >= pre.day)
        ORDER BY pre.root, pre.year, u.id, pre.n`,
      [pairs.map((p) => p.id), pairs.map((p) => p.year), pairs.map((p) => p.day)],
    )) as Array<Omit<YearRepresentative, 'depth'> & { root: string; year: number }>;
    const grouped = new Map<string, YearRepresentative[]>(pairs.map((p) => [`${p.id}:${p.year}`, []]));
    for (const { root, year, ...r } of rows) grouped.get(`${root}:${Number(year)}`)?.push({ ...r, depth: (r.path.length - 1) / SEGMENT - 1 });
    for (const [key, reps] of grouped) {
      grouped.set(
        key,
        reps
          .filter((r) => !reps.some((o) => o !== r && r.path !== o.path && r.path.startsWith(o.path)))
          .sort((a, b) => (a.relation === 'self' ? -1 : b.relation === 'self' ? 1 : a.name.localeCompare(b.name, 'vi'))),
      );
    }
    return grouped;
  }

  /** Years with figures: from the first year with training data (or this year) to this year. */
  async knownYears(): Promise<{ first: number; current: number }> {
    const current = vnYear();
    const [{ first }] = (await this.db.query(
      `SELECT LEAST((SELECT min(training_year) FROM training_records), (SELECT min(training_year) FROM compliance_refresh_state), $1::int) AS first`,
      [current],
    )) as Array<{ first: number }>;
    return { first: Number(first), current };
  }

  async checkYear(year: number): Promise<void> {
    const { first, current } = await this.knownYears();
    if (year > current) throw DomainException.badRequest(ErrorCode.YearInFuture, [{ field: 'year', message: `at most ${current}` }]);
    if (year < first) throw DomainException.notFound(ErrorCode.YearUnknown);
    await this.ensureRefreshed(year);
  }

  /** A year never computed (first request after install) is computed now; later ones by the job. */
  private async ensureRefreshed(year: number): Promise<void> {
    const [row] = (await this.db.query(`SELECT refreshed_at FROM compliance_refresh_state WHERE training_year = $1`, [year])) as Array<{ refreshed_at: Date | null }>;
    if (!row?.refreshed_at) await this.refresher.refreshYear(year);
  }

  private async version(year: number): Promise<string> {
    const [row] = (await this.db.query(`SELECT refreshed_at FROM compliance_refresh_state WHERE training_year = $1`, [year])) as Array<{ refreshed_at: Date | null }>;
    return row?.refreshed_at ? String(row.refreshed_at.getTime()) : '0';
  }

  /** Redis cache keyed by the refresh time: a refresh makes every old key unreachable (they expire). */
  private async cached<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const hit = await this.redis.get(key).catch(() => null);
    if (hit) return JSON.parse(hit) as T;
    const value = await compute();
    await this.redis.set(key, JSON.stringify(value), 'EX', 600).catch(() => undefined);
    return value;
  }

  // ---- coverage -----------------------------------------------------------------------------

  /**
   * One unit and its direct children; without `unitId` and with grants on several units (a national or
   * multi-province admin), every top unit of the caller's grants as the children of an "all" row (unitId '').
   */
  async coverage(actor: Actor, year: number, unitId?: string): Promise<CoverageReport> {
    const tops = unitId ? [] : await this.topUnits(actor);
    if (tops.length > 1) {
      await this.checkYear(year);
      const version = await this.version(year);
      return this.cached(`compliance:coverage:${year}:all:${tops.map((u) => u.id).join(',')}:${version}`, () => this.computeForest(tops, year));
    }
    const unit = await this.unitInScope(actor, unitId);
    await this.checkYear(year);
    const version = await this.version(year);
    return this.cached(`compliance:coverage:${year}:${unit.id}:${version}`, () => this.computeCoverage(unit, year));
  }

  /** The top units of the caller's reader grants (403 without any). */
  async topUnits(actor: Actor): Promise<ScopedUnit[]> {
    const scopes = actor.scopePaths(COMPLIANCE_READER_ROLES);
    if (scopes.length === 0) throw DomainException.forbidden();
    return (await this.db.query(
      `SELECT id, code, name, kind, path, depth, valid_to::text AS "validTo" FROM org_units
        WHERE path = ANY($1::text[]) OR ('/' = ANY($1::text[]) AND parent_id IS NULL AND valid_to IS NULL) ORDER BY name`,
      [scopes],
    )) as ScopedUnit[];
  }

  /** Sums over (key, path prefix) pairs for one year: one row per key. */
  private async sumsByKey(year: number, pairs: Array<{ key: string; path: string }>): Promise<Map<string, SumRow>> {
    if (pairs.length === 0) return new Map();
    const rows = (await this.db.query(
      `SELECT x.key AS child, ${SUMS}
         FROM unnest($2::text[], $3::text[]) AS x(prefix, key)
         JOIN compliance_unit_stats s ON s.training_year = $1 AND s.path LIKE x.prefix
        GROUP BY x.key`,
      [year, pairs.map((p) => likePrefix(p.path)), pairs.map((p) => p.key)],
    )) as SumRow[];
    return new Map(rows.map((r) => [r.child as string, r]));
  }

  /** Several subtrees at once (the whole country for a national admin): one row per top unit and their sum. */
  async computeForest(tops: ScopedUnit[], year: number): Promise<CoverageReport> {
    const reps = await this.representativesMany(tops.map((u) => u.id), [year]);
    const pairs = tops.flatMap((u) => (reps.get(`${u.id}:${year}`) ?? []).map((r) => ({ key: u.id, path: r.path })));
    const byId = await this.sumsByKey(year, pairs);
    let total = figures(undefined);
    const children: CoverageRow[] = tops.map((u) => {
      const f = figures(byId.get(u.id));
      total = addFigures(total, f);
      return { unitId: u.id, code: u.code, name: u.name, kind: u.kind, depth: u.depth, closed: u.validTo !== null, hasChildren: true, ...f };
    });
    const [state] = (await this.db.query(`SELECT refreshed_at FROM compliance_refresh_state WHERE training_year = $1`, [year])) as Array<{ refreshed_at: Date | null }>;
    return {
      year,
      unit: { unitId: '', code: '', name: 'Tất cả đơn vị được giao', kind: 'all', depth: -1, closed: false, hasChildren: true, ...total },
      children,
      refreshedAt: state?.refreshed_at?.toISOString() ?? null,
    };
  }

  /**
   * Uncached: the unit's own row plus one row per direct child that has figures that year, in the structure of
   * that year; for a year before the unit was formed (or before others merged into it), one row per former unit
   * that answers for it (`formerUnit`: merged in, or split — then its figures are whole and also count elsewhere).
   */
  async computeCoverage(unit: ScopedUnit, year: number): Promise<CoverageReport> {
    const reps = await this.representatives(unit, year);
    const self = reps.find((r) => r.relation === 'self');
    const rows = self
      ? ((await this.db.query(
          `SELECT CASE WHEN s.path = $3 THEN NULL ELSE substr(s.path, $4, 36) END AS child, max(length(s.path))::int AS maxlen, ${SUMS}
             FROM compliance_unit_stats s
            WHERE s.training_year = $1 AND s.path LIKE $2
            GROUP BY 1`,
          [year, likePrefix(self.path), self.path, self.path.length + 1],
        )) as Array<SumRow & { maxlen: number }>)
      : [];
    const childIds = rows.map((r) => r.child).filter((c): c is string => !!c);
    const deeper = new Map(rows.map((r) => [r.child, r.maxlen > (self?.path.length ?? 0) + SEGMENT]));
    const info = childIds.length
      ? ((await this.db.query(`SELECT u.id, u.code, u.name, u.kind, u.valid_to IS NOT NULL AS closed FROM org_units u WHERE u.id = ANY($1::uuid[])`, [childIds])) as Array<{
          id: string;
          code: string;
          name: string;
          kind: string;
          closed: boolean;
        }>).map((i) => ({ ...i, depth: (self?.depth ?? 0) + 1, hasChildren: deeper.get(i.id) ?? false }))
      : [];
    const byId = new Map(info.map((i) => [i.id, i]));
    let total = figures(undefined);
    const children: CoverageRow[] = [];
    for (const r of rows) {
      const f = figures(r);
      total = addFigures(total, f);
      const i = r.child ? byId.get(r.child) : undefined;
      if (i) children.push({ unitId: i.id, code: i.code, name: i.name, kind: i.kind, depth: i.depth, closed: i.closed, hasChildren: i.hasChildren, ...f });
    }
    children.sort((a, b) => a.name.localeCompare(b.name, 'vi'));
    const former = reps.filter((r) => r.relation !== 'self');
    const sums = await this.sumsByKey(year, former.map((r) => ({ key: r.id, path: r.path })));
    for (const r of former) {
      const f = figures(sums.get(r.id));
      total = addFigures(total, f);
      children.push({ unitId: r.id, code: r.code, name: r.name, kind: r.kind, depth: r.depth, closed: r.validTo !== null, hasChildren: true, formerUnit: r.relation === 'split' ? 'split' : 'merge', ...f });
    }
    const [state] = (await this.db.query(`SELECT refreshed_at FROM compliance_refresh_state WHERE training_year = $1`, [year])) as Array<{ refreshed_at: Date | null }>;
    return {
      year,
      unit: { unitId: unit.id, code: unit.code, name: unit.name, kind: unit.kind, depth: unit.depth, closed: unit.validTo !== null, hasChildren: children.length > 0, ...total },
      children,
      refreshedAt: state?.refreshed_at?.toISOString() ?? null,
    };
  }

  /** Figures for every unit of the subtree `levels` below the unit, grouped by level (the XLSX sheets), in the structure of that year. */
  async coverageByLevel(unit: ScopedUnit, year: number, levels = 3): Promise<CoverageRow[][]> {
    const self = (await this.representatives(unit, year)).find((r) => r.relation === 'self');
    if (!self) return [];
    const out: CoverageRow[][] = [];
    for (let d = self.depth + 1; d <= self.depth + levels; d++) {
      const rows = (await this.db.query(
        `SELECT substr(s.path, $3, 36) AS child, ${SUMS}
           FROM compliance_unit_stats s
          WHERE s.training_year = $1 AND s.path LIKE $2 AND length(s.path) >= $4
          GROUP BY 1`,
        [year, likePrefix(self.path), 2 + SEGMENT * d, 1 + SEGMENT * (d + 1)],
      )) as SumRow[];
      if (rows.length === 0) break;
      const info = (await this.db.query(
        `SELECT id, code, name, kind, valid_to IS NOT NULL AS closed FROM org_units WHERE id = ANY($1::uuid[])`,
        [rows.map((r) => r.child)],
      )) as Array<{ id: string; code: string; name: string; kind: string; closed: boolean }>;
      const byId = new Map(info.map((i) => [i.id, i]));
      out.push(
        rows
          .map((r) => {
            const i = byId.get(r.child ?? '');
            return i ? ({ unitId: i.id, code: i.code, name: i.name, kind: i.kind, depth: d, closed: i.closed, hasChildren: false, ...figures(r) } as CoverageRow) : null;
          })
          .filter((x): x is CoverageRow => !!x)
          .sort((a, b) => a.code.localeCompare(b.code)),
      );
    }
    return out;
  }

  /** Same scope rule as `coverage`: without `unitId` and with several top units, all of them together. */
  async trend(actor: Actor, unitId?: string): Promise<CoverageTrend> {
    const tops = unitId ? [] : await this.topUnits(actor);
    const units = tops.length > 1 ? tops : [await this.unitInScope(actor, unitId)];
    const { first, current } = await this.knownYears();
    await this.ensureRefreshed(current);
    const version = await this.version(current);
    return this.cached(`compliance:trend:${units.map((u) => u.id).join(',')}:${first}:${version}`, () => this.computeTrend(units, first, current));
  }

  /** One point per year, each year summed over the units that answered for these units then (one line through mergers). */
  async computeTrend(units: ScopedUnit[], first: number, current: number): Promise<CoverageTrend> {
    const years = Array.from({ length: current - first + 1 }, (_, i) => first + i);
    const reps = await this.representativesMany(units.map((u) => u.id), years);
    const pairs = years.flatMap((year) => units.flatMap((u) => (reps.get(`${u.id}:${year}`) ?? []).map((r) => ({ year, path: r.path }))));
    const rows = (await this.db.query(
      `SELECT x.year, ${SUMS}
         FROM unnest($1::int[], $2::text[]) AS x(year, prefix)
         JOIN compliance_unit_stats s ON s.training_year = x.year AND s.path LIKE x.prefix
        GROUP BY x.year ORDER BY x.year`,
      [pairs.map((p) => p.year), pairs.map((p) => likePrefix(p.path))],
    )) as Array<SumRow & { year: number }>;
    const points: TrendPoint[] = rows.map((r) => ({ year: Number(r.year), ...figures(r) }));
    // The current year is still running (people train until December): the line goes through completed years
    // when there are at least two of them, else through whatever there is.
    const all = points.filter((p) => p.coverageRate !== null).map((p) => ({ year: p.year, rate: p.coverageRate as number }));
    const completed = all.filter((p) => p.year < current);
    const rated = completed.length >= 2 ? completed : all;
    return {
      unitId: units.length === 1 ? units[0].id : '',
      points,
      projection: projectToYear(rated, COVERAGE_TARGET_YEAR),
      target: { year: COVERAGE_TARGET_YEAR, coverageRate: 1 },
    };
  }

  // ---- untrained list ------------------------------------------------------------------------

  async untrained(
    actor: Actor,
    q: { year: number; unitId?: string; category?: string; reason?: UntrainedReason; page?: number; pageSize?: number },
  ): Promise<Page<UntrainedPerson>> {
    const unit = await this.unitInScope(actor, q.unitId);
    await this.checkYear(q.year);
    return this.untrainedOf(unit, q);
  }

  async countUntrained(unit: ScopedUnit, q: { year: number; category?: string; reason?: string }): Promise<number> {
    const { where, params } = await this.untrainedWhere(unit, q);
    const [{ n }] = (await this.db.query(
      `SELECT count(*)::int AS n FROM compliance_person_status s ${UNTRAINED_JOINS} WHERE ${where}`,
      params,
    )) as Array<{ n: number }>;
    return n;
  }

  /** Members of the unit that year, in that year's structure (former units included), not (yet) trained. */
  private async untrainedWhere(unit: ScopedUnit, q: { year: number; category?: string; reason?: string }): Promise<{ where: string; params: unknown[] }> {
    const prefixes = (await this.representatives(unit, q.year)).map((r) => likePrefix(r.path));
    const params: unknown[] = [q.year, prefixes];
    const where = [`s.training_year = $1`, `cs.path LIKE ANY($2::text[])`, `s.status IN ('in_progress', 'not_started')`];
    if (q.category) {
      params.push(q.category);
      where.push(`p.network_category = $${params.length}`);
    }
    if (q.reason) {
      params.push(q.reason);
      where.push(`s.reason = $${params.length}`);
    }
    return { where: where.join(' AND '), params };
  }

  async untrainedOf(unit: ScopedUnit, q: { year: number; category?: string; reason?: string; page?: number; pageSize?: number }): Promise<Page<UntrainedPerson>> {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 50;
    const { where, params } = await this.untrainedWhere(unit, q);
    const total = await this.countUntrained(unit, q);
    const rows = (await this.db.query(
      `SELECT s.person_id, p.staff_code, p.full_name, p.email, s.org_unit_id, u.name AS unit_name, p.network_category, p.position,
              s.status, s.reason, s.periods, s.required_periods
         FROM compliance_person_status s ${UNTRAINED_JOINS}
        WHERE ${where}
        ORDER BY cs.path, p.sort_key COLLATE "C", p.id LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
      params,
    )) as Array<Record<string, unknown>>;
    return {
      items: rows.map((r) => ({
        personId: r['person_id'] as string,
        staffCode: r['staff_code'] as string,
        fullName: r['full_name'] as string,
        email: (r['email'] as string | null) ?? null,
        orgUnitId: r['org_unit_id'] as string,
        orgUnitName: r['unit_name'] as string,
        networkCategory: (r['network_category'] as string | null) ?? null,
        position: (r['position'] as string | null) ?? null,
        status: r['status'] as TrainingStatus,
        reason: r['reason'] as UntrainedReason,
        periods: Number(r['periods']),
        requiredPeriods: r['required_periods'] === null ? null : Number(r['required_periods']),
      })),
      total,
      page,
      pageSize,
    };
  }

  // ---- requirements --------------------------------------------------------------------------

  async listRequirements(actor: Actor, year: number): Promise<RequirementsList> {
    const scopes = actor.scopePaths(COMPLIANCE_READER_ROLES);
    if (scopes.length === 0) throw DomainException.forbidden();
    const rows = (await this.db.query(
      `SELECT r.*, r.deadline::text AS deadline_text, u.name AS unit_name FROM training_requirements r JOIN org_units u ON u.id = r.org_unit_id
        WHERE r.training_year = $1 AND u.path LIKE ANY($2::text[]) ORDER BY u.path, r.network_category NULLS FIRST, r.position NULLS FIRST, r.created_at`,
      [year, scopes.map(likePrefix)],
    )) as Array<Record<string, unknown>>;
    const items = rows.map((r) => this.toRequirement(r));
    return { items, conflicts: findConflicts(items) };
  }

  private toRequirement(r: Record<string, unknown>): TrainingRequirement {
    return {
      id: r['id'] as string,
      year: Number(r['training_year']),
      orgUnitId: r['org_unit_id'] as string,
      orgUnitName: (r['unit_name'] as string) ?? '',
      networkCategory: (r['network_category'] as string | null) ?? null,
      position: (r['position'] as string | null) ?? null,
      minPeriods: r['min_periods'] === null ? null : Number(r['min_periods']),
      courseIds: (r['course_ids'] as string[]) ?? [],
      deadline: r['deadline_text'] as string,
      active: r['active'] as boolean,
    };
  }

  private async getRequirement(id: string): Promise<TrainingRequirement & { path: string }> {
    const [r] = (await this.db.query(
      `SELECT r.*, r.deadline::text AS deadline_text, u.name AS unit_name, u.path FROM training_requirements r JOIN org_units u ON u.id = r.org_unit_id WHERE r.id = $1`,
      [id],
    )) as Array<Record<string, unknown>>;
    if (!r) throw DomainException.notFound(ErrorCode.RequirementNotFound);
    return { ...this.toRequirement(r), path: r['path'] as string };
  }

  /** A rule's deadline is a day of its own year (qualifying training is counted per calendar year). */
  private validateRule(year: number, deadline: string | undefined): void {
    if (deadline && !deadline.startsWith(`${year}-`)) {
      throw DomainException.badRequest(ErrorCode.ValidationFailed, [{ field: 'deadline', message: `must be a day of ${year}` }]);
    }
  }

  /** Refuses a rule whose (year, unit, category, position) already has an active rule: RULES_CONTRADICT with the other rule. */
  private async assertNoContradiction(rule: { id?: string; year: number; orgUnitId: string; networkCategory: string | null; position: string | null }): Promise<void> {
    const rows = (await this.db.query(
      `SELECT r.*, r.deadline::text AS deadline_text FROM training_requirements r WHERE r.training_year = $1 AND r.org_unit_id = $2 AND r.active AND ($3::uuid IS NULL OR r.id <> $3)`,
      [rule.year, rule.orgUnitId, rule.id ?? null],
    )) as Array<Record<string, unknown>>;
    const key = ruleKey(rule);
    const clash = rows.map((r) => this.toRequirement(r)).find((r) => ruleKey(r) === key);
    if (clash) {
      throw DomainException.conflict(ErrorCode.RulesContradict, [
        { field: 'ruleId', message: clash.id },
        { field: 'existing', message: `minPeriods=${clash.minPeriods ?? '-'}, courses=${clash.courseIds.length}, deadline=${clash.deadline}` },
      ]);
    }
  }

  async createRequirement(actor: Actor, dto: CreateRequirementDto): Promise<TrainingRequirement> {
    await this.unitInScope(actor, dto.orgUnitId, COMPLIANCE_RULE_ROLES);
    this.validateRule(dto.year, dto.deadline);
    await this.assertCourses(dto.courseIds ?? []);
    const rule = { year: dto.year, orgUnitId: dto.orgUnitId, networkCategory: dto.networkCategory ?? null, position: dto.position || null };
    const id = await this.db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('compliance-rules'), $1)`, [dto.year]);
      await this.assertNoContradiction(rule);
      const [row] = (await tx.query(
        `INSERT INTO training_requirements (training_year, org_unit_id, network_category, position, min_periods, course_ids, deadline, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [dto.year, dto.orgUnitId, rule.networkCategory, rule.position, dto.minPeriods ?? null, dto.courseIds ?? [], dto.deadline ?? `${dto.year}-12-31`, actor.userId],
      )) as Array<{ id: string }>;
      await this.audit.record(tx, actor, { action: 'training_requirement.created', entityType: 'training_requirement', entityId: row.id, after: { ...dto }, orgUnitIds: [dto.orgUnitId] });
      await this.refresher.markDirty(tx, dto.year);
      return row.id;
    });
    await this.queue.add(JobName.ComplianceRefresh, { years: [dto.year] });
    return this.getRequirement(id);
  }

  async updateRequirement(actor: Actor, id: string, dto: UpdateRequirementDto): Promise<TrainingRequirement> {
    const before = await this.getRequirement(id);
    if (!actor.covers(before.path, COMPLIANCE_RULE_ROLES)) throw DomainException.notFound(ErrorCode.RequirementNotFound);
    this.validateRule(before.year, dto.deadline);
    if (dto.courseIds) await this.assertCourses(dto.courseIds);
    await this.db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('compliance-rules'), $1)`, [before.year]);
      if (dto.active === true && !before.active) await this.assertNoContradiction({ ...before, id });
      await tx.query(
        `UPDATE training_requirements SET min_periods = CASE WHEN $2 THEN $3::int ELSE min_periods END, course_ids = COALESCE($4::uuid[], course_ids),
                deadline = COALESCE($5::date, deadline), active = COALESCE($6::boolean, active) WHERE id = $1`,
        [id, dto.minPeriods !== undefined, dto.minPeriods ?? null, dto.courseIds ?? null, dto.deadline ?? null, dto.active ?? null],
      );
      await this.audit.record(tx, actor, { action: 'training_requirement.updated', entityType: 'training_requirement', entityId: id, before: { ...before }, after: { ...dto }, orgUnitIds: [before.orgUnitId] });
      await this.refresher.markDirty(tx, before.year);
    });
    await this.queue.add(JobName.ComplianceRefresh, { years: [before.year] });
    return this.getRequirement(id);
  }

  private async assertCourses(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const [{ n }] = (await this.db.query(`SELECT count(*)::int AS n FROM courses WHERE id = ANY($1::uuid[])`, [ids])) as Array<{ n: number }>;
    if (n !== new Set(ids).size) throw DomainException.badRequest(ErrorCode.CourseNotFound, [{ field: 'courseIds', message: 'unknown course' }]);
  }

  // ---- exemptions ------------------------------------------------------------------------------

  async listExemptions(actor: Actor, year: number, unitId?: string): Promise<Exemption[]> {
    const unit = await this.unitInScope(actor, unitId);
    const rows = (await this.db.query(
      `SELECT e.id, e.person_id, p.full_name, p.staff_code, e.training_year, e.reason, e.created_at
         FROM compliance_exemptions e JOIN people p ON p.id = e.person_id JOIN org_units u ON u.id = p.org_unit_id
        WHERE e.training_year = $1 AND u.path LIKE $2 ORDER BY p.sort_key COLLATE "C" LIMIT 1000`,
      [year, likePrefix(unit.path)],
    )) as Array<Record<string, unknown>>;
    return rows.map((r) => ({
      id: r['id'] as string,
      personId: r['person_id'] as string,
      fullName: r['full_name'] as string,
      staffCode: r['staff_code'] as string,
      year: Number(r['training_year']),
      reason: r['reason'] as string,
      createdAt: (r['created_at'] as Date).toISOString(),
    }));
  }

  private async personInScope(actor: Actor, personId: string, notFound = ErrorCode.PersonNotFound): Promise<void> {
    const [p] = (await this.db.query(`SELECT u.path FROM people p JOIN org_units u ON u.id = p.org_unit_id WHERE p.id = $1`, [personId])) as Array<{ path: string }>;
    if (actor.scopePaths(COMPLIANCE_EXEMPTION_ROLES).length === 0) throw DomainException.forbidden();
    if (!p || !actor.covers(p.path, COMPLIANCE_EXEMPTION_ROLES)) throw DomainException.notFound(notFound);
  }

  async createExemption(actor: Actor, dto: CreateExemptionDto): Promise<Exemption> {
    await this.personInScope(actor, dto.personId);
    if (dto.year > vnYear() + 1) throw DomainException.badRequest(ErrorCode.YearInFuture, [{ field: 'year', message: `at most ${vnYear() + 1}` }]);
    const id = await this.db.transaction(async (tx) => {
      const [row] = (await tx.query(
        `INSERT INTO compliance_exemptions (person_id, training_year, reason, created_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (person_id, training_year) DO NOTHING RETURNING id`,
        [dto.personId, dto.year, dto.reason, actor.userId],
      )) as Array<{ id: string }>;
      if (!row) throw DomainException.conflict(ErrorCode.ExemptionExists);
      await this.audit.record(tx, actor, { action: 'compliance_exemption.created', entityType: 'compliance_exemption', entityId: row.id, after: { ...dto }, personId: dto.personId });
      await this.refresher.markDirty(tx, dto.year);
      return row.id;
    });
    await this.queue.add(JobName.ComplianceRefresh, { years: [dto.year] });
    const [e] = (await this.db.query(
      `SELECT e.id, e.person_id, p.full_name, p.staff_code, e.training_year, e.reason, e.created_at FROM compliance_exemptions e JOIN people p ON p.id = e.person_id WHERE e.id = $1`,
      [id],
    )) as Array<Record<string, unknown>>;
    return {
      id,
      personId: e['person_id'] as string,
      fullName: e['full_name'] as string,
      staffCode: e['staff_code'] as string,
      year: Number(e['training_year']),
      reason: e['reason'] as string,
      createdAt: (e['created_at'] as Date).toISOString(),
    };
  }

  async deleteExemption(actor: Actor, id: string): Promise<void> {
    const [e] = (await this.db.query(`SELECT * FROM compliance_exemptions WHERE id = $1`, [id])) as Array<Record<string, unknown>>;
    if (!e) throw DomainException.notFound(ErrorCode.ExemptionNotFound);
    await this.personInScope(actor, e['person_id'] as string, ErrorCode.ExemptionNotFound);
    await this.db.transaction(async (tx) => {
      await tx.query(`DELETE FROM compliance_exemptions WHERE id = $1`, [id]);
      await this.audit.record(tx, actor, { action: 'compliance_exemption.deleted', entityType: 'compliance_exemption', entityId: id, before: { ...e }, personId: e['person_id'] as string });
      await this.refresher.markDirty(tx, Number(e['training_year']));
    });
    await this.queue.add(JobName.ComplianceRefresh, { years: [Number(e['training_year'])] });
  }
}

/**
 * Active rules that contradict: same (year, unit, category, position) but different thresholds — the
 * database can hold them when they were written before this check or re-activated by hand.
 */
export function findConflicts(rules: TrainingRequirement[]): RequirementsList['conflicts'] {
  const out: RequirementsList['conflicts'] = [];
  const active = rules.filter((r) => r.active);
  for (let i = 0; i < active.length; i++) {
    for (let j = i + 1; j < active.length; j++) {
      const a = active[i];
      const b = active[j];
      if (ruleKey(a) !== ruleKey(b)) continue;
      out.push({
        ruleIds: [a.id, b.id],
        message: `${a.orgUnitName} ${a.year}: ${a.networkCategory ?? '*'} / ${a.position ?? '*'} — ${a.minPeriods ?? '-'} vs ${b.minPeriods ?? '-'} periods`,
      });
    }
  }
  return out;
}
