#!/usr/bin/env node
// Benchmarks many learners taking one graded quiz at the same time, end to end over HTTP:
//   1. a scratch database with the demo province (migrations + demo data) and the api started from
//      source (ts-node), on loopback;
//   2. setup, not timed: as the demo organiser, a course with --questions true/false questions, a
//      graded final quiz in a quiz lesson, published; --learners (+ --sequential-sample) learner
//      accounts, each with a new person in a commune of the demo province, written straight into the
//      scratch database with ONE password hash made by the app's own AuthService.hashPassword (argon2id);
//      every learner signs in once (timed separately: "sign-in");
//   3. the naive comparison, same run: --sequential-sample other learners take the quiz one after
//      another (one learner in flight: the latency of an idle server, and the throughput of doing it
//      one at a time). There is no batch endpoint for answers (the player saves each answer with one
//      PUT), so "one request per answer" is not compared against anything;
//   4. timed: all --learners at once (or --concurrency at a time), each as the player does it, back to
//      back with no think time: start the course, start an attempt, one PUT per question, submit.
//      Per step: count, p50/p95/p99/max latency, errors (non-2xx) with sample bodies; the api's peak
//      RSS (VmHWM) and CPU time; then the database is checked (every attempt submitted, full marks,
//      course completed). --think-ms <n> (default 0) makes each learner pause 0.5–1.5 × n ms before
//      each answer, as people do; everyone still starts at the same moment.
//   npm run bench:quiz [-- --learners 500 --questions 20 --concurrency 500 --sequential-sample 20 --database-url URL --redis-url URL --keep yes]
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import pg from 'pg';
import { parseArgs, positiveInt, postgresUrl, redact } from './args.mjs';
import { createDatabase, dropDatabase, DEFAULT_ADMIN_URL } from '../scripts/pg-util.mjs';
import { children, finished, peakRssMb, spawnNode, stop, waitFor } from './processes.mjs';

const USAGE =
  'usage: npm run bench:quiz -- [--learners <n>] [--questions <n>] [--concurrency <n>] [--sequential-sample <n>] [--think-ms <n>] [--database-url <server url>] [--redis-url <url>] [--keep yes]';
const { args } = parseArgs(
  process.argv.slice(2),
  {
    learners: positiveInt(20_000),
    questions: positiveInt(500),
    concurrency: positiveInt(20_000),
    'sequential-sample': positiveInt(1_000),
    'think-ms': (v) => (/^\d+$/.test(v) && Number(v) <= 600_000 ? { value: Number(v) } : { error: 'must be an integer 0..600000' }),
    'database-url': postgresUrl,
    'redis-url': (v) => (/^rediss?:\/\//.test(v) ? { value: v } : { error: 'must be a redis:// URL' }),
    keep: (v) => (['yes', 'no'].includes(v) ? { value: v === 'yes' } : { error: 'must be yes or no' }),
  },
  { program: 'bench:quiz', usage: USAGE },
);
const LEARNERS = args.learners ?? 500;
const QUESTIONS = args.questions ?? 20;
const CONCURRENCY = Math.min(args.concurrency ?? LEARNERS, LEARNERS);
const SEQUENTIAL = args['sequential-sample'] ?? 20;
const THINK_MS = args['think-ms'] ?? 0;
const SIGN_IN_CONCURRENCY = 8; // argon2 runs on libuv's 4 threads: more in flight only queues
const server = args['database-url'] ?? process.env.DATABASE_URL ?? DEFAULT_ADMIN_URL;
const REDIS_URL = args['redis-url'] ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const REDIS_PREFIX = `bench-quiz-${process.pid}-${Date.now()}`;
const PASSWORD = process.env.DEMO_PASSWORD ?? 'dxtrain-demo';
const scratch = `dxtrain_bench_quiz_${process.pid}_${Date.now()}`;
const PORT = 3800 + (process.pid % 90);
const BASE = `http://127.0.0.1:${PORT}`;
const TS_ENV = { TS_NODE_PROJECT: 'tools/tsconfig.tools.json', TS_NODE_TRANSPILE_ONLY: 'true' };
const TS = ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register'];
const STEPS = ['course start', 'attempt start', 'answer', 'submit'];

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý', 'Rơ Châm', 'Ksor', 'Siu', 'Rah Lan'];
const MIDDLE = ['Văn', 'Thị', 'Hữu', 'Minh', 'Ngọc', 'Thanh', 'Quốc', 'Thu', 'Đức', 'Xuân', 'Hoài', 'Kim'];
const GIVEN = ['An', 'Bình', 'Cường', 'Dũng', 'Hương', 'Hà', 'Hải', 'Hạnh', 'Khánh', 'Lan', 'Linh', 'Long', 'Mai', 'Nam', 'Nga', 'Phúc', 'Quang', 'Sơn', 'Thảo', 'Trang', 'Tuấn', 'Vy', 'Yến', "H'Hen", 'Blơi'];

// ---- HTTP client ---------------------------------------------------------------------------------
// undici's request() (a keep-alive pool per origin, no connection limit: each learner in flight gets
// its own socket, as each browser would); node:http with a keep-alive agent when undici is missing.

let send;
let clientName;
try {
  const { Agent, request } = await import('undici');
  const agent = new Agent({ connections: null, pipelining: 1, keepAliveTimeout: 4_000, headersTimeout: 600_000, bodyTimeout: 600_000 });
  clientName = 'undici request()';
  send = async (method, path, token, body) => {
    const headers = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await request(BASE + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), dispatcher: agent });
    return { status: res.statusCode, text: await res.body.text() };
  };
} catch {
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  clientName = 'node:http (keep-alive agent)';
  send = (method, path, token, body) =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const headers = {};
      if (token) headers.authorization = `Bearer ${token}`;
      if (payload !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
      const req = http.request(BASE + path, { method, headers, agent }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode, text }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    });
}

