#!/usr/bin/env node
// `npm test`: every test tier, in order, stopping at nothing so one run reports everything.
//   1. lint (ESLint with module boundaries, type-aware promise rules)
//   2. schema check: entities and migrations agree (typeorm migration:generate --check)
//   3. unit tests (jest, every project) and the `npm start` supervisor tests (node --test)
//   4. integration tests (jest, real PostgreSQL + Redis, fresh database per run)
//   5. end-to-end tests (Playwright in Debian's Chromium against the built platform)
// Needs PostgreSQL (DATABASE_URL or TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432)
// and Redis (REDIS_URL, default redis://127.0.0.1:6379). `--only=lint,unit,...` runs a subset.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_ADMIN_URL, dropDatabase } from './pg-util.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const OUT = join(ROOT, 'tmp/test-results');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const want = (step) => !only || only.includes(step);
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', FORCE_COLOR: process.env.CI ? '0' : '1' };
const node = (script, args) => [process.execPath, [join(ROOT, script), ...args]];
const results = [];
let passed = 0;
let failed = 0;

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });

function step(name, [cmd, args], extraEnv = {}) {
  console.log(`\n=== ${name} ===`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', env: { ...env, ...extraEnv } });
  const ok = r.status === 0;
  results.push({ name, ok, seconds: ((Date.now() - started) / 1000).toFixed(1) });
  return ok;
}

function countJest(file) {
  if (!existsSync(file)) return;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0);
}

function countNodeTest(file) {
  if (!existsSync(file)) return;
  const tap = readFileSync(file, 'utf8');
  const total = (key) => Number(tap.match(new RegExp(`^# ${key} (\\d+)$`, 'm'))?.[1] ?? 0);
  passed += total('pass');
  failed += total('fail') + total('cancelled');
}

function countPlaywright(file) {
  if (!existsSync(file)) return;
  const { stats } = JSON.parse(readFileSync(file, 'utf8'));
  passed += stats.expected + (stats.flaky ?? 0);
  failed += stats.unexpected;
}

if (want('lint')) step('lint', node('node_modules/nx/dist/bin/nx.js', ['run-many', '-t', 'lint', '--outputStyle=static']));
if (want('schema')) step('schema matches migrations', node('tools/scripts/typeorm.mjs', ['migration:check']));
if (want('unit')) {
  step('unit tests', node('node_modules/jest/bin/jest.js', ['-c', 'jest.config.ts', '--ci', '--json', `--outputFile=${OUT}/unit.json`]));
  countJest(`${OUT}/unit.json`);
  // The `npm start` supervisor (restart with back-off, clean stop): node's own test runner, no build needed.
  const tap = `${OUT}/supervise.tap`;
  step('supervisor tests', [process.execPath, ['--test', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tap}`, 'tools/scripts/supervise.test.mjs']]);
  countNodeTest(tap);
}
if (want('integration')) {
  step('integration tests', node('node_modules/jest/bin/jest.js', ['-c', 'jest.int.config.ts', '--ci', '--runInBand', '--json', `--outputFile=${OUT}/integration.json`]));
  countJest(`${OUT}/integration.json`);
}
if (want('e2e')) {
  if (step('build for end-to-end', node('node_modules/nx/dist/bin/nx.js', ['run-many', '-t', 'build', '-p', 'api', 'worker', 'web', '--outputStyle=static']))) {
    const server = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? DEFAULT_ADMIN_URL;
    const dbName = `dxtrain_e2e_${Date.now()}`;
    const dbUrl = new URL(server);
    dbUrl.pathname = `/${dbName}`;
    step('end-to-end tests', node('node_modules/@playwright/test/cli.js', ['test', '-c', 'apps/web-e2e/playwright.config.ts']), {
      E2E_DATABASE_URL: dbUrl.toString(),
      PLAYWRIGHT_JSON_OUTPUT_NAME: `${OUT}/e2e.json`,
    });
    countPlaywright(`${OUT}/e2e.json`);
    await dropDatabase(server, dbName).catch((e) => console.error(`could not drop ${dbName}: ${e.message}`));
  }
}

console.log('\n=== summary ===');
for (const r of results) console.log(`${r.ok ? 'ok  ' : 'FAIL'}  ${r.name} (${r.seconds}s)`);
const allOk = results.every((r) => r.ok);
console.log(`\ntests: ${passed} passed, ${failed} failed`);
process.exit(allOk && failed === 0 ? 0 : 1);
