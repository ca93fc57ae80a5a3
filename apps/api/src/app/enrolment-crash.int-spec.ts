import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { publishedCourse, waitForImport } from '../testing/enrolment-helpers';
import { buildFixture, Fixture, FIXTURE_PASSWORD } from '../testing/fixtures';
import { createTestApp, signIn, TestApp } from '../testing/test-app';

const ROOT = join(__dirname, '../../../..');

/** Starts the real worker as a separate process (from source) and resolves when it is ready. */
function startWorkerProcess(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', join(ROOT, 'tools/testing/run-worker.ts')], {
    cwd: ROOT,
    env: { ...process.env, TS_NODE_PROJECT: join(ROOT, 'tools/tsconfig.tools.json'), TS_NODE_TRANSPILE_ONLY: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`worker did not start:\n${output}`)), 60_000);
    child.stdout?.on('data', (d: Buffer) => {
      output += d.toString();
      if (output.includes('worker-ready')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => reject(new Error(`worker exited with ${code}:\n${output}`)));
  });
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('bulk enrolment survives a worker killed mid-job (SIGKILL)', () => {
  let t: TestApp;
  let f: Fixture;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    f = await buildFixture(t.db);
  });
  afterAll(async () => {
    for (const w of workers) await killed(w);
    await t.close();
  });

  it('finishes with exact counts and no duplicates after a restart', async () => {
    const organiser = await signIn(t.http, `organiser-${f.tag}`, FIXTURE_PASSWORD);
    const courseId = await publishedCourse(t, organiser, `CRASH-${f.tag}`, f.province.id);
    const rows = 60_000;
    const units = [f.commune1a.code, f.commune1b.code, f.commune2a.code];
    const lines = ['Mã cán bộ,Họ và tên,Email,Mã đơn vị'];
    for (let i = 0; i < rows; i++) lines.push(`K${i}-${f.tag},Nguyễn Văn Khải ${i},khai${i}.${f.tag}@example.gov.vn,${units[i % 3]}`);

    const first = await startWorkerProcess();
    workers.push(first);
    const upload = await t.http.post('/api/enrolment-imports').set(organiser).attach('file', Buffer.from(lines.join('\n')), 'crash.csv').field('courseId', courseId);
    expect(upload.status).toBe(202);
    const id = upload.body.id as string;

    // Kill the worker once some chunks are done and others are not.
    let atKill = { chunks: 0, chunkCount: 0, status: '' };
    for (let i = 0; i < 3000; i++) {
      const [s] = (await t.db.query(
        `SELECT i.status, i.chunk_count, (SELECT count(*)::int FROM enrolment_import_chunks c WHERE c.import_id = i.id) AS chunks FROM enrolment_imports i WHERE i.id = $1`,
        [id],
      )) as Array<{ status: string; chunk_count: number; chunks: number }>;
      atKill = { chunks: s.chunks, chunkCount: s.chunk_count, status: s.status };
      if (s.chunks >= 1 || s.status === 'completed') break;
      await new Promise((r) => setTimeout(r, 10));
    }
    await killed(first);
    expect(atKill.status).toBe('running');
    expect(atKill.chunks).toBeGreaterThanOrEqual(1);
    expect(atKill.chunks).toBeLessThan(atKill.chunkCount);

    // Nothing moves while no worker runs.
    const [stalled] = (await t.db.query('SELECT status FROM enrolment_imports WHERE id = $1', [id])) as Array<{ status: string }>;
    expect(stalled.status).toBe('running');

    workers.push(await startWorkerProcess());
    const s = await waitForImport(t, organiser, id, 120_000);
    expect(s).toMatchObject({ status: 'completed', totalRows: rows, processedRows: rows, createdPeople: rows, updatedPeople: 0, enrolled: rows, alreadyEnrolled: 0, failedRows: 0 });
    const [people] = (await t.db.query(`SELECT count(*)::int AS n, count(DISTINCT staff_code)::int AS d FROM people WHERE staff_code LIKE $1`, [`K%-${f.tag}`])) as Array<{
      n: number;
      d: number;
    }>;
    expect(people).toEqual({ n: rows, d: rows });
    const [enrolments] = (await t.db.query('SELECT count(*)::int AS n FROM enrolments WHERE course_id = $1', [courseId])) as Array<{ n: number }>;
    expect(enrolments.n).toBe(rows);
    const [chunks] = (await t.db.query('SELECT count(*)::int AS n FROM enrolment_import_chunks WHERE import_id = $1', [id])) as Array<{ n: number }>;
    expect(chunks.n).toBe(atKill.chunkCount);
  }, 180_000);
});
