/**
 * Migrates the database at --database-url and loads a synthetic national organisation into it.
 * Run through ts-node by tools/scripts/seed-synthetic.mjs and tools/bench/subtree.mjs (arguments are
 * validated there); prints a final `RESULT {json}` line for the caller.
 *   node -r ts-node/register -r tsconfig-paths/register tools/bench/load-synthetic.ts --database-url URL --people N --units N [--provinces N]
 */
import { DataSource } from 'typeorm';
import { generateSynthetic } from '@dxtrain/server/demo-data';
import { runMigrations } from '../../libs/server/platform/src/lib/database/run-migrations';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const url = arg('database-url');
  if (!url) throw new Error('--database-url is required');
  const people = Number(arg('people'));
  const units = Number(arg('units'));
  const provinces = arg('provinces') === undefined ? undefined : Number(arg('provinces'));
  const quiet = process.argv.includes('--quiet');
  const applied = await runMigrations(url);
  if (applied.length && !quiet) console.log(`Applied migrations: ${applied.join(', ')}`);
  const dataSource = new DataSource({ type: 'postgres', url, entities: [] });
  await dataSource.initialize();
  try {
    const result = await generateSynthetic(dataSource, { people, units, provinces, log: quiet ? undefined : (m) => console.log(m) });
    console.log(`RESULT ${JSON.stringify(result)}`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
