#!/usr/bin/env node
// Benchmarks the public certificate check (`GET /api/public/verify/:code`, what a QR scan calls):
//   1. a scratch database with the demo data, and --certificates certificates issued through
//      CertificatesService (signed, as in production; PDFs are not needed for the check);
//   2. the api from source (ts-node) on loopback, with the per-IP rate limit raised out of the way
//      (every request here comes from one IP) but still counted in Redis on every request;
//   3. autocannon for --duration seconds with --connections connections, each request a random code
//      (--miss-percent of them unknown codes, which answer 404), twice in the same run:
//        naive:  VERIFY_CACHE_SECONDS=0, the database read on every request;
//        cached: the default per-process cache evicted through Redis pub/sub on every change;
//        cached, API_PROCESSES=2: the same with two api processes on the port (node:cluster).
//   Reports requests/s, p50/p90/p99/max latency, status counts and the api's peak RSS.
//   npm run bench:verify [-- --api built (after npm run build) --duration 10 --connections 50 --certificates 2000 --miss-percent 10 --database-url URL --redis-url URL --keep yes]
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import pg from 'pg';
import { parseArgs, positiveInt, postgresUrl, redact } from './args.mjs';
import { createDatabase, dropDatabase, DEFAULT_ADMIN_URL } from '../scripts/pg-util.mjs';
import { killAll, peakRssMb, spawnNode, stop, waitFor } from './processes.mjs';

const USAGE =
  'usage: npm run bench:verify -- [--duration <s>] [--connections <n>] [--certificates <n>] [--miss-percent <0..100>] [--api source|built] [--database-url <server url>] [--redis-url <url>] [--keep yes]';
