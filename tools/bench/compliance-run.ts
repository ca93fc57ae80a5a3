/**
 * The measuring half of `npm run bench:compliance` (tools/bench/compliance.mjs creates and loads the scratch
 * database, then runs this under ts-node). Uses the real ComplianceRefreshService / ComplianceService against
 * the database and Redis, and times, for one year: the whole country (every province), a drill-down into the
 * largest province and into one commune, and the trend — three ways:
 *   naive      live query: people × unit history × training records × enrolments × exemptions, statuses on the fly
 *   roll-up    the per-(year, unit) table summed over a path prefix (what a request costs right after a refresh: cold cache)
 *   cached     the api's path: scope check, year check, Redis hit (warm)
 *   node -r ts-node/register -r tsconfig-paths/register tools/bench/compliance-run.ts --database-url URL [--repetitions N] [--naive-repetitions N]
 */
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { Role } from '@dxtrain/shared/contracts';
import { Actor } from '@dxtrain/server/platform';
import { ComplianceRefreshService, ComplianceService, cutoffOf, ScopedUnit, startOf, vnYear } from '@dxtrain/server/compliance';

function arg(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function time<T>(n: number, fn: () => Promise<T>, warmup = 1): Promise<{ p50: number; p95: number; result: T }> {
  let result!: T;
  for (let i = 0; i < warmup; i++) result = await fn();
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    result = await fn();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return { p50: pct(samples, 50), p95: pct(samples, 95), result };
}

/** The naive way: the same figures computed live from the facts, for the subtrees given (default rule of "at least 8 periods" per province as loaded). */
const NAIVE_SQL = `
  WITH m AS (
    SELECT p.id AS person_id, x.id AS top, u.id AS unit_id
      FROM unnest($4::text[], $5::uuid[]) AS x(prefix, id)
      JOIN org_units u ON u.path LIKE x.prefix
      JOIN person_unit_history h ON h.org_unit_id = u.id AND h.valid_from < $2 AND (h.valid_to IS NULL OR h.valid_to >= $2)
      JOIN people p ON p.id = h.person_id AND (p.active OR p.deactivated_at > $2)
  ), rec AS (
    SELECT t.person_id, sum(t.periods) AS periods FROM training_records t JOIN m ON m.person_id = t.person_id
     WHERE t.training_year = $1 AND t.completed_at < $3 GROUP BY t.person_id
  )
  SELECT m.top, count(*)::int AS members,
         count(*) FILTER (WHERE ex.person_id IS NULL AND COALESCE(rec.periods, 0) >= 8)::int AS trained,
         count(*) FILTER (WHERE ex.person_id IS NOT NULL)::int AS exempt,
         count(*) FILTER (WHERE ex.person_id IS NULL AND COALESCE(rec.periods, 0) < 8 AND (rec.person_id IS NOT NULL OR EXISTS (
           SELECT 1 FROM enrolments e WHERE e.person_id = m.person_id AND e.training_year = $1 AND e.status <> 'withdrawn')))::int AS in_progress
    FROM m LEFT JOIN rec ON rec.person_id = m.person_id
           LEFT JOIN compliance_exemptions ex ON ex.person_id = m.person_id AND ex.training_year = $1
   GROUP BY m.top`;

async function main(): Promise<void> {
  const url = arg('database-url');
  if (!url) throw new Error('--database-url is required');
  const N = Number(arg('repetitions', '30'));
  const NAIVE_N = Number(arg('naive-repetitions', '5'));
  const db = new DataSource({ type: 'postgres', url, entities: [], extra: { max: 4 } });
  await db.initialize();
  const redis = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', { keyPrefix: `bench-compliance-${process.pid}:`, maxRetriesPerRequest: 2 });
  const refresher = new ComplianceRefreshService(db);
  const noQueue = { add: async () => undefined } as never;
  const service = new ComplianceService(db, redis, noQueue, refresher, {} as never);
  try {
    const year = vnYear();
    const years = ((await db.query(`SELECT training_year AS y FROM compliance_refresh_state ORDER BY 1`)) as Array<{ y: number }>).map((r) => Number(r.y));
    console.log(`Refresh (recompute every member's status and the per-unit roll-up, one transaction per year):`);
    for (const y of years) {
      const r = await refresher.refreshYear(y);
      console.log(`  ${y}: ${r.members} members in ${(r.ms / 1000).toFixed(1)} s`);
    }
    await db.query('VACUUM ANALYZE compliance_person_status');
    await db.query('VACUUM ANALYZE compliance_unit_stats');

    const roots = (await db.query(`SELECT id, code, name, kind, path, depth, NULL AS "validTo" FROM org_units WHERE parent_id IS NULL ORDER BY code`)) as ScopedUnit[];
    const actor = new Actor(randomUUID(), 'bench', null, roots.map((r) => ({ role: Role.Admin, orgUnitId: r.id, path: r.path })));
    const largest = async (where: string, params: unknown[]) =>
      ((await db.query(
        `SELECT u.id, u.code, u.name, u.kind, u.path, u.depth, NULL AS "validTo", (SELECT count(*) FROM people p WHERE p.org_unit_id IN (SELECT d.id FROM org_units d WHERE d.path LIKE u.path || '%'))::int AS size
           FROM org_units u WHERE ${where} ORDER BY size DESC, u.code LIMIT 1`,
        params,
      )) as Array<ScopedUnit & { size: number }>)[0];
    const province = await largest(`u.parent_id IS NULL`, []);
    const commune = await largest(`u.kind = 'commune' AND u.path LIKE $1`, [province.path + '%']);
    const [{ units, people, records }] = (await db.query(
      `SELECT (SELECT count(*) FROM org_units)::int AS units, (SELECT count(*) FROM people)::int AS people, (SELECT count(*) FROM training_records)::int AS records`,
    )) as Array<{ units: number; people: number; records: number }>;
    console.log(`\nData: ${units} units, ${people} people, ${records} training records; year ${year}.`);
    console.log(`Province ${province.code} "${province.name}" (${province.size} people), commune ${commune.code} "${commune.name}" (${commune.size} people).\n`);

    const cutoff = cutoffOf(year);
    const naive = (tops: ScopedUnit[]) => () =>
      db.query(NAIVE_SQL, [year, cutoff, startOf(year + 1), tops.map((u) => u.path + '%'), tops.map((u) => u.id)]) as Promise<Array<{ members: number; trained: number }>>;
    const rows: Array<{ query: string; way: string; p50: number; p95: number; check: string }> = [];
    const sum = (r: Array<{ members: number; trained: number }>) => `${r.reduce((a, b) => a + b.members, 0)}/${r.reduce((a, b) => a + b.trained, 0)}`;
    const cases: Array<[string, ScopedUnit[], string | undefined]> = [
      ['whole country, one year', roots, undefined],
      [`province ${province.code}`, [province], province.id],
      [`commune ${commune.code}`, [commune], commune.id],
    ];
    for (const [label, tops, unitId] of cases) {
      const n = await time(label.startsWith('commune') ? N : NAIVE_N, naive(tops));
      rows.push({ query: label, way: 'naive (live join)', p50: n.p50, p95: n.p95, check: sum(n.result) });
      const cold = await time(N, () => (tops.length > 1 ? service.computeForest(tops, year) : service.computeCoverage(tops[0], year)));
      rows.push({ query: label, way: 'roll-up (cold cache)', p50: cold.p50, p95: cold.p95, check: `${cold.result.unit.members}/${cold.result.unit.trained}` });
      const warm = await time(N, () => service.coverage(actor, year, unitId));
      rows.push({ query: label, way: 'api path, Redis (warm)', p50: warm.p50, p95: warm.p95, check: `${warm.result.unit.members}/${warm.result.unit.trained}` });
    }
    const first = years[0] ?? year;
    const naiveTrend = async () => {
      const out = [];
      for (let y = first; y <= year; y++) out.push(await db.query(NAIVE_SQL, [y, cutoffOf(y), startOf(y + 1), roots.map((u) => u.path + '%'), roots.map((u) => u.id)]));
      return out;
    };
    const tn = await time(Math.max(1, Math.min(NAIVE_N, 3)), naiveTrend, 0);
    rows.push({ query: `trend ${first}–${year}, country`, way: 'naive (live join)', p50: tn.p50, p95: tn.p95, check: `${tn.result.length} years` });
    const tc = await time(N, () => service.computeTrend(roots, first, year));
    rows.push({ query: `trend ${first}–${year}, country`, way: 'roll-up (cold cache)', p50: tc.p50, p95: tc.p95, check: `${tc.result.points.length} years` });
    const tw = await time(N, () => service.trend(actor));
    rows.push({ query: `trend ${first}–${year}, country`, way: 'api path, Redis (warm)', p50: tw.p50, p95: tw.p95, check: `${tw.result.points.length} years` });

    const pad = (s: string, n: number) => s.padEnd(n);
    const lpad = (s: string, n: number) => s.padStart(n);
    const header = `${pad('query', 30)} ${pad('way', 24)} ${lpad('p50 ms', 10)} ${lpad('p95 ms', 10)}  members/trained`;
    console.log(header);
    console.log('-'.repeat(header.length + 4));
    let last = '';
    for (const r of rows) {
      console.log(`${pad(r.query === last ? '' : r.query, 30)} ${pad(r.way, 24)} ${lpad(r.p50.toFixed(2), 10)} ${lpad(r.p95.toFixed(2), 10)}  ${r.check}`);
      last = r.query;
    }
    console.log(`(client round trip included; naive: ${NAIVE_N} runs for country/province, roll-up and cached: ${N} runs after 1 warm-up)`);
    let mismatch = false;
    for (const label of cases.map((c) => c[0])) {
      const [n, c] = rows.filter((r) => r.query === label);
      const [nm] = n.check.split('/');
      const [cm] = c.check.split('/');
      if (nm !== cm) {
        console.error(`MISMATCH in members for ${label}: naive ${n.check} vs roll-up ${c.check}`);
        mismatch = true;
      }
    }

    // Freshness: a new completion event recomputes that person and their unit's roll-up row at once.
    const [{ id: personId }] = (await db.query(`SELECT s.person_id AS id FROM compliance_person_status s WHERE s.training_year = $1 AND s.status = 'not_started' AND s.org_unit_id = $2 LIMIT 1`, [year, commune.id])) as Array<{ id: string }>;
    const before = await service.coverage(actor, year, commune.id);
    const t0 = process.hrtime.bigint();
    await refresher.onClassCompleted({ completionId: randomUUID(), personId, classId: randomUUID(), courseId: null, classTitle: 'bench', periods: 40, completedAt: new Date().toISOString(), trainingYear: year });
    const eventMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const after = await service.coverage(actor, year, commune.id);
    const country = await service.coverage(actor, year);
    console.log(
      `\nFreshness: a new completion in ${commune.code}: trained ${before.unit.trained} → ${after.unit.trained} on the next request ` +
        `(the event handler, record + that person's status + their unit's row, took ${eventMs.toFixed(1)} ms; the whole-year recompute above runs ` +
        `only for rule/exemption changes and every COMPLIANCE_REFRESH_STALE_SECONDS for the current year). Country now ${country.unit.trained} trained.`,
    );
    if (after.unit.trained !== before.unit.trained + 1) {
      console.error('the new completion did not show');
      mismatch = true;
    }
    console.log(`RESULT ${JSON.stringify({ ok: !mismatch })}`);
  } finally {
    // ioredis does not prefix KEYS patterns: ask for this run's keys only.
    const prefix = `bench-compliance-${process.pid}:`;
    const keys = await redis.keys(`${prefix}*`).catch(() => [] as string[]);
    if (keys.length) await redis.del(...keys.map((k) => k.replace(prefix, ''))).catch(() => undefined);
    redis.disconnect();
    await db.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
