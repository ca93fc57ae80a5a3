#!/usr/bin/env node
// Benchmarks subtree queries on the organisation tree at national scale:
//   (a) all units under X   (b) count of active people in the subtree of X
// for X = a whole province, a district and a commune, two ways:
//   path — the materialised path: `path LIKE $prefix || '%'` (index IDX_org_units_path_pattern, text_pattern_ops)
//   cte  — the naive way: a recursive CTE walking parent_id (index IDX_org_units_parent at each level)
// on a scratch database (created, loaded with synthetic data, dropped), warm, N repetitions each.
//   npm run bench:subtree [-- --units 10000 --people 500000 --repetitions 50 --database-url URL --keep]
import pg from 'pg';
import { loadSynthetic, parseArgs, positiveInt, postgresUrl, redact } from './args.mjs';
import { createDatabase, dropDatabase, DEFAULT_ADMIN_URL } from '../scripts/pg-util.mjs';

const USAGE =
  'usage: npm run bench:subtree -- [--units <n>] [--people <n>] [--repetitions <n>] [--warmup <n>] [--database-url <server url>] [--keep yes]';
const { args } = parseArgs(
  process.argv.slice(2),
  {
    units: positiveInt(1_000_000),
    people: positiveInt(10_000_000),
    repetitions: positiveInt(100_000),
    warmup: positiveInt(1_000),
    'database-url': postgresUrl,
    keep: (v) => (['yes', 'no'].includes(v) ? { value: v === 'yes' } : { error: 'must be yes or no' }),
  },
  { program: 'bench:subtree', usage: USAGE },
);
const units = args.units ?? 10_000;
const people = args.people ?? 500_000;
const N = args.repetitions ?? 50;
const WARMUP = args.warmup ?? 5;
const server = args['database-url'] ?? process.env.DATABASE_URL ?? DEFAULT_ADMIN_URL;
const scratch = `dxtrain_bench_subtree_${process.pid}_${Date.now()}`;

const UNITS_PATH = `SELECT id, code, name, depth FROM org_units WHERE path LIKE $1 || '%'`;
const UNITS_CTE = `
  WITH RECURSIVE sub AS (
    SELECT id, code, name, depth FROM org_units WHERE id = $1
    UNION ALL
    SELECT c.id, c.code, c.name, c.depth FROM org_units c JOIN sub ON c.parent_id = sub.id
  ) SELECT * FROM sub`;
const PEOPLE_PATH = `
  SELECT COUNT(*)::int AS n FROM people p JOIN org_units u ON u.id = p.org_unit_id
   WHERE u.path LIKE $1 || '%' AND p.active`;
// The same count, still by path, but one index lookup per unit of the subtree: PostgreSQL's default
// cost settings (random_page_cost = 4) make it hash-join the path JOIN against a full scan of people
// once a subtree has a few hundred units; this form cannot be planned that way.
const PEOPLE_PATH_PER_UNIT = `
  SELECT COALESCE(SUM((SELECT COUNT(*) FROM people p WHERE p.org_unit_id = u.id AND p.active)), 0)::int AS n
    FROM org_units u WHERE u.path LIKE $1 || '%'`;
const PEOPLE_CTE = `
  WITH RECURSIVE sub AS (
    SELECT id FROM org_units WHERE id = $1
    UNION ALL
    SELECT c.id FROM org_units c JOIN sub ON c.parent_id = sub.id
  ) SELECT COUNT(*)::int AS n FROM people p JOIN sub ON sub.id = p.org_unit_id WHERE p.active`;

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const ms = (ns) => Number(ns) / 1e6;

async function time(client, sql, params) {
  for (let i = 0; i < WARMUP; i++) await client.query(sql, params);
  const samples = [];
  let result;
  for (let i = 0; i < N; i++) {
    const t0 = process.hrtime.bigint();
    result = await client.query(sql, params);
    samples.push(ms(process.hrtime.bigint() - t0));
  }
  samples.sort((a, b) => a - b);
  return { p50: pct(samples, 50), p95: pct(samples, 95), rows: result.rows };
}

async function explain(client, sql, params) {
  const { rows } = await client.query(`EXPLAIN ${sql}`, params);
  return rows.map((r) => r['QUERY PLAN']);
}

const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);

