// TEMPORARY measurement (deleted after use): peak RSS of a real worker process importing the 250 MB bomb.
import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { buildXlsxBomb } from '../../../../libs/server/spreadsheets/src/testing/xlsx-fixtures';
import { publishedCourse, waitForImport } from '../testing/enrolment-helpers';
import { buildFixture, FIXTURE_PASSWORD } from '../testing/fixtures';
import { createTestApp, signIn } from '../testing/test-app';

const ROOT = join(__dirname, '../../../..');
const kb = (pid: number, key: string) => Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`${key}:\\s+(\\d+)`))?.[1] ?? 0) / 1024;

function startWorkerProcess(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', join(ROOT, 'tools/testing/run-worker.ts')], {
    cwd: ROOT,
    env: { ...process.env, TS_NODE_PROJECT: process.env['WORKER_TSCONFIG'] ?? join(ROOT, 'tools/tsconfig.tools.json'), TS_NODE_TRANSPILE_ONLY: 'true', NODE_PATH: join(ROOT, 'node_modules') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (d: Buffer) => {
      output += d.toString();
      if (output.includes('worker-ready')) resolve(child);
    });
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => reject(new Error(`worker exited with ${code}:\n${output}`)));
  });
}

it('measures', async () => {
  const t = await createTestApp();
  const f = await buildFixture(t.db);
  const organiser = await signIn(t.http, `organiser-${f.tag}`, FIXTURE_PASSWORD);
  const courseId = await publishedCourse(t, organiser, `RSS-${f.tag}`, f.province.id);
  const bomb = await buildXlsxBomb({ bytes: 250 * 1024 * 1024, fill: 'rows', declaredSheetSize: process.env['FORGED'] ? 4096 : undefined });
  const w = await startWorkerProcess();
  await new Promise((r) => setTimeout(r, 2000));
  const idle = kb(w.pid!, 'VmRSS');
  const idleHwm = kb(w.pid!, 'VmHWM');
  let peak = idle;
  const timer = setInterval(() => (peak = Math.max(peak, kb(w.pid!, 'VmRSS'))), 20);
  const started = Date.now();
  const up = await t.http.post('/api/enrolment-imports').set(organiser).attach('file', bomb, 'bomb.xlsx').field('courseId', courseId);
  const s = await waitForImport(t, organiser, up.body.id, 300_000);
  clearInterval(timer);
  console.log(`worker (${process.env['WORKER_TSCONFIG'] ? 'before' : 'after'}${process.env['FORGED'] ? ', forged sizes' : ''}): idle RSS ${idle.toFixed(0)} MB (startup peak ${idleHwm.toFixed(0)}), peak RSS during the import ${peak.toFixed(0)} MB (VmHWM ${kb(w.pid!, 'VmHWM').toFixed(0)}); import ${s.status} after ${Date.now() - started} ms: ${s.failureReason ?? ''} totalRows=${s.totalRows} enrolled=${s.enrolled}; exit=${w.exitCode}`);
  w.kill('SIGKILL');
  await t.close();
}, 600_000);
