#!/usr/bin/env node
// Benchmarks certificate issuing and PDF rendering through the queue on this machine:
//   1. a scratch database with the demo data (migrations, demo province, demo courses);
//   2. with 1 then 2 worker processes (the real worker module, from source): issue --count
//      certificates through CertificatesService (transaction, serial, Ed25519 signature, render job),
//      timed until every PDF is rendered and stored; certificates/s and each worker's peak memory;
//   3. in the same run, in one process: rendering with the parsed fonts reused (what the worker does)
//      against the naive way (fonts read and parsed for every PDF).
//   npm run bench:certificates [-- --count 10000 --workers 1,2 --naive-sample 200 --database-url URL --keep yes]
import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { parseArgs, positiveInt, postgresUrl, redact } from './args.mjs';
import { createDatabase, dropDatabase, DEFAULT_ADMIN_URL } from '../scripts/pg-util.mjs';
import { killAll, peakRssMb, spawnNode, stop, waitFor } from './processes.mjs';

const USAGE = 'usage: npm run bench:certificates -- [--count <n>] [--workers 1,2] [--naive-sample <n>] [--database-url <server url>] [--redis-url <url>] [--keep yes]';
const { args } = parseArgs(
  process.argv.slice(2),
  {
    count: positiveInt(200_000),
    workers: (v) => (/^\d(,\d)*$/.test(v) && v.split(',').every((n) => Number(n) >= 1 && Number(n) <= 8) ? { value: v.split(',').map(Number) } : { error: 'must be a list like 1,2 (each 1..8)' }),
    'naive-sample': positiveInt(10_000),
    'database-url': postgresUrl,
    'redis-url': (v) => (/^rediss?:\/\//.test(v) ? { value: v } : { error: 'must be a redis:// URL' }),
    keep: (v) => (['yes', 'no'].includes(v) ? { value: v === 'yes' } : { error: 'must be yes or no' }),
  },
  { program: 'bench:certificates', usage: USAGE },
);
const COUNT = args.count ?? 10_000;
const WORKERS = args.workers ?? [1, 2];
const NAIVE = args['naive-sample'] ?? 200;
const server = args['database-url'] ?? process.env.DATABASE_URL ?? DEFAULT_ADMIN_URL;
const REDIS_URL = args['redis-url'] ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const scratch = `dxtrain_bench_cert_${process.pid}_${Date.now()}`;
const TS_ENV = { TS_NODE_PROJECT: 'tools/tsconfig.tools.json', TS_NODE_TRANSPILE_ONLY: 'true' };
const TS = ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register'];

function runTs(argv, env) {
  const r = spawnSync(process.execPath, [...TS, ...argv], { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

async function main() {
  console.log(`bench:certificates — ${COUNT.toLocaleString('en')} certificates, workers ${WORKERS.join(' and ')}; scratch database on ${redact(server)}`);
  const dbUrl = await createDatabase(server, scratch);
  const env = { DATABASE_URL: dbUrl, REDIS_URL, REDIS_PREFIX: `bench-cert-${process.pid}-${Date.now()}`, JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123456789', FILE_STORAGE_DIR: `tmp/bench-cert-${process.pid}`, DATABASE_POOL_SIZE: '20', ...TS_ENV };
  const client = new pg.Client({ connectionString: dbUrl });
  const results = {};
  try {
    process.stdout.write('setting up (migrations + demo data + demo courses)… ');
    const setup = spawnSync(process.execPath, [...TS, 'apps/api/src/main.ts', 'setup'], { env: { ...process.env, ...env }, encoding: 'utf8' });
    if (setup.status !== 0) throw new Error(`setup failed:\n${setup.stdout}\n${setup.stderr}`);
    console.log('done');
    await client.connect();

    for (const [index, workers] of WORKERS.entries()) {
      // Let the demo certificates (issued by the first workers) be rendered before timing.
      const procs = [];
      for (let w = 0; w < workers; w++) procs.push(spawnNode([...TS, 'tools/testing/run-worker.ts'], env, `worker ${w + 1}`));
      await waitFor(() => procs.every((p) => p.output().includes('worker-ready')), 'the workers', 120_000);
      await waitFor(async () => (await client.query(`SELECT count(*)::int AS n FROM certificates WHERE file_id IS NULL`)).rows[0].n === 0, 'earlier renders', 120_000);
      const before = (await client.query(`SELECT count(*)::int AS n FROM certificates`)).rows[0].n;
      const t0 = performance.now();
      const issued = runTs(['tools/bench/certificates-issue.ts', 'issue', '--count', String(COUNT), '--year-base', String(3000 + index * 100)], env);
      await waitFor(async () => (await client.query(`SELECT count(*)::int AS n FROM certificates WHERE file_id IS NOT NULL`)).rows[0].n >= before + COUNT, 'the renders', 3_600_000);
      const seconds = (performance.now() - t0) / 1000;
      const peaks = procs.map((p) => peakRssMb(p.pid));
      for (const p of procs) await stop(p);
      if (process.env.BENCH_VERBOSE) for (const p of procs) console.log(`--- ${p.label} ---\n${p.output()}`);
      const label = `${workers} worker${workers > 1 ? 's' : ''}`;
      results[label] = {
        seconds: Number(seconds.toFixed(2)),
        certificatesPerSecond: Math.round(COUNT / seconds),
        issuePhase: { seconds: Number(issued.seconds.toFixed(2)), perSecond: Math.round(issued.perSecond), p50ms: Number(issued.p50ms.toFixed(1)), p95ms: Number(issued.p95ms.toFixed(1)) },
        workerPeakRssMb: peaks,
      };
      console.log(
        `${label}: ${COUNT} issued and rendered in ${seconds.toFixed(2)} s → ${Math.round(COUNT / seconds)} certificates/s ` +
          `(issuing alone ${Math.round(issued.perSecond)}/s, p95 ${issued.p95ms.toFixed(1)} ms); worker peak RSS ${peaks.join(', ')} MB`,
      );
    }

    process.stdout.write(`rendering ${NAIVE} PDFs in one process, fonts parsed per PDF vs reused… `);
    const r = runTs(['tools/bench/certificates-issue.ts', 'render', '--count', String(NAIVE)], env);
    results.renderOnly = { naivePdfsPerSecond: Math.round(r.naivePerSecond), reusedFontsPdfsPerSecond: Math.round(r.reusedPerSecond) };
    console.log(`naive ${Math.round(r.naivePerSecond)}/s, fonts reused ${Math.round(r.reusedPerSecond)}/s`);
    console.log(JSON.stringify(results, null, 2));
  } finally {
    await client.end().catch(() => undefined);
    killAll();
    if (!args.keep) await dropDatabase(server, scratch);
    else console.log(`kept database ${scratch}`);
    spawnSync('rm', ['-rf', `tmp/bench-cert-${process.pid}`]);
  }
}

main().catch((e) => {
  console.error(e);
  killAll();
  process.exit(1);
});
