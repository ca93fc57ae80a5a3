// Fault tests of the `npm start` supervisor (tools/scripts/supervise.mjs) with tiny `node -e` children:
// no build, no database. Run: node --test tools/scripts/supervise.test.mjs (npm test runs it in the unit step).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { supervise } from './supervise.mjs';

const SUPERVISE_URL = new URL('./supervise.mjs', import.meta.url).href;
const node = (code) => ({ command: process.execPath, args: ['-e', code] });
const FOREVER = 'setInterval(() => {}, 1000);';

/** Alive = exists and is not a zombie (an orphan's zombie waits for init, which may be slow in a container). */
function alive(pid) {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return true;
  try {
    return readFileSync(stat, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}

async function waitFor(check, what, timeoutMs = 5000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function recorder() {
  const lines = [];
  const events = [];
  return { lines, events, log: (l) => lines.push(l), output: () => undefined, onEvent: (e) => events.push({ ...e, at: Date.now() }) };
}

test('a SIGKILLed api comes back, with a log line naming it, the signal and the delay', async () => {
  const r = recorder();
  const sup = supervise([{ name: 'api', ...node(FOREVER) }], { ...r, initialDelayMs: 100 });
  try {
    const first = await waitFor(() => sup.pid('api'), 'the api to start');
    process.kill(first, 'SIGKILL');
    const second = await waitFor(() => sup.pid('api') !== first && sup.pid('api'), 'the api to be restarted');
    assert.notEqual(second, first);
    assert.equal(r.lines.length, 1);
    assert.match(
      r.lines[0],
      new RegExp(`^api \\(pid ${first}\\) was killed by SIGKILL at \\d\\d:\\d\\d:\\d\\d after [\\d.]+ m?s; restarting it in 100 ms \\(at \\d\\d:\\d\\d:\\d\\d, restart #1\\)\\.$`),
    );
    assert.ok(alive(second));
    await sup.stop();
    assert.ok(!alive(first) && !alive(second));
  } finally {
    await sup.stop();
  }
});

test('a killed worker comes back while the api keeps running untouched', async () => {
  const r = recorder();
  const sup = supervise(
    [
      { name: 'api', ...node(FOREVER) },
      { name: 'worker', ...node(FOREVER) },
    ],
    { ...r, initialDelayMs: 100 },
  );
  try {
    const api = await waitFor(() => sup.pid('api'), 'the api to start');
    const worker = await waitFor(() => sup.pid('worker'), 'the worker to start');
    process.kill(worker, 'SIGKILL');
    const worker2 = await waitFor(() => sup.pid('worker') !== worker && sup.pid('worker'), 'the worker to be restarted');
    assert.ok(alive(worker2));
    assert.equal(sup.pid('api'), api, 'the api was not restarted');
    assert.ok(alive(api));
    assert.equal(r.lines.length, 1);
    assert.match(r.lines[0], new RegExp(`^worker \\(pid ${worker}\\) was killed by SIGKILL .* restart #1\\)\\.$`));
  } finally {
    await sup.stop();
  }
});

test('back-off doubles per consecutive crash up to the cap; exit codes are logged', async () => {
  const r = recorder();
  const sup = supervise([{ name: 'worker', ...node('process.exit(3)') }], { ...r, initialDelayMs: 50, maxDelayMs: 200 });
  try {
    await waitFor(() => r.events.filter((e) => e.type === 'restart').length >= 5, 'five restarts');
  } finally {
    await sup.stop();
  }
  const restarts = r.events.filter((e) => e.type === 'restart').slice(0, 5);
  assert.deepEqual(
    restarts.map((e) => e.delayMs),
    [50, 100, 200, 200, 200],
  );
  assert.match(r.lines[0], /^worker \(pid \d+\) exited with code 3 at \d\d:\d\d:\d\d after [\d.]+ m?s; restarting it in 50 ms \(at .*, restart #1\)\.$/);
  assert.match(r.lines[2], /exited with code 3 .* restarting it in 200 ms \(at \d\d:\d\d:\d\d, restart #3\)\.$/);
  // The delays are real: each restart spawns at least its back-off after the crash it follows.
  const exits = r.events.filter((e) => e.type === 'exit');
  const spawns = r.events.filter((e) => e.type === 'spawn');
  for (let i = 0; i < 4; i++) assert.ok(spawns[i + 1].at - exits[i].at >= restarts[i].delayMs - 5, `restart ${i + 1} waited its back-off`);
});

test('a child that ran longer than resetAfterMs restarts after the initial delay again', async () => {
  const r = recorder();
  const sup = supervise([{ name: 'api', ...node('setTimeout(() => process.exit(1), 400)') }], {
    ...r,
    initialDelayMs: 50,
    resetAfterMs: 300,
  });
  try {
    await waitFor(() => r.events.filter((e) => e.type === 'restart').length >= 3, 'three restarts');
  } finally {
    await sup.stop();
  }
  assert.deepEqual(
    r.events.filter((e) => e.type === 'restart').slice(0, 3).map((e) => e.delayMs),
    [50, 50, 50],
  );
});

test('an exit code listed in giveUpOnExitCodes is not restarted', async () => {
  const r = recorder();
  const sup = supervise([{ name: 'api', ...node('process.exit(78)') }], { ...r, initialDelayMs: 50, giveUpOnExitCodes: [78] });
  await waitFor(() => r.events.some((e) => e.type === 'give-up'), 'give-up');
  await new Promise((res) => setTimeout(res, 200));
  assert.equal(r.events.filter((e) => e.type === 'spawn').length, 1);
  assert.match(r.lines[0], /^api \(pid \d+\) exited with code 78 .* not restarting it/);
  await sup.stop();
});

/** Leaves nothing behind when an assertion failed half-way. */
function killAll(pids) {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** A supervisor process like start.mjs; every event, log and output line comes back as a JSON line. */
function supervisorProcess(specs, { detached = false } = {}) {
  const fixture = `
    import { supervise } from ${JSON.stringify(SUPERVISE_URL)};
    const say = (o) => console.log(JSON.stringify(o));
    const sup = supervise(${JSON.stringify(specs)}.map((s) => ({ ...s, command: process.execPath })), {
      initialDelayMs: 300, stopTimeoutMs: 500,
      log: (line) => say({ type: 'log', line }),
      output: (name, line) => say({ type: 'line', name, line }),
      onEvent: (e) => say(e),
    });
    process.on('SIGTERM', async () => { await sup.stop(); say({ type: 'stopped' }); process.exit(0); });
  `;
  const proc = spawn(process.execPath, ['--input-type=module', '-e', fixture], { stdio: ['ignore', 'pipe', 'inherit'], detached });
  const seen = [];
  createInterface({ input: proc.stdout }).on('line', (l) => seen.push(JSON.parse(l)));
  const exited = new Promise((res) => proc.once('exit', (code, signal) => res({ code, signal })));
  const pids = () => [...new Set(seen.filter((e) => e.type === 'spawn').map((e) => e.pid))];
  return { proc, seen, exited, pids };
}

test('SIGTERM to the supervisor process stops every child, escalates to SIGKILL, and leaves nothing running', async () => {
  // api, a worker that ignores SIGTERM, and a crash-looping child whose restart is pending when the stop comes.
  const { proc, seen, exited, pids } = supervisorProcess([
    { name: 'api', args: ['-e', "console.log('ready'); setInterval(() => {}, 1000);"] },
    { name: 'worker', args: ['-e', "process.on('SIGTERM', () => console.log('ignoring SIGTERM')); console.log('ready'); setInterval(() => {}, 1000);"] },
    { name: 'flaky', args: ['-e', 'process.exit(1)'] },
  ]);
  try {
    for (const name of ['api', 'worker']) await waitFor(() => seen.some((e) => e.type === 'line' && e.name === name && e.line === 'ready'), name);
    await waitFor(() => seen.some((e) => e.type === 'restart' && e.name === 'flaky'), 'a pending restart');
    const before = seen.length;
    proc.kill('SIGTERM');
    const { code } = await exited;
    assert.equal(code, 0);
    assert.ok(seen.some((e) => e.type === 'stopped'));
    const after = seen.slice(before);
    assert.ok(!after.some((e) => e.type === 'spawn'), 'nothing was restarted during the stop');
    assert.ok(after.some((e) => e.type === 'log' && /^worker \(pid \d+\) did not stop within 500 ms: SIGKILL$/.test(e.line)));
    assert.ok(after.some((e) => e.type === 'exit' && e.name === 'api' && e.signal === 'SIGTERM'));
    assert.ok(after.some((e) => e.type === 'exit' && e.name === 'worker' && e.signal === 'SIGKILL'));
    assert.ok(!after.some((e) => e.type === 'log' && /restarting/.test(e.line)), 'no restart announced during the stop');
    await waitFor(() => !pids().some(alive), 'every child to be gone', 2000);
  } finally {
    if (proc.exitCode === null) proc.kill('SIGKILL');
    killAll(pids());
  }
});

test("a SIGKILL of the supervisor's whole process group (Playwright's webServer teardown) takes the children too", { skip: process.platform === 'win32' }, async () => {
  const { proc, seen, exited, pids } = supervisorProcess(
    [
      { name: 'api', args: ['-e', "console.log('ready'); setInterval(() => {}, 1000);"] },
      { name: 'worker', args: ['-e', "console.log('ready'); setInterval(() => {}, 1000);"] },
    ],
    { detached: true },
  );
  try {
    for (const name of ['api', 'worker']) await waitFor(() => seen.some((e) => e.type === 'line' && e.name === name && e.line === 'ready'), name);
    assert.equal(pids().length, 2);
    process.kill(-proc.pid, 'SIGKILL');
    await exited;
    await waitFor(() => !pids().some(alive), 'every child to be gone', 2000);
  } finally {
    killAll([-proc.pid, ...pids()]);
  }
});