let status = 0;
console.log(`bench:subtree — ${units} units, ${people} people, N=${N} (after ${WARMUP} warm-up runs), scratch database ${scratch} on ${redact(server)}`);
const url = await createDatabase(server, scratch);
try {
  const loaded = await loadSynthetic({ databaseUrl: url, people, units, quiet: true });
  console.log(`Loaded ${loaded.units} units and ${loaded.people} people in ${(loaded.ms / 1000).toFixed(1)} s.\n`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('VACUUM ANALYZE org_units');
    await client.query('VACUUM ANALYZE people');
    // X: the largest synthetic province, its largest district, and that district's largest commune.
    const largestChild = async (parent, kind) =>
      (
        await client.query(
          `SELECT c.id, c.name, c.code, c.path, (SELECT COUNT(*) FROM org_units d WHERE d.path LIKE c.path || '%')::int AS size
             FROM org_units c WHERE ${parent ? 'c.parent_id = $1' : 'c.parent_id IS NULL AND $1::uuid IS NULL'} AND c.kind = $2
            ORDER BY size DESC, c.code LIMIT 1`,
          [parent?.id ?? null, kind],
        )
      ).rows[0];
    const province = await largestChild(null, 'province');
    const district = await largestChild(province, 'district');
    const commune = await largestChild(district, 'commune');
    const targets = [
      ['province', province],
      ['district', district],
      ['commune', commune],
    ];

    const QUERIES = [
      { query: '(a) units under X', ways: [['path', UNITS_PATH, 'path'], ['recursive CTE', UNITS_CTE, 'id']] },
      {
        query: '(b) active people in X',
        ways: [['path (join)', PEOPLE_PATH, 'path'], ['path (per unit)', PEOPLE_PATH_PER_UNIT, 'path'], ['recursive CTE', PEOPLE_CTE, 'id']],
      },
    ];
    const rows = [];
    for (const { query, ways } of QUERIES) {
      for (const [label, x] of targets) {
        const results = new Set();
        for (const [way, sql, param] of ways) {
          const t = await time(client, sql, [x[param]]);
          const result = t.rows.length === 1 && 'n' in t.rows[0] ? t.rows[0].n : t.rows.length;
          results.add(result);
          rows.push({ query, label, way, result, ...t });
        }
        if (results.size !== 1) {
          console.error(`MISMATCH for ${query} / ${label}: ${[...results].join(' vs ')}`);
          status = 1;
        }
      }
    }

    const header = `${pad('query', 24)} ${pad('X', 9)} ${pad('way', 16)} ${lpad('result', 7)} ${lpad('p50 ms', 8)} ${lpad('p95 ms', 8)}`;
    console.log(header);
    console.log('-'.repeat(header.length));
    let last = '';
    for (const r of rows) {
      const key = `${r.query}/${r.label}`;
      if (last && key !== last && r.query !== last.split('/')[0]) console.log('-'.repeat(header.length));
      console.log(
        `${pad(key === last ? '' : r.query, 24)} ${pad(key === last ? '' : r.label, 9)} ${pad(r.way, 16)} ${lpad(r.result, 7)} ${lpad(r.p50.toFixed(2), 8)} ${lpad(r.p95.toFixed(2), 8)}`,
      );
      last = key;
    }
    console.log('(warm; client round trip included; result = rows returned for (a), the count for (b))');
    console.log(`X: province ${province.code} "${province.name}" (${province.size} units), district ${district.code} "${district.name}" (${district.size}), commune ${commune.code} "${commune.name}" (${commune.size})\n`);

    console.log('EXPLAIN, materialised path:');
    for (const [label, x] of targets) {
      for (const [name, sql] of [['(a)', UNITS_PATH], ['(b) join', PEOPLE_PATH], ['(b) per unit', PEOPLE_PATH_PER_UNIT]]) {
        const plan = await explain(client, sql, [x.path]);
        const line = plan.find((l) => l.includes('IDX_org_units_path_pattern'));
        if (!line) {
          console.error(`  ${name} ${label}: the path index is NOT used:\n    ${plan.join('\n    ')}`);
          status = 1;
          continue;
        }
        // Uuids shortened for the screen: 7252cc62-bbc9-427a-8752-2ac34f58d9c6 → 7252cc62….
        const cond = plan.find((l) => l.includes('Index Cond') && l.includes('path'))?.replace(/([0-9a-f]{8})-[0-9a-f-]{27}/g, '$1…');
        const people = plan.find((l) => / on people\b/.test(l));
        const indent = `\n  ${' '.repeat(23)}`;
        console.log(`  ${pad(name, 12)} ${pad(label, 9)} ${line.trim()}${cond ? indent + cond.trim() : ''}${people ? indent + 'people: ' + people.replace(/^[\s->]+/, '').trim() : ''}`);
      }
    }
  } finally {
    await client.end();
  }
} catch (err) {
  console.error(`bench:subtree: ${err.message}`);
  status = 1;
} finally {
  if (args.keep) console.log(`Kept database ${scratch}.`);
  else await dropDatabase(server, scratch);
}
process.exit(status);
