import { Client } from 'pg';
import { runMigrations } from '../../libs/server/platform/src/lib/database/run-migrations';

/**
 * Creates a fresh database for this run on the PostgreSQL server of TEST_DATABASE_URL /
 * DATABASE_URL (default: the local server), applies every migration, and isolates Redis keys
 * under a run-specific prefix. Test workers inherit these variables.
 */
export default async function setup(): Promise<void> {
  const server = process.env['TEST_DATABASE_URL'] ?? process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `dxtrain_test_${Date.now()}_${process.pid}`;
  const admin = new URL(server);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`CREATE DATABASE "${name}"`);
  await client.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  process.env['DATABASE_URL'] = url.toString();
  process.env['DXTRAIN_TEST_DB_NAME'] = name;
  process.env['DXTRAIN_TEST_ADMIN_URL'] = admin.toString();
  process.env['REDIS_URL'] ??= 'redis://127.0.0.1:6379';
  process.env['REDIS_PREFIX'] = `dxtrain-test-${Date.now()}-${process.pid}`;
  process.env['JWT_SECRET'] = 'integration-test-secret-that-is-long-enough-0123456789';
  process.env['NODE_ENV'] = 'test';
  process.env['WEB_DIST_PATH'] = '';
  await runMigrations(url.toString());
}
