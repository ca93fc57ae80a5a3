#!/usr/bin/env node
// Express or Fastify under the api? Measures `GET /api/public/verify/:code` (what a QR scan calls) on both
// HTTP adapters of NestJS 11 in ONE run, with the floors of this machine beside them:
//   1. a scratch database (tools/scripts/pg-util.mjs): migrations + demo data (`api setup`), then
//      --certificates certificates issued through CertificatesService (tools/bench/certificates-issue.ts),
//      exactly as bench:verify prepares its data;
//   2. probes (no load): the api's own configureApp() on Fastify, and the routes of the full AppModule that were
//      Express-only before the move (health, login cookie, multipart upload), on each adapter;
//   3. one process per server, each on its own port, each loaded by autocannon for --duration seconds with
//      --connections connections after a 2 s warm-up, every request a random code (--miss-percent unknown):
//        floor node:http    a plain node:http server answering a fixed JSON (a real verify answer's bytes)
//        floor fastify      a bare Fastify server doing the same
//        nest express       the SAME Nest module (--module: app = the full AppModule, default; verify = the
//        nest fastify         platform + the public verification controller) on ExpressAdapter / FastifyAdapter,
//                             set up alike (tools/bench/http-layer-app.ts)
//        fastify (main.ts)  reference: the full AppModule as main.ts runs it (createHttpAdapter() + configureApp())
//   Reports requests/s, p50/p99 latency, statuses and peak RSS per server, and a one-line conclusion.
//   npm run bench:http-layer [-- --duration 10 --connections 50 --certificates 2000 --miss-percent 10 --module app|verify --database-url URL --redis-url URL --keep yes]
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import autocannon from 'autocannon';
import pg from 'pg';
import { parseArgs, positiveInt, postgresUrl, redact } from './args.mjs';
import { createDatabase, dropDatabase, DEFAULT_ADMIN_URL } from '../scripts/pg-util.mjs';
import { killAll, peakRssMb, spawnNode, stop, waitFor } from './processes.mjs';

const USAGE =
  'usage: npm run bench:http-layer -- [--duration <s>] [--connections <n>] [--certificates <n>] [--miss-percent <0..100>] [--module app|verify] [--database-url <server url>] [--redis-url <url>] [--keep yes]';
const { args } = parseArgs(
  process.argv.slice(2),
  {
    duration: positiveInt(600),
    connections: positiveInt(2_000),
    certificates: positiveInt(200_000),
    'miss-percent': (v) => (/^\d+$/.test(v) && Number(v) <= 100 ? { value: Number(v) } : { error: 'must be an integer 0..100' }),
    module: (v) => (['app', 'verify'].includes(v) ? { value: v } : { error: 'must be app or verify' }),
    'database-url': postgresUrl,
    'redis-url': (v) => (/^rediss?:\/\//.test(v) ? { value: v } : { error: 'must be a redis:// URL' }),
    keep: (v) => (['yes', 'no'].includes(v) ? { value: v === 'yes' } : { error: 'must be yes or no' }),
  },
  { program: 'bench:http-layer', usage: USAGE },
);
const DURATION = args.duration ?? 10;
const CONNECTIONS = args.connections ?? 50;
const CERTIFICATES = args.certificates ?? 2_000;
const MISS = args['miss-percent'] ?? 10;
const MODULE = args.module ?? 'app';
const server = args['database-url'] ?? process.env.DATABASE_URL ?? DEFAULT_ADMIN_URL;
const REDIS_URL = args['redis-url'] ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const scratch = `dxtrain_bench_http_${process.pid}_${Date.now()}`;
const PORT0 = 3800 + (process.pid % 40) * 5;
const TS_ENV = { TS_NODE_PROJECT: 'tools/tsconfig.tools.json', TS_NODE_TRANSPILE_ONLY: 'true' };
const TS = ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register'];
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const GOAL = 6_000;

const unknownCode = () => Array.from(randomBytes(12), (b) => ALPHABET[b & 31]).join('');

/** Spawns a server and waits for its "LISTENING" line (or its exit). */
async function boot(label, argv, env) {
  const child = spawnNode(argv, env, label);
  await waitFor(() => /LISTENING/.test(child.output()) || child.exitCode !== null, label, 180_000);
  if (child.exitCode !== null) throw new Error(`${label} did not start (exit ${child.exitCode}):\n${child.output().slice(-4000)}`);
  return child;
}

/** A request with a timeout, answering "status" or the error's name. */
async function probe(url, init) {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
    const text = await res.text();
    const code = /"code":"([A-Z_]+)"/.exec(text)?.[1];
    return `${res.status}${code ? ` ${code}` : ''}${res.headers.get('set-cookie') ? ' +cookie' : ''}`;
  } catch (e) {
    return e?.name === 'TimeoutError' ? 'no answer in 15 s' : `error ${e?.cause?.code ?? e?.message}`;
  }
}

