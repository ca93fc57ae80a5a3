#!/usr/bin/env node
// Benchmarks bulk enrolment end to end on this machine:
//   1. a scratch database with the demo province (migrations + demo data), the api and 1 then 2
//      worker processes started from source, all on loopback;
//   2. a generated file of --rows rows (Vietnamese names, ~3% bad rows: bad e-mails, unknown
//      units, missing names, duplicates), uploaded as the demo organiser; timed from upload to the
//      job finished, per worker count, with each worker's peak memory (VmHWM);
//   3. in the same run: the naive way (one ORM lookup/save per row, on --naive-sample rows,
//      extrapolated) and the database floor (psql \copy of the same rows into a staging table).
//   npm run bench:bulk-enrol [-- --rows 100000 --workers 1,2 --naive-sample 2000 --database-url URL --keep yes]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { parseArgs, positiveInt, postgresUrl, redact } from './args.mjs';
import { createDatabase, dropDatabase, DEFAULT_ADMIN_URL } from '../scripts/pg-util.mjs';
import { children, peakRssMb, spawnNode, stop, waitFor } from './processes.mjs';

const USAGE =
  'usage: npm run bench:bulk-enrol -- [--rows <n>] [--workers 1,2] [--naive-sample <n>] [--database-url <server url>] [--redis-url <url>] [--keep yes]';
