#!/usr/bin/env node
// Loads a national-scale synthetic organisation (≈34 provinces SYN01.., departments, districts, communes,
// community digital teams) and generated people into a database, for load tests and benchmarks, then training
// facts for the coverage dashboard (tools/scripts/synthetic-training.mjs): --records training records (default
// 6 per person: 3,000,000 for 500,000 people) over --years calendar years (default 5), enrolments and sign-ins.
// Migrations are applied first. --records 0 loads the organisation and people only (as before).
//   npm run seed:synthetic -- --people 500000 --units 10000 [--provinces 34] [--records 3000000] [--years 5] [--database-url URL]
// Database: --database-url, else DATABASE_URL, else postgres://postgres@127.0.0.1:5432/dxtrain_synthetic
// (created if missing). Every run adds another set of SYN provinces; drop the database to start over.
import { loadSynthetic, parseArgs, positiveInt, postgresUrl, redact } from '../bench/args.mjs';
import { ensureDatabase } from './pg-util.mjs';
import { generateTraining } from './synthetic-training.mjs';

const { args, fail } = parseArgs(
  process.argv.slice(2),
  {
    people: positiveInt(10_000_000),
    units: positiveInt(1_000_000),
    provinces: positiveInt(1_000),
    records: (v) => (v === '0' ? { value: 0 } : positiveInt(100_000_000)(v)),
    years: positiveInt(30),
    'database-url': postgresUrl,
  },
  { program: 'seed-synthetic', usage: 'usage: npm run seed:synthetic -- --people <n> --units <n> [--provinces <n>] [--records <n>] [--years <n>] [--database-url <url>]' },
);
if (args.people === undefined || args.units === undefined) fail('--people and --units are required');
const databaseUrl = args['database-url'] ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/dxtrain_synthetic';

const started = Date.now();
try {
  await ensureDatabase(databaseUrl);
  console.log(`Loading ${args.people} people into ${args.units} units at ${redact(databaseUrl)} ...`);
  const result = await loadSynthetic({ databaseUrl, people: args.people, units: args.units, provinces: args.provinces });
  console.log(
    `Done: ${result.units} units and ${result.people} people loaded in ${(result.ms / 1000).toFixed(1)} s ` +
      `(${((Date.now() - started) / 1000).toFixed(1)} s in all, with migrations and start-up).`,
  );
  const records = args.records ?? result.people * 6;
  if (records > 0) {
    console.log(`Generating ${records} training records over ${args.years ?? 5} years ...`);
    const t = await generateTraining(databaseUrl, { records, years: args.years ?? 5, log: (m) => console.log(m) });
    console.log(`Done: ${t.records} training records, ${t.enrolments} enrolments, ${t.accounts} accounts in ${(t.ms / 1000).toFixed(1)} s.`);
  }
} catch (err) {
  console.error(`seed-synthetic: ${err.message}`);
  process.exit(1);
}