/** What the once Express-only spots of the full AppModule (health, cookies, uploads) do on this server. */
async function probeExpressOnly(base) {
  const form = new FormData();
  form.append('file', new Blob([Buffer.from('%PDF-1.4\n% not a certificate\n')], { type: 'application/pdf' }), 'x.pdf');
  return {
    'GET /api/health (@Res reply)': await probe(`${base}/api/health`),
    'POST /api/auth/login (cookies)': await probe(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'dxtrain-demo' }),
    }),
    'POST /api/public/verify/pdf (multipart upload)': await probe(`${base}/api/public/verify/pdf`, { method: 'POST', body: form }),
  };
}

/** Warm-up, then one measured autocannon run against `base`. */
async function load(label, child, base, codes) {
  const before = loadavg()[0];
  const path = (miss) => `/api/public/verify/${Math.random() * 100 < miss ? unknownCode() : codes[Math.floor(Math.random() * codes.length)]}`;
  await autocannon({ url: base, connections: CONNECTIONS, duration: 2, requests: [{ method: 'GET', setupRequest: (r) => ({ ...r, path: path(0) }) }] });
  const result = await autocannon({ url: base, connections: CONNECTIONS, duration: DURATION, requests: [{ method: 'GET', setupRequest: (r) => ({ ...r, path: path(MISS) }) }] });
  const summary = {
    requestsPerSecond: Math.round(result.requests.average),
    totalRequests: result.requests.total,
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    statuses: { '2xx': result['2xx'], '4xx': result['4xx'], '5xx': result['5xx'] },
    errors: result.errors,
    timeouts: result.timeouts,
    peakRssMb: peakRssMb(child.pid),
    loadAverageBefore: Number(before.toFixed(2)),
  };
  console.log(
    `${label.padEnd(20)} ${String(summary.requestsPerSecond).padStart(6)} req/s  p50 ${String(summary.latencyMs.p50).padStart(3)} ms  p99 ${String(summary.latencyMs.p99).padStart(3)} ms  ` +
      `max ${summary.latencyMs.max} ms  2xx ${summary.statuses['2xx']} 4xx ${summary.statuses['4xx']} 5xx ${summary.statuses['5xx']} errors ${summary.errors}  RSS ${summary.peakRssMb} MB  (load avg before ${summary.loadAverageBefore})`,
  );
  return summary;
}