/** Setup calls: any failure stops the benchmark. */
async function api(path, { method = 'GET', token, body } = {}) {
  const { status, text } = await send(method, path, token, body);
  if (status < 200 || status > 299) throw new Error(`${method} ${path}: ${status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

// ---- measuring -----------------------------------------------------------------------------------

class Recorder {
  constructor(steps) {
    this.steps = Object.fromEntries(steps.map((s) => [s, { ms: [], errors: 0, statuses: {}, samples: [] }]));
  }

  /** One request, timed from just before it is sent to its body fully read. Returns the parsed body, or null when it failed. */
  async call(step, method, path, token, body) {
    const s = this.steps[step];
    const t0 = performance.now();
    let res;
    try {
      res = await send(method, path, token, body);
    } catch (e) {
      res = { status: 0, text: `${e.code ?? ''} ${e.message}` };
    }
    s.ms.push(performance.now() - t0);
    if (res.status >= 200 && res.status <= 299) return res.text ? JSON.parse(res.text) : {};
    s.errors++;
    s.statuses[res.status] = (s.statuses[res.status] ?? 0) + 1;
    if (s.samples.length < 5) s.samples.push(`${method} ${path} → ${res.status} ${res.text.slice(0, 300)}`);
    return null;
  }

  get requests() {
    return Object.values(this.steps).reduce((n, s) => n + s.ms.length, 0);
  }

  get errors() {
    return Object.values(this.steps).reduce((n, s) => n + s.errors, 0);
  }

  stats() {
    const out = {};
    const all = [];
    for (const [name, s] of Object.entries(this.steps)) {
      all.push(...s.ms);
      out[name] = { ...summarise(s.ms), errors: s.errors, ...(s.errors ? { statuses: s.statuses, errorSamples: s.samples } : {}) };
    }
    out['all requests'] = { ...summarise(all), errors: this.errors };
    return out;
  }
}

const round = (v) => (v === null ? null : Math.round(v * 10) / 10);
function summarise(ms) {
  if (ms.length === 0) return { count: 0, p50: null, p95: null, p99: null, max: null };
  const sorted = Float64Array.from(ms).sort();
  const pct = (p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  return { count: ms.length, p50: round(pct(50)), p95: round(pct(95)), p99: round(pct(99)), max: round(sorted[sorted.length - 1]) };
}

function printTable(stats) {
  const cols = ['step', 'count', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'errors'];
  const rows = Object.entries(stats).map(([name, s]) => [name, s.count, s.p50, s.p95, s.p99, s.max, s.errors].map((v) => String(v ?? '-')));
  const widths = cols.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => '  ' + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(cols));
  for (const r of rows) console.log(line(r));
  for (const [name, s] of Object.entries(stats)) {
    if (s.errorSamples) console.log(`  ${name} errors by status ${JSON.stringify(s.statuses)}; samples:\n    ${s.errorSamples.join('\n    ')}`);
  }
}

/** Runs `task` for every item, at most `concurrency` at a time; returns the wall time in ms. */
async function pool(items, concurrency, task) {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await task(items[next++]);
    }),
  );
  return performance.now() - t0;
}

const CLK_TCK = 100; // USER_HZ, 100 on every Linux this runs on
/** CPU seconds used so far by a process (user + system), from /proc/<pid>/stat. */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return null;
  }
}
/** Busy and total CPU seconds of the whole machine, from /proc/stat. */
function machineCpu() {
  const [, ...v] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = v[3] + v[4];
  return { busy: (total - idle) / CLK_TCK, total: total / CLK_TCK };
}

// ---- processes -----------------------------------------------------------------------------------

// Run under ts-node with the app's own code: the password hash by AuthService.hashPassword (argon2id,
// the identity module's parameters), people inserted by the demo data's insertPeople (search_text and
// sort_key computed as the people service does), then users and learner grants in one transaction.
const CREATE_LEARNERS = `
const pg = require('pg');
const { AuthService } = require('./libs/server/identity/src/lib/auth.service');
const { insertPeople } = require('./libs/server/demo-data/src/lib/bulk');
(async () => {
  const input = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
  const t0 = Date.now();
  const hash = await AuthService.hashPassword(input.password);
  const hashMs = Date.now() - t0;
  const client = new pg.Client({ connectionString: input.databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    await insertPeople(client, input.people);
    const u = input.users;
    await client.query(
      'INSERT INTO users (id, username, password_hash, display_name, person_id) SELECT u.id, u.username, $3, u.display_name, u.person_id FROM unnest($1::uuid[], $2::varchar[], $4::varchar[], $5::uuid[]) AS u(id, username, display_name, person_id)',
      [u.map((x) => x.id), u.map((x) => x.username), hash, u.map((x) => x.displayName), u.map((x) => x.personId)],
    );
    await client.query(
      "INSERT INTO role_grants (user_id, role, org_unit_id) SELECT u.user_id, 'learner', u.unit_id FROM unnest($1::uuid[], $2::uuid[]) AS u(user_id, unit_id)",
      [u.map((x) => x.id), u.map((x) => x.unitId)],
    );
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
  console.log('RESULT ' + JSON.stringify({ hashMs, hashParams: hash.split('$').slice(1, 4).join('$'), seconds: (Date.now() - t0) / 1000 }));
})().catch((e) => { console.error(e); process.exit(1); });
`;

function makeLearners(count, provinceId, communes) {
  const people = [];
  const users = [];
  for (let i = 0; i < count; i++) {
    const n = String(i + 1).padStart(6, '0');
    const unit = communes[i % communes.length];
    const fullName = `${FAMILY[i % FAMILY.length]} ${MIDDLE[Math.floor(i / FAMILY.length) % MIDDLE.length]} ${GIVEN[i % GIVEN.length]}`;
    const personId = randomUUID();
    people.push({
      id: personId,
      provinceId,
      staffCode: `BQ${n}`,
      fullName,
      email: null,
      phone: null,
      orgUnitId: unit,
      position: 'Công chức Văn hóa - Xã hội',
      networkCategory: 'commune_official',
      isFocalPoint: false,
      active: true,
    });
    users.push({ id: randomUUID(), username: `bench-learner-${n}`, displayName: fullName, personId, unitId: unit });
  }
  return { people, users };
}

// ---- the learner's path ----------------------------------------------------------------------------

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** What the player does: start the course, start an attempt, save each answer, submit. A failed step ends this learner's run. */
async function takeQuiz(rec, token, courseId, quizId, thinkMs = 0) {
  if (!(await rec.call('course start', 'POST', `/api/courses/${courseId}/start`, token))) return false;
  const attempt = await rec.call('attempt start', 'POST', `/api/quizzes/${quizId}/attempts`, token);
  if (!attempt) return false;
  for (const { slot } of attempt.slots) {
    if (thinkMs) await sleep(thinkMs * (0.5 + Math.random()));
    if (!(await rec.call('answer', 'PUT', `/api/attempts/${attempt.id}/slots/${slot}`, token, { response: { value: true } }))) return false;
  }
  return (await rec.call('submit', 'POST', `/api/attempts/${attempt.id}/submit`, token)) !== null;
}

// ---- main --------------------------------------------------------------------------------------------

async function main() {
  console.log(
    `bench:quiz — ${LEARNERS.toLocaleString('en')} learners (${CONCURRENCY.toLocaleString('en')} at a time), ${QUESTIONS} questions, ` +
      `sequential sample ${SEQUENTIAL}, think time ${THINK_MS ? `${THINK_MS} ms ±50% before each answer` : 'none'}; scratch database on ${redact(server)}; client ${clientName}; node ${process.version}`,
  );
  const dbUrl = await createDatabase(server, scratch);
  // A long access-token lifetime so a slow run cannot expire its tokens half-way (900 s by default); no effect on speed.
  const env = { DATABASE_URL: dbUrl, REDIS_URL, REDIS_PREFIX, PORT: String(PORT), WEB_DIST_PATH: '', JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123456789', JWT_ACCESS_TTL_SECONDS: '7200', ...TS_ENV };
  let client;
  let failed = false;
  try {
    process.stdout.write('setting up (migrations + demo province)… ');
    const setup = spawnSync(process.execPath, [...TS, 'apps/api/src/main.ts', 'setup'], { env: { ...process.env, ...env }, encoding: 'utf8' });
    if (setup.status !== 0) throw new Error(`setup failed:\n${setup.stdout}\n${setup.stderr}`);
    console.log('done');
    // BENCH_API_NODE_ARGS: extra node flags for the api only, e.g. "--cpu-prof --cpu-prof-dir=tmp/prof" to profile it.
    const apiProc = spawnNode([...(process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean), ...TS, 'apps/api/src/main.ts'], env, 'api');
    await waitFor(async () => (await fetch(`${BASE}/api/health`).then((r) => r.ok).catch(() => false)), 'the api', 120_000);
    const poolSize = (process.env.DATABASE_POOL_SIZE ?? '') || '10 (default)';
    console.log(`api (ts-node, pid ${apiProc.pid}) on ${BASE}; DATABASE_POOL_SIZE ${poolSize}`);

    // -- the course, as the demo organiser
    const { accessToken: token } = await api('/api/auth/login', { method: 'POST', body: { username: 'organiser', password: PASSWORD } });
    const me = await api('/api/me', { token });
    const provinceId = me.grants.find((g) => g.role === 'organiser').orgUnitId;
    const course = await api('/api/courses', { method: 'POST', token, body: { code: `BENCH-QUIZ-${process.pid}`, title: 'Khoá đo hiệu năng bài kiểm tra', periods: 2, ownerUnitId: provinceId } });
    const questionIds = [];
    for (let i = 0; i < QUESTIONS; i++) {
      const q = await api(`/api/courses/${course.id}/questions`, {
        method: 'POST',
        token,
        body: { definition: { type: 'true_false', text: `Câu ${i + 1}: chữ ký số có giá trị pháp lý như chữ ký tay.`, points: 1, tags: [], correct: true } },
      });
      questionIds.push(q.id);
    }
    const quiz = await api(`/api/courses/${course.id}/quizzes`, { method: 'POST', token, body: { title: 'Bài kiểm tra cuối khoá', mode: 'graded', selection: { mode: 'fixed', questionIds }, maxAttempts: null } });
    const section = await api(`/api/courses/${course.id}/sections`, { method: 'POST', token, body: { title: 'Phần 1' } });
    await api(`/api/courses/${course.id}/sections/${section.id}/lessons`, { method: 'POST', token, body: { title: 'Kiểm tra', kind: 'quiz', quizId: quiz.id } });
    await api(`/api/courses/${course.id}/draft`, { method: 'PATCH', token, body: { finalQuizId: quiz.id } });
    await api(`/api/courses/${course.id}/publish`, { method: 'POST', token });
    console.log(`course ${course.code}: ${QUESTIONS} true/false questions, graded final quiz (review after submit) in a quiz lesson, published`);

    // -- the learners, straight into the database
    client = new pg.Client({ connectionString: dbUrl });
    await client.connect();
    const communes = (await client.query(`SELECT id FROM org_units WHERE root_id = $1 AND kind = 'commune' AND valid_to IS NULL ORDER BY code`, [provinceId])).rows.map((r) => r.id);
    const total = LEARNERS + SEQUENTIAL;
    const { people, users } = makeLearners(total, provinceId, communes);
    const made = spawnSync(process.execPath, [...TS, '-e', CREATE_LEARNERS], {
      env: { ...process.env, ...env },
      input: JSON.stringify({ databaseUrl: dbUrl, password: PASSWORD, people, users }),
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const madeLine = made.stdout.split('\n').find((l) => l.startsWith('RESULT '));
    if (made.status !== 0 || !madeLine) throw new Error(`creating learners failed:\n${made.stdout}\n${made.stderr}`);
    const madeResult = JSON.parse(madeLine.slice(7));
    console.log(
      `${total.toLocaleString('en')} learner accounts (${LEARNERS} timed + ${SEQUENTIAL} sequential sample) with new people in ${communes.length} communes, ` +
        `learner grant on their commune; one hash by AuthService.hashPassword (${madeResult.hashParams}, ${madeResult.hashMs} ms); ${madeResult.seconds.toFixed(1)} s`,
    );

    // -- sign-in, timed on its own
    const signIn = new Recorder(['sign-in']);
    const tokens = new Array(total);
    const signInMs = await pool(
      users.map((u, i) => [u, i]),
      SIGN_IN_CONCURRENCY,
      async ([u, i]) => {
        const res = await signIn.call('sign-in', 'POST', '/api/auth/login', null, { username: u.username, password: PASSWORD });
        tokens[i] = res?.accessToken ?? null;
      },
    );
    const signInStats = signIn.stats()['sign-in'];
    console.log(`\nsign-in (POST /api/auth/login, argon2id verify; ${SIGN_IN_CONCURRENCY} at a time): ${total} in ${(signInMs / 1000).toFixed(1)} s → ${(total / (signInMs / 1000)).toFixed(1)} sign-ins/s`);
    printTable({ 'sign-in': signInStats });
    if (signIn.errors > 0) throw new Error(`${signIn.errors} sign-ins failed; stopping`);

    const seqTokens = tokens.slice(LEARNERS);
    const mainTokens = tokens.slice(0, LEARNERS);

    // -- the naive comparison: one learner at a time (also warms the api's quiz routes up)
    const seq = new Recorder(STEPS);
    let seqDone = 0;
    const seqMs = await pool(seqTokens, 1, async (t) => {
      if (await takeQuiz(seq, t, course.id, quiz.id)) seqDone++;
    });
    const seqStats = seq.stats();
    const seqPerLearner = seqMs / SEQUENTIAL;
    console.log(
      `\nsequential sample (run first, one learner in flight): ${seqDone}/${SEQUENTIAL} learners finished in ${(seqMs / 1000).toFixed(2)} s ` +
        `→ ${(seqPerLearner).toFixed(0)} ms per learner (${QUESTIONS + 3} requests), ${(seq.requests / (seqMs / 1000)).toFixed(0)} requests/s`,
    );
    printTable(seqStats);

    // -- timed: everyone at once
    const rec = new Recorder(STEPS);
    let done = 0;
    const pgPids = async () =>
      (await client.query(`SELECT pid FROM pg_stat_activity WHERE (datname = $1 OR backend_type <> 'client backend') AND pid <> pg_backend_pid()`, [scratch])).rows.map((r) => r.pid);
    const pgCpu0 = new Map((await pgPids()).map((pid) => [pid, cpuSeconds(pid)]));
    const apiCpu0 = cpuSeconds(apiProc.pid);
    const machine0 = machineCpu();
    const self0 = process.cpuUsage();
    const wallMs = await pool(mainTokens, CONCURRENCY, async (t) => {
      if (await takeQuiz(rec, t, course.id, quiz.id, THINK_MS)) done++;
    });
    const apiCpu = cpuSeconds(apiProc.pid) - apiCpu0;
    const machine1 = machineCpu();
    // PostgreSQL: this database's backends (the api's pool) and the server's background processes, counted when alive before and after.
    let pgCpuUsed = 0;
    for (const pid of await pgPids()) {
      const before = pgCpu0.get(pid);
      const after = cpuSeconds(pid);
      if (before != null && after != null) pgCpuUsed += after - before;
    }
    const selfCpu = (() => {
      const u = process.cpuUsage(self0);
      return (u.user + u.system) / 1e6;
    })();
    const machineBusy = machine1.busy - machine0.busy;
    const machineTotal = machine1.total - machine0.total;
    const wall = wallMs / 1000;
    const stats = rec.stats();
    const apiPeak = peakRssMb(apiProc.pid);
    console.log(
      `\nall at once: ${LEARNERS} learners, ${CONCURRENCY} in flight, ${THINK_MS ? `think time ${THINK_MS} ms ±50% before each answer` : 'no think time'}: ${done}/${LEARNERS} finished in ${wall.toFixed(2)} s; ` +
        `${rec.requests} requests → ${(rec.requests / wall).toFixed(0)} requests/s, ${(done / wall).toFixed(1)} learners/s`,
    );
    printTable(stats);
    console.log(
      `CPU during the timed phase (${wall.toFixed(1)} s wall, ${(machineTotal / wall).toFixed(0)} cores): machine ${((machineBusy / machineTotal) * 100).toFixed(0)}% busy; ` +
        `api ${apiCpu.toFixed(1)} s (${((apiCpu / wall) * 100).toFixed(0)}% of one core), PostgreSQL ${pgCpuUsed.toFixed(1)} s (${((pgCpuUsed / wall) * 100).toFixed(0)}%), ` +
        `this load generator ${selfCpu.toFixed(1)} s, everything else (Redis, kernel, other processes on the machine) ${(machineBusy - apiCpu - pgCpuUsed - selfCpu).toFixed(1)} s`,
    );
    console.log(`api peak RSS (VmHWM): ${apiPeak} MB`);
    console.log(
      `one at a time, the same ${LEARNERS} learners would take ~${((seqPerLearner * LEARNERS) / 1000).toFixed(1)} s (${seqPerLearner.toFixed(0)} ms × ${LEARNERS}, extrapolated from the sample); ` +
        `all at once took ${wall.toFixed(1)} s`,
    );

    // -- did it really happen?
    const [check] = (
      await client.query(
        `SELECT (SELECT COUNT(*)::int FROM quiz_attempts WHERE quiz_id = $1 AND status = 'submitted') AS submitted,
                (SELECT COUNT(*)::int FROM quiz_attempts WHERE quiz_id = $1 AND status = 'submitted' AND fraction = 1) AS full_marks,
                (SELECT COUNT(*)::int FROM quiz_attempts WHERE quiz_id = $1 AND status <> 'submitted') AS not_submitted,
                (SELECT COUNT(*)::int FROM quiz_attempt_slots s JOIN quiz_attempts a ON a.id = s.attempt_id WHERE a.quiz_id = $1 AND s.response IS NOT NULL) AS answers,
                (SELECT COUNT(*)::int FROM course_completions WHERE course_id = $2) AS completions`,
        [quiz.id, course.id],
      )
    ).rows;
    const expected = LEARNERS + SEQUENTIAL;
    const checkOk = check.submitted === expected && check.full_marks === expected && check.not_submitted === 0 && check.answers === expected * QUESTIONS && check.completions === expected;
    console.log(
      `database check (timed + sequential learners): ${check.submitted} attempts submitted (${check.full_marks} with full marks, ${check.not_submitted} not submitted), ` +
        `${check.answers} answers saved, ${check.completions} course completions; expected ${expected}, ${expected * QUESTIONS} answers → ${checkOk ? 'OK' : 'MISMATCH'}`,
    );

    await stop(apiProc);
    const errors = rec.errors + seq.errors;
    failed = errors > 0 || !checkOk || done !== LEARNERS;
    const result = {
      learners: LEARNERS,
      concurrency: CONCURRENCY,
      questions: QUESTIONS,
      thinkMs: THINK_MS,
      requestsPerLearner: QUESTIONS + 3,
      signIn: { count: total, concurrency: SIGN_IN_CONCURRENCY, seconds: Number((signInMs / 1000).toFixed(2)), perSecond: Number((total / (signInMs / 1000)).toFixed(1)), ...signInStats },
      sequential: { learners: SEQUENTIAL, finished: seqDone, seconds: Number((seqMs / 1000).toFixed(2)), msPerLearner: Math.round(seqPerLearner), steps: seqStats },
      allAtOnce: {
        finished: done,
        seconds: Number(wall.toFixed(2)),
        requests: rec.requests,
        requestsPerSecond: Math.round(rec.requests / wall),
        steps: stats,
        apiPeakRssMb: apiPeak,
        apiCpuSeconds: Number(apiCpu.toFixed(1)),
        postgresCpuSeconds: Number(pgCpuUsed.toFixed(1)),
        loadGeneratorCpuSeconds: Number(selfCpu.toFixed(1)),
        machineBusyPercent: Math.round((machineBusy / machineTotal) * 100),
      },
      databaseCheck: { ...check, ok: checkOk },
    };
    console.log('\nRESULT ' + JSON.stringify(result, null, 2));
    const a = stats['all requests'];
    console.log(
      `\nSUMMARY bench:quiz ${failed ? 'FAILED' : 'ok'}: ${LEARNERS} learners × ${QUESTIONS + 3} requests (${CONCURRENCY} concurrent, think ${THINK_MS} ms) in ${wall.toFixed(1)} s, ` +
        `${Math.round(rec.requests / wall)} req/s, p50 ${a.p50} / p95 ${a.p95} / p99 ${a.p99} / max ${a.max} ms, ` +
        `answer p95 ${stats.answer.p95} ms, submit p95 ${stats.submit.p95} ms, errors ${errors}, finished ${done}/${LEARNERS}, api peak RSS ${apiPeak} MB`,
    );
  } finally {
    await client?.end().catch(() => {});
    for (const c of children) await stop(c);
    if (!args.keep) {
      await dropDatabase(server, scratch).catch((e) => console.error(`could not drop ${scratch}: ${e.message}`));
      await dropRedisKeys().catch((e) => console.error(`could not delete the Redis keys ${REDIS_PREFIX}:*: ${e.message}`));
    } else {
      console.log(`kept: database ${scratch}, Redis keys ${REDIS_PREFIX}:*`);
    }
  }
  if (failed) process.exitCode = 1;
}

/** The run's queue jobs (course.completed events nobody consumes here), under its own prefix. */
async function dropRedisKeys() {
  const { default: Redis } = await import('ioredis');
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${REDIS_PREFIX}:*`, 'COUNT', 1000);
      if (keys.length) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

main().catch(async (e) => {
  console.error(`bench:quiz failed: ${e.message}`);
  for (const c of [...finished, ...children]) {
    console.error(`--- ${c.label} output ---\n${c.output().slice(-3000)}`);
    c.kill('SIGKILL');
  }
  process.exitCode = 1;
});