const { args } = parseArgs(
  process.argv.slice(2),
  {
    rows: positiveInt(500_000),
    workers: (v) => (/^\d(,\d)*$/.test(v) && v.split(',').every((n) => Number(n) >= 1 && Number(n) <= 8) ? { value: v.split(',').map(Number) } : { error: 'must be a list like 1,2 (each 1..8)' }),
    'naive-sample': positiveInt(100_000),
    'database-url': postgresUrl,
    'redis-url': (v) => (/^rediss?:\/\//.test(v) ? { value: v } : { error: 'must be a redis:// URL' }),
    keep: (v) => (['yes', 'no'].includes(v) ? { value: v === 'yes' } : { error: 'must be yes or no' }),
  },
  { program: 'bench:bulk-enrol', usage: USAGE },
);
const ROWS = args.rows ?? 100_000;
const WORKERS = args.workers ?? [1, 2];
const NAIVE = Math.min(args['naive-sample'] ?? 2000, ROWS);
const server = args['database-url'] ?? process.env.DATABASE_URL ?? DEFAULT_ADMIN_URL;
const REDIS_URL = args['redis-url'] ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const scratch = `dxtrain_bench_enrol_${process.pid}_${Date.now()}`;
const PORT = 3900 + (process.pid % 90);
const BASE = `http://127.0.0.1:${PORT}`;
const TS_ENV = { TS_NODE_PROJECT: 'tools/tsconfig.tools.json', TS_NODE_TRANSPILE_ONLY: 'true' };
const TS = ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register'];

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý', 'Rơ Châm', 'Ksor', 'Siu', 'Rah Lan'];
const MIDDLE = ['Văn', 'Thị', 'Hữu', 'Minh', 'Ngọc', 'Thanh', 'Quốc', 'Thu', 'Đức', 'Xuân', 'Hoài', 'Kim'];
const GIVEN = ['An', 'Bình', 'Cường', 'Dũng', 'Hương', 'Hà', 'Hải', 'Hạnh', 'Khánh', 'Lan', 'Linh', 'Long', 'Mai', 'Nam', 'Nga', 'Phúc', 'Quang', 'Sơn', 'Thảo', 'Trang', 'Tuấn', 'Vy', 'Yến', 'H\'Hen', 'Blơi'];
const POSITIONS = ['Chuyên viên', 'Công chức Văn phòng - Thống kê', 'Phó Chủ tịch UBND xã', 'Kế toán', 'Tổ trưởng Tổ công nghệ số cộng đồng', ''];
const CATEGORIES = ['Đầu mối CĐS của đơn vị', 'Công chức cấp xã tham gia mạng lưới', 'Thành viên Tổ công nghệ số cộng đồng', 'Người hoạt động không chuyên trách CNTT cấp xã', ''];

function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

/** A realistic file: ~97% good rows, the rest bad in the ways people get them wrong. */
function generateCsv(prefix, unitCodes, rows, seed) {
  const r = rng(seed);
  const pick = (a) => a[Math.floor(r() * a.length)];
  const lines = ['Mã cán bộ,Họ và tên,Email,Mã đơn vị,Vị trí việc làm,Nhóm mạng lưới'];
  let bad = 0;
  for (let i = 0; i < rows; i++) {
    const name = `${pick(FAMILY)} ${pick(MIDDLE)} ${pick(GIVEN)}`;
    let code = `${prefix}${String(i).padStart(6, '0')}`;
    let email = r() < 0.8 ? `${prefix.toLowerCase()}${i}@example.gov.vn` : '';
    let unit = pick(unitCodes);
    let fullName = name;
    const roll = r();
    if (roll < 0.008) (email = 'khong-phai-email'), bad++;
    else if (roll < 0.016) (unit = 'KHONG-TON-TAI'), bad++;
    else if (roll < 0.022) (fullName = ''), bad++;
    else if (roll < 0.03 && i > 0) (code = `${prefix}${String(i - 1).padStart(6, '0')}`), (email = ''), bad++;
    lines.push([code, fullName, email, unit, pick(POSITIONS), pick(CATEGORIES)].join(','));
  }
  return { csv: lines.join('\n') + '\n', bad };
}

async function api(path, { method = 'GET', token, body, form } = {}) {
  const headers = token ? { Authorization: `Bearer ${token}` } : {};
  if (body) headers['Content-Type'] = 'application/json';
  const res = await fetch(BASE + path, { method, headers, body: form ?? (body ? JSON.stringify(body) : undefined) });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return json;
}

async function main() {
  console.log(`bench:bulk-enrol — ${ROWS.toLocaleString('en')} rows, workers ${WORKERS.join(' and ')}; scratch database on ${redact(server)}`);
  const dbUrl = await createDatabase(server, scratch);
  const tmp = mkdtempSync(join(tmpdir(), 'dxtrain-bench-'));
  const env = { DATABASE_URL: dbUrl, REDIS_URL, REDIS_PREFIX: `bench-${process.pid}-${Date.now()}`, PORT: String(PORT), WEB_DIST_PATH: '', JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123456789', ...TS_ENV };
  const results = {};
  try {
    process.stdout.write('setting up (migrations + demo province)… ');
    const setup = spawnSync(process.execPath, [...TS, 'apps/api/src/main.ts', 'setup'], { env: { ...process.env, ...env }, encoding: 'utf8' });
    if (setup.status !== 0) throw new Error(`setup failed:\n${setup.stdout}\n${setup.stderr}`);
    console.log('done');
    const apiProc = spawnNode([...TS, 'apps/api/src/main.ts'], env, 'api');
    await waitFor(async () => (await fetch(`${BASE}/api/health`).then((r) => r.ok).catch(() => false)), 'the api', 120_000);
    const { accessToken: token } = await api('/api/auth/login', { method: 'POST', body: { username: 'organiser', password: process.env.DEMO_PASSWORD ?? 'dxtrain-demo' } });
    const me = await api('/api/me', { token });
    const provinceId = me.grants.find((g) => g.role === 'organiser').orgUnitId;
    const client = new pg.Client({ connectionString: dbUrl });
    await client.connect();
    const units = (await client.query(`SELECT code FROM org_units u WHERE u.root_id = $1 AND u.kind = 'commune' AND u.valid_to IS NULL`, [provinceId])).rows.map((r) => r.code);
    console.log(`demo province: ${units.length} communes`);

    for (const [index, workers] of WORKERS.entries()) {
      const prefix = `B${index}W${workers}X`;
      const { csv, bad } = generateCsv(prefix, units, ROWS, 42 + index);
      const file = join(tmp, `${prefix}.csv`);
      writeFileSync(file, csv);
      const course = await api('/api/courses', { method: 'POST', token, body: { code: `BENCH-${prefix}`, title: `Khoá đo hiệu năng ${prefix}`, periods: 2, ownerUnitId: provinceId } });
      const section = await api(`/api/courses/${course.id}/sections`, { method: 'POST', token, body: { title: 'Phần 1' } });
      await api(`/api/courses/${course.id}/sections/${section.id}/lessons`, { method: 'POST', token, body: { title: 'Bài 1', kind: 'text', markdown: 'Nội dung' } });
      await api(`/api/courses/${course.id}/publish`, { method: 'POST', token });

      const procs = [];
      for (let w = 0; w < workers; w++) procs.push(spawnNode([...TS, 'tools/testing/run-worker.ts'], env, `worker ${w + 1}`));
      await waitFor(() => procs.every((p) => p.output().includes('worker-ready')), 'the workers', 120_000);

      const form = new FormData();
      form.append('file', new Blob([readFileSync(file)], { type: 'text/csv' }), `${prefix}.csv`);
      form.append('courseId', course.id);
      const t0 = performance.now();
      const { id } = await api('/api/enrolment-imports', { method: 'POST', token, form });
      const tUpload = performance.now() - t0;
      let summary;
      await waitFor(async () => {
        summary = await api(`/api/enrolment-imports/${id}`, { token });
        return summary.status === 'completed' || summary.status === 'failed';
      }, 'the import', 600_000);
      const seconds = (performance.now() - t0) / 1000;
      const peaks = procs.map((p) => peakRssMb(p.pid));
      for (const p of procs) await stop(p);
      if (process.env.BENCH_VERBOSE) for (const p of procs) console.log(`--- ${p.label} ---\n${p.output()}`);
      results[`${workers} worker${workers > 1 ? 's' : ''}`] = {
        status: summary.status,
        seconds: Number(seconds.toFixed(2)),
        rowsPerSecond: Math.round(ROWS / seconds),
        uploadMs: Math.round(tUpload),
        enrolled: summary.enrolled,
        createdPeople: summary.createdPeople,
        failedRows: summary.failedRows,
        generatedBadRows: bad,
        workerPeakRssMb: peaks,
      };
      console.log(`${workers} worker(s): ${summary.status} in ${seconds.toFixed(2)} s → ${Math.round(ROWS / seconds).toLocaleString('en')} rows/s; enrolled ${summary.enrolled}, failed ${summary.failedRows} (generated bad ${bad}); worker peak RSS ${peaks.join(', ')} MB`);
      if (index === 0) {
        // The naive way, on a sample of the same file, into a fresh course.
        const naiveCourse = await api('/api/courses', { method: 'POST', token, body: { code: `BENCH-NAIVE`, title: 'Khoá đo hiệu năng (cách đơn giản)', periods: 1, ownerUnitId: provinceId } });
        const naiveFile = join(tmp, 'naive.csv');
        writeFileSync(naiveFile, generateCsv('NAIVE', units, NAIVE, 7).csv);
        const naive = spawnSync(
          process.execPath,
          [...TS, 'tools/bench/naive-enrol.ts', '--database-url', dbUrl, '--file', naiveFile, '--course-id', naiveCourse.id, '--year', '2026', '--sample', String(NAIVE)],
          { env: { ...process.env, ...env }, encoding: 'utf8' },
        );
        const line = naive.stdout.split('\n').find((l) => l.startsWith('RESULT '));
        if (!line) throw new Error(`naive run failed:\n${naive.stdout}\n${naive.stderr}`);
        const n = JSON.parse(line.slice(7));
        results.naive = { sampleRows: NAIVE, seconds: Number(n.seconds.toFixed(2)), rowsPerSecond: Math.round(n.rowsPerSecond), extrapolatedSecondsForAllRows: Math.round(ROWS / n.rowsPerSecond) };
        console.log(`naive (one ORM save per row): ${Math.round(n.rowsPerSecond).toLocaleString('en')} rows/s on ${NAIVE} rows → ~${Math.round(ROWS / n.rowsPerSecond)} s for ${ROWS.toLocaleString('en')}`);

        // The database floor: COPY of the same file into a staging table.
        await client.query('CREATE TABLE bench_staging (staff_code text, full_name text, email text, unit_code text, position text, category text)');
        const c0 = performance.now();
        const copy = spawnSync('psql', [dbUrl, '-q', '-c', `\\copy bench_staging FROM '${file}' WITH (FORMAT csv, HEADER true)`], { encoding: 'utf8' });
        const copySeconds = (performance.now() - c0) / 1000;
        if (copy.status !== 0) throw new Error(`psql \\copy failed: ${copy.stderr}`);
        results.copyFloor = { seconds: Number(copySeconds.toFixed(2)), rowsPerSecond: Math.round(ROWS / copySeconds) };
        console.log(`database floor (psql \\copy into a staging table): ${copySeconds.toFixed(2)} s → ${Math.round(ROWS / copySeconds).toLocaleString('en')} rows/s`);
      }
    }
    await client.end();
    await stop(apiProc);
    console.log('\nRESULT ' + JSON.stringify({ rows: ROWS, ...results }, null, 2));
  } finally {
    for (const c of children) await stop(c);
    rmSync(tmp, { recursive: true, force: true });
    if (!args.keep) await dropDatabase(server, scratch).catch((e) => console.error(`could not drop ${scratch}: ${e.message}`));
  }
}

main().catch(async (e) => {
  console.error(`bench:bulk-enrol failed: ${e.message}`);
  for (const c of children) {
    console.error(`--- ${c.label} output ---\n${c.output().slice(-3000)}`);
    c.kill('SIGKILL');
  }
  process.exitCode = 1;
});
