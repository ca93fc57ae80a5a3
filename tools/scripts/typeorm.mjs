#!/usr/bin/env node
// Runs the TypeORM CLI against a scratch database that has every existing migration applied.
//   npm run migration:generate -- AddSomething   writes libs/server/platform/src/lib/database/migrations/<ts>-AddSomething.ts
//   npm run migration:check                      fails when entities changed without a migration
import { spawnSync } from 'node:child_process';
import { createDatabase, dropDatabase, DEFAULT_ADMIN_URL } from './pg-util.mjs';

const [command, name] = process.argv.slice(2);
if (!['migration:generate', 'migration:check'].includes(command) || (command === 'migration:generate' && !name)) {
  console.error('usage: typeorm.mjs migration:generate <PascalName> | migration:check');
  process.exit(2);
}
const server = process.env.DATABASE_URL ?? DEFAULT_ADMIN_URL;
const scratch = `dxtrain_migrate_${process.pid}_${Date.now()}`;
const url = await createDatabase(server, scratch);
const env = { ...process.env, DATABASE_URL: url, TS_NODE_PROJECT: 'tools/tsconfig.tools.json', TS_NODE_TRANSPILE_ONLY: 'true' };
const cli = ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', 'node_modules/typeorm/cli.js'];
const run = (args) => spawnSync(process.execPath, [...cli, ...args], { stdio: 'inherit', env }).status ?? 1;
let status = 1;
try {
  status = run(['migration:run', '-d', 'tools/typeorm/data-source.ts']);
  if (status === 0) {
    status =
      command === 'migration:check'
        ? run(['migration:generate', '--check', '-d', 'tools/typeorm/data-source.ts', 'tmp/check'])
        : run(['migration:generate', '-p', '-d', 'tools/typeorm/data-source.ts', `libs/server/platform/src/lib/database/migrations/${name}`]);
  }
} finally {
  await dropDatabase(server, scratch);
}
process.exit(status);
