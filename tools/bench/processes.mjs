// Child processes of the benchmarks (api, workers, helpers run from source), shared by every
// tools/bench/*.mjs: spawn with captured output, wait for a condition, peak memory, stop.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Every child still running, so a failing benchmark can kill them all. */
export const children = new Set();
/** Children that already exited, so a failure can still show their output. */
export const finished = [];

/** `node <argv>` with `env` over this process's environment; `child.output()` is its recent stdout+stderr. */
export function spawnNode(argv, env, label) {
  const child = spawn(process.execPath, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.on('exit', () => {
    children.delete(child);
    finished.push(child);
  });
  let out = '';
  const keep = (d) => {
    out += d;
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.output = () => out;
  child.label = label;
  return child;
}

/** Polls `check` (sync or async) until it is truthy, or fails naming `what` after `ms`. */
export async function waitFor(check, what, ms = 120_000, everyMs = 50) {
  const until = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

function vmHwmKb(pid) {
  try {
    return Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Peak resident memory (VmHWM) of a process and its direct children (e.g. a cluster's api processes), MB; null once gone. */
export function peakRssMb(pid) {
  const kids = spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).stdout?.split('\n').filter(Boolean).map(Number) ?? [];
  const kb = [pid, ...kids].reduce((sum, p) => sum + vmHwmKb(p), 0);
  return kb ? Math.round(kb / 1024) : null;
}

/** SIGTERM, then SIGKILL after 5 s; resolves when the child has exited. */
export async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}

export function killAll() {
  for (const c of children) c.kill('SIGKILL');
}
