// Runs named long-lived child processes and keeps them running (used by start.mjs for api + worker).
//   - a child that exits or is killed is restarted after a back-off: 1 s, 2 s, 4 s … capped at 30 s;
//     a child that ran for a minute counts as healthy again, so its next crash waits 1 s
//   - every death is logged: which child, its pid, exit code or signal, when and in how long it restarts
//   - stop(): no more restarts (a pending one is cancelled), SIGTERM to every child, SIGKILL after a grace period
// The children stay in the supervisor's process group on purpose: whatever signals the whole group (Ctrl-C in a
// terminal, a closed terminal, Playwright's SIGKILL of its webServer group) reaches them too, so they cannot be
// left behind. A child may then get Ctrl-C's SIGINT and the supervisor's SIGTERM: Nest ignores the second.
import { spawn } from 'node:child_process';

const clock = () => new Date().toTimeString().slice(0, 8);
const seconds = (ms) => (ms % 1000 === 0 ? `${ms / 1000} s` : ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);

/**
 * @param {Array<{name: string, command: string, args?: string[], cwd?: string, env?: object}>} specs
 * @param {object} [opts]
 * @param {number} [opts.initialDelayMs=1000] first restart delay, doubled per consecutive crash
 * @param {number} [opts.maxDelayMs=30000] cap of the restart delay
 * @param {number} [opts.resetAfterMs=60000] a child that ran this long restarts after initialDelayMs again
 * @param {number} [opts.stopTimeoutMs=10000] SIGTERM → SIGKILL grace period in stop()
 * @param {number[]} [opts.giveUpOnExitCodes=[]] exit codes that are not worth a restart (e.g. 78: bad configuration)
 * @param {(line: string) => void} [opts.log] the supervisor's own lines
 * @param {(name: string, line: string) => void} [opts.output] each line a child writes (stdout and stderr)
 * @param {(event: object) => void} [opts.onEvent] {type: 'spawn'|'exit'|'restart'|'give-up', name, pid, ...}
 */
export function supervise(specs, opts = {}) {
  const {
    initialDelayMs = 1000,
    maxDelayMs = 30_000,
    resetAfterMs = 60_000,
    stopTimeoutMs = 10_000,
    giveUpOnExitCodes = [],
    log = (line) => console.log(`[dxtrain] ${line}`),
    output = (name, line) => console.log(`${name.padEnd(6)}| ${line}`),
    onEvent = () => undefined,
  } = opts;
  let stopping = false;
  const slots = new Map();

  function start(slot) {
    const { spec } = slot;
    const child = spawn(spec.command, spec.args ?? [], {
      cwd: spec.cwd,
      env: spec.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    slot.child = child;
    slot.startedAt = Date.now();
    slot.exited = new Promise((resolve) => {
      let done = false;
      const onEnd = (code, signal, error) => {
        if (done) return;
        done = true;
        resolve();
        died(slot, child, code, signal, error);
      };
      child.once('exit', (code, signal) => onEnd(code, signal));
      // 'error' without a pid: it could not be spawned at all (a failed kill() also emits 'error')
      child.on('error', (e) => child.pid === undefined && onEnd(null, null, e));
    });
    for (const stream of [child.stdout, child.stderr]) {
      let buf = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        buf += chunk;
        const lines = buf.split('\n');
        buf = lines.pop();
        for (const line of lines) output(spec.name, line);
      });
      stream.on('end', () => buf && output(spec.name, buf));
    }
    if (child.pid) onEvent({ type: 'spawn', name: spec.name, pid: child.pid, restarts: slot.restarts });
  }

  function died(slot, child, code, signal, error) {
    const { name } = slot.spec;
    const ranMs = Date.now() - slot.startedAt;
    const how = error ? `failed to start (${error.message})` : signal ? `was killed by ${signal}` : `exited with code ${code}`;
    onEvent({ type: 'exit', name, pid: child.pid, code, signal, ranMs });
    if (stopping) return;
    const what = `${name} (pid ${child.pid ?? '-'}) ${how} at ${clock()} after ${seconds(Math.round(ranMs / 100) * 100)}`;
    if (code !== null && giveUpOnExitCodes.includes(code)) {
      log(`${what}; not restarting it (exit code ${code} means it cannot work as configured).`);
      onEvent({ type: 'give-up', name, code });
      return;
    }
    if (ranMs >= resetAfterMs) slot.failures = 0;
    const delayMs = Math.min(initialDelayMs * 2 ** slot.failures, maxDelayMs);
    slot.failures += 1;
    slot.restarts += 1;
    const at = new Date(Date.now() + delayMs).toTimeString().slice(0, 8);
    log(`${what}; restarting it in ${seconds(delayMs)} (at ${at}, restart #${slot.restarts}).`);
    onEvent({ type: 'restart', name, delayMs, restarts: slot.restarts });
    slot.timer = setTimeout(() => {
      slot.timer = null;
      if (!stopping) start(slot);
    }, delayMs);
  }

  for (const spec of specs) {
    const slot = { spec, child: null, exited: Promise.resolve(), startedAt: 0, failures: 0, restarts: 0, timer: null };
    slots.set(spec.name, slot);
    start(slot);
  }

  let stopped;
  return {
    /** The pid of the named child's current process (undefined while it waits for a restart). */
    pid(name) {
      const child = slots.get(name)?.child;
      return child && child.exitCode === null && child.signalCode === null ? child.pid : undefined;
    },
    /** Stops every child (SIGTERM, then SIGKILL after stopTimeoutMs); resolves when all are gone. */
    stop() {
      stopping = true;
      stopped ??= Promise.all(
        [...slots.values()].map(async (slot) => {
          if (slot.timer) clearTimeout(slot.timer);
          const child = slot.child;
          if (!child || child.exitCode !== null || child.signalCode !== null) return slot.exited;
          const kill = setTimeout(() => {
            log(`${slot.spec.name} (pid ${child.pid}) did not stop within ${seconds(stopTimeoutMs)}: SIGKILL`);
            child.kill('SIGKILL');
          }, stopTimeoutMs);
          child.kill('SIGTERM');
          await slot.exited;
          clearTimeout(kill);
        }),
      ).then(() => undefined);
      return stopped;
    },
  };
}
