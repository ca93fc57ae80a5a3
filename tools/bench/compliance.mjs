#!/usr/bin/env node
// Benchmarks the coverage dashboard at national scale on a scratch database (created, loaded with the synthetic
// generator — organisation, people, training records over five years, enrolments, sign-ins — and dropped):
// whole country for one year, drill-down into the largest province and one of its communes, and the trend,
// naive (live join) vs. the per-(year, unit) roll-up (cold: no cache) vs. the api's cached path (warm), p50/p95.
// Also times the refresh job per year and checks that a new completion shows after it.
//   npm run bench:compliance [-- --people 500000 --units 10000 --records 3000000 --years 5 --repetitions 30 --naive-repetitions 5 --database-url URL --keep yes]
import { spawn } from 'node:child_process';
import { loadSynthetic, parseArgs, positiveInt, postgresUrl, redact } from './args.mjs';
import { createDatabase, dropDatabase, DEFAULT_ADMIN_URL } from '../scripts/pg-util.mjs';
import { generateTraining } from '../scripts/synthetic-training.mjs';

const USAGE =
  'usage: npm run bench:compliance -- [--people <n>] [--units <n>] [--records <n>] [--years <n>] [--repetitions <n>] [--naive-repetitions <n>] [--database-url <server url>] [--keep yes]';
const { args } = parseArgs(
  process.argv.slice(2),
  {
    people: positiveInt(10_000_000),
    units: positiveInt(1_000_000),
    records: positiveInt(100_000_000),
    years: positiveInt(30),
    repetitions: positiveInt(10_000),
    'naive-repetitions': positiveInt(1_000),
    'database-url': postgresUrl,
    keep: (v) => (['yes', 'no'].includes(v) ? { value: v === 'yes' } : { error: 'must be yes or no' }),
  },
  { program: 'bench:compliance', usage: USAGE },
);
const people = args.people ?? 500_000;
const units = args.units ?? 10_000;
const records = args.records ?? people * 6;
const years = args.years ?? 5;
const server = args['database-url'] ?? process.env.DATABASE_URL ?? DEFAULT_ADMIN_URL;
const scratch = `dxtrain_bench_compliance_${process.pid}_${Date.now()}`;

let status = 0;
console.log(`bench:compliance — ${people} people, ${units} units, ${records} training records over ${years} years; scratch database ${scratch} on ${redact(server)}`);
const url = await createDatabase(server, scratch);
try {
  const loaded = await loadSynthetic({ databaseUrl: url, people, units, quiet: true });
  console.log(`Loaded ${loaded.units} units and ${loaded.people} people in ${(loaded.ms / 1000).toFixed(1)} s.`);
  const t = await generateTraining(url, { records, years, log: (m) => console.log(m) });
  console.log(`Generated ${t.records} training records, ${t.enrolments} enrolments, ${t.accounts} accounts in ${(t.ms / 1000).toFixed(1)} s.\n`);
  const argv = ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', 'tools/bench/compliance-run.ts', '--database-url', url,
    '--repetitions', String(args.repetitions ?? 30), '--naive-repetitions', String(args['naive-repetitions'] ?? 5)];
  const env = { ...process.env, TS_NODE_PROJECT: 'tools/tsconfig.tools.json', TS_NODE_TRANSPILE_ONLY: 'true' };
  status = await new Promise((resolve) => {
    const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'inherit'], env });
    let ok = false;
    child.stdout.setEncoding('utf8');
    let buffer = '';
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop();
      for (const line of lines) {
        if (line.startsWith('RESULT ')) ok = JSON.parse(line.slice(7)).ok;
        else console.log(line);
      }
    });
    child.on('close', (code) => resolve(code === 0 && ok ? 0 : 1));
  });
} catch (err) {
  console.error(`bench:compliance: ${err.message}`);
  status = 1;
} finally {
  if (args.keep) console.log(`Kept database ${scratch}.`);
  else await dropDatabase(server, scratch);
}
process.exit(status);
