#!/usr/bin/env node
// Loads a national-scale synthetic organisation (≈34 provinces SYN01.., departments, districts, communes,
// community digital teams) and generated people into a database, for load tests and benchmarks.
// Migrations are applied first.
//   npm run seed:synthetic -- --people 500000 --units 10000 [--provinces 34] [--database-url URL]
// Database: --database-url, else DATABASE_URL, else postgres://postgres@127.0.0.1:5432/dxtrain_synthetic
// (created if missing). Every run adds another set of SYN provinces; drop the database to start over.
import { loadSynthetic, parseArgs, positiveInt, postgresUrl, redact } from '../bench/args.mjs';
import { ensureDatabase } from './pg-util.mjs';

const { args, fail } = parseArgs(
  process.argv.slice(2),
  { people: positiveInt(10_000_000), units: positiveInt(1_000_000), provinces: positiveInt(1_000), 'database-url': postgresUrl },
  { program: 'seed-synthetic', usage: 'usage: npm run seed:synthetic -- --people <n> --units <n> [--provinces <n>] [--database-url <url>]' },
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
} catch (err) {
  console.error(`seed-synthetic: ${err.message}`);
  process.exit(1);
}