async function main() {
  console.log(
    `bench:http-layer — Nest module "${MODULE}" from source (ts-node), ${CERTIFICATES} certificates, ${CONNECTIONS} connections for ${DURATION} s, ${MISS}% unknown codes; ` +
      `scratch database on ${redact(server)}; node ${process.version}, ${(await import('node:os')).cpus().length} CPUs`,
  );
  const dbUrl = await createDatabase(server, scratch);
  const base = {
    DATABASE_URL: dbUrl,
    REDIS_URL,
    REDIS_PREFIX: `bench-http-${process.pid}-${Date.now()}`,
    WEB_DIST_PATH: '',
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123456789',
    FILE_STORAGE_DIR: `tmp/bench-http-${process.pid}`,
    // Still counted in Redis on every request; raised so one client IP can load the endpoint.
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

    const app = (adapter, port, extra = []) =>
      boot(`nest ${adapter}`, [...TS, 'tools/bench/http-layer-app.ts', '--adapter', adapter, '--module', MODULE, ...extra], { ...base, PORT: String(port), REDIS_PREFIX: `${base.REDIS_PREFIX}-${adapter}-${port}` });

    // Probes: the api's own configureApp() on Fastify, and the once Express-only routes on each adapter.
    const configureOnFastify = spawnNode([...TS, 'tools/bench/http-layer-app.ts', '--adapter', 'fastify', '--module', 'app', '--configure-app', 'yes'], { ...base, PORT: String(PORT0 + 4) }, 'probe');
    await waitFor(() => configureOnFastify.exitCode !== null || /LISTENING/.test(configureOnFastify.output()), 'the configureApp probe', 180_000);
    const configureResult = /CONFIGURE_APP FAILED (.*)/.exec(configureOnFastify.output())?.[1] ?? (/LISTENING/.test(configureOnFastify.output()) ? 'boots' : configureOnFastify.output().slice(-500));
    await stop(configureOnFastify);
    console.log(`\nconfigureApp() (apps/api/src/app/configure-app.ts) on Fastify: ${configureResult}`);

    // A real verify answer: the floors send these bytes.
    let floorBody = '';
    const runs = [
      ['floor node:http', PORT0, () => boot('floor node:http', ['tools/bench/http-layer-floor.mjs', 'node'], { PORT: String(PORT0), FLOOR_BODY: floorBody })],
      ['floor fastify', PORT0 + 1, () => boot('floor fastify', ['tools/bench/http-layer-floor.mjs', 'fastify'], { PORT: String(PORT0 + 1), FLOOR_BODY: floorBody })],
      ['nest express', PORT0 + 2, () => app('express', PORT0 + 2)],
      ['nest fastify', PORT0 + 3, () => app('fastify', PORT0 + 3)],
      ['fastify (main.ts)', PORT0 + 4, () => app('fastify', PORT0 + 4, ['--configure-app', 'yes'])],
    ];
    if (MODULE !== 'app') runs.pop();
    const probes = {};
    {
      // The body for the floors, taken from the Express run's module before anything is measured.
      const child = await app('express', PORT0 + 2);
      const res = await fetch(`http://127.0.0.1:${PORT0 + 2}/api/public/verify/${codes[0]}`);
      floorBody = await res.text();
      if (res.status !== 200) throw new Error(`verify answered ${res.status}: ${floorBody}`);
      await stop(child);
    }
    console.log(`floors answer a fixed ${Buffer.byteLength(floorBody)}-byte JSON (a real verify answer)\n`);
    for (const [label, port, start] of runs) {
      const child = await start();
      const url = `http://127.0.0.1:${port}`;
      try {
        if (label.startsWith('nest') && MODULE === 'app') probes[label] = await probeExpressOnly(url);
        results[label] = await load(label, child, url, codes);
      } finally {
        await stop(child);
      }
    }
    if (Object.keys(probes).length) {
      console.log('\nOnce Express-only spots of the full AppModule, per adapter (no load):');
      for (const route of Object.keys(probes['nest express'])) console.log(`  ${route.padEnd(54)} express: ${probes['nest express'][route].padEnd(24)} fastify: ${probes['nest fastify'][route]}`);
    }
    const ok = Object.entries(results).every(([, r]) => r.statuses['5xx'] === 0 && r.errors === 0 && r.timeouts === 0);
    console.log(JSON.stringify({ results, probes, configureAppOnFastify: configureResult }, null, 2));
    const ex = results['nest express'];
    const fa = results['nest fastify'];
    const pct = (a, b) => `${a >= b ? '+' : ''}${Math.round((a / b - 1) * 100)}%`;
    console.log(
      `\nSUMMARY bench:http-layer ${ok ? 'ok' : 'ERRORS'}: on the same Nest module, Fastify ${fa.requestsPerSecond} req/s (p50 ${fa.latencyMs.p50} / p99 ${fa.latencyMs.p99} ms) vs ` +
        `Express ${ex.requestsPerSecond} req/s (p50 ${ex.latencyMs.p50} / p99 ${ex.latencyMs.p99} ms), ${pct(fa.requestsPerSecond, ex.requestsPerSecond)}; ` +
        `floors node:http ${results['floor node:http'].requestsPerSecond}, bare Fastify ${results['floor fastify'].requestsPerSecond} req/s, so Nest + this route keep ` +
        `${Math.round((ex.requestsPerSecond / results['floor node:http'].requestsPerSecond) * 100)}% (Express of node:http) / ${Math.round((fa.requestsPerSecond / results['floor fastify'].requestsPerSecond) * 100)}% (Fastify of bare Fastify) of their floor; ` +
        `goal ≥ ${GOAL} req/s per process: Express ${ex.requestsPerSecond >= GOAL ? 'meets' : 'misses'} it, Fastify ${fa.requestsPerSecond >= GOAL ? 'meets' : 'misses'} it ` +
        `(${CONNECTIONS} connections, ${DURATION} s, ${MISS}% unknown codes, one process each, load generator on the same machine)`,
    );
    if (!ok) process.exitCode = 1;
  } finally {
    await client.end().catch(() => undefined);
    killAll();
    if (!args.keep) await dropDatabase(server, scratch);
    else console.log(`kept database ${scratch}`);
    spawnSync('rm', ['-rf', `tmp/bench-http-${process.pid}`]);
  }
}

main().catch((e) => {
  console.error(e);
  killAll();
  process.exit(1);
});