const { args } = parseArgs(
  process.argv.slice(2),
  {
    duration: positiveInt(600),
    connections: positiveInt(2_000),
    certificates: positiveInt(200_000),
    'miss-percent': (v) => (/^\d+$/.test(v) && Number(v) <= 100 ? { value: Number(v) } : { error: 'must be an integer 0..100' }),
    'database-url': postgresUrl,
    'redis-url': (v) => (/^rediss?:\/\//.test(v) ? { value: v } : { error: 'must be a redis:// URL' }),
    keep: (v) => (['yes', 'no'].includes(v) ? { value: v === 'yes' } : { error: 'must be yes or no' }),
    api: (v) => (['source', 'built'].includes(v) ? { value: v } : { error: 'must be source or built' }),
  },
  { program: 'bench:verify', usage: USAGE },
);
const DURATION = args.duration ?? 10;
const CONNECTIONS = args.connections ?? 50;
const CERTIFICATES = args.certificates ?? 2_000;
const MISS = args['miss-percent'] ?? 10;
// source: the api from TypeScript (ts-node); built: dist/apps/api/main.js (run `npm run build` first), as `npm start` runs it.
const API = args.api ?? 'source';
const server = args['database-url'] ?? process.env.DATABASE_URL ?? DEFAULT_ADMIN_URL;
const REDIS_URL = args['redis-url'] ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const scratch = `dxtrain_bench_verify_${process.pid}_${Date.now()}`;
const PORT = 3700 + (process.pid % 90);
const BASE = `http://127.0.0.1:${PORT}`;
const TS_ENV = { TS_NODE_PROJECT: 'tools/tsconfig.tools.json', TS_NODE_TRANSPILE_ONLY: 'true' };
const TS = ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register'];
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

const unknownCode = () => Array.from(randomBytes(12), (b) => ALPHABET[b & 31]).join('');

/** One autocannon run against a fresh api process with the given cache setting. */
async function run(label, env, codes) {
  const api = spawnNode(API === 'built' ? ['dist/apps/api/main.js'] : [...TS, 'apps/api/src/main.ts'], env, label);
  try {
    await waitFor(async () => (await fetch(`${BASE}/api/health`).then((r) => r.ok).catch(() => false)), 'the api', 120_000);
    // Warm-up (JIT, connection pool; fills the cache in the cached run), not measured.
    await autocannon({ url: BASE, connections: CONNECTIONS, duration: 2, requests: [{ method: 'GET', setupRequest: (r) => ({ ...r, path: `/api/public/verify/${codes[Math.floor(Math.random() * codes.length)]}` }) }] });
    const result = await autocannon({
      url: BASE,
      connections: CONNECTIONS,
      duration: DURATION,
      requests: [
        {
          method: 'GET',
          setupRequest: (r) => ({ ...r, path: `/api/public/verify/${Math.random() * 100 < MISS ? unknownCode() : codes[Math.floor(Math.random() * codes.length)]}` }),
        },
      ],
    });
    const rss = peakRssMb(api.pid);
    const summary = {
      requestsPerSecond: Math.round(result.requests.average),
      totalRequests: result.requests.total,
      latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
      statuses: { '2xx': result['2xx'], '4xx': result['4xx'], '5xx': result['5xx'] },
      errors: result.errors,
      timeouts: result.timeouts,
      apiPeakRssMb: rss,
    };
    console.log(
      `${label.padEnd(9)} ${String(summary.requestsPerSecond).padStart(6)} req/s  p50 ${summary.latencyMs.p50} ms  p90 ${summary.latencyMs.p90} ms  p99 ${summary.latencyMs.p99} ms  ` +
        `max ${summary.latencyMs.max} ms  2xx ${summary.statuses['2xx']} 4xx ${summary.statuses['4xx']} 5xx ${summary.statuses['5xx']} errors ${summary.errors}  api RSS ${rss} MB`,
    );
    return summary;
  } finally {
    await stop(api);
  }
}

async function main() {
  console.log(
    `bench:verify — api from ${API === 'built' ? 'dist (built)' : 'source (ts-node)'}, ${CERTIFICATES} certificates, ${CONNECTIONS} connections for ${DURATION} s, ${MISS}% unknown codes; scratch database on ${redact(server)}; node ${process.version}`,
  );
  const dbUrl = await createDatabase(server, scratch);
  const base = {
    DATABASE_URL: dbUrl,
    REDIS_URL,
    REDIS_PREFIX: `bench-verify-${process.pid}-${Date.now()}`,
    PORT: String(PORT),
    WEB_DIST_PATH: '',
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123456789',
    FILE_STORAGE_DIR: `tmp/bench-verify-${process.pid}`,
    // Still counted on every request; raised so one client IP can load the endpoint.
    VERIFY_RATE_LIMIT_PER_MINUTE: '1000000000',
    ...TS_ENV,
  };
  const client = new pg.Client({ connectionString: dbUrl });
  const results = {};
  try {
    process.stdout.write('setting up (migrations + demo data)… ');
    const setup = spawnSync(process.execPath, [...TS, 'apps/api/src/main.ts', 'setup'], { env: { ...process.env, ...base }, encoding: 'utf8' });
    if (setup.status !== 0) throw new Error(`setup failed:\n${setup.stdout}\n${setup.stderr}`);
    console.log('done');
    process.stdout.write(`issuing ${CERTIFICATES} certificates through CertificatesService… `);
    const issued = spawnSync(process.execPath, [...TS, 'tools/bench/certificates-issue.ts', 'issue', '--count', String(CERTIFICATES), '--year-base', '3900'], {
      env: { ...process.env, ...base },
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    });
    if (issued.status !== 0) throw new Error(`issuing failed:\n${issued.stdout}\n${issued.stderr}`);
    await client.connect();
    const codes = (await client.query(`SELECT verification_code FROM certificates WHERE status = 'valid'`)).rows.map((r) => r.verification_code);
    console.log(`done (${codes.length} valid codes in the database)`);

    results.naive = await run('naive', { ...base, VERIFY_CACHE_SECONDS: '0' }, codes);
    results.cached = await run('cached', { ...base, VERIFY_CACHE_SECONDS: '60' }, codes);
    results.cached2 = await run('cached×2', { ...base, VERIFY_CACHE_SECONDS: '60', API_PROCESSES: '2' }, codes);
    const ok = [results.naive, results.cached, results.cached2].every((r) => r.statuses['5xx'] === 0 && r.errors === 0);
    console.log(JSON.stringify(results, null, 2));
    console.log(
      `\nSUMMARY bench:verify ${ok ? 'ok' : 'ERRORS'}: cached ${results.cached.requestsPerSecond} req/s p99 ${results.cached.latencyMs.p99} ms; ` +
        `cached with 2 api processes ${results.cached2.requestsPerSecond} req/s p99 ${results.cached2.latencyMs.p99} ms; ` +
        `naive ${results.naive.requestsPerSecond} req/s p99 ${results.naive.latencyMs.p99} ms (${CONNECTIONS} connections, ${DURATION} s, goal ≥ 5,000 req/s with p99 < 20 ms)`,
    );
    if (!ok) process.exitCode = 1;
  } finally {
    await client.end().catch(() => undefined);
    killAll();
    if (!args.keep) await dropDatabase(server, scratch);
    else console.log(`kept database ${scratch}`);
    spawnSync('rm', ['-rf', `tmp/bench-verify-${process.pid}`]);
  }
}

main().catch((e) => {
  console.error(e);
  killAll();
  process.exit(1);
});
