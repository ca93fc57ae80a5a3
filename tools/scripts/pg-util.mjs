// Small helpers for scripts that need a scratch PostgreSQL database.
import pg from 'pg';

export const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** Returns `url` with its database name replaced. */
export function withDatabase(url, name) {
  const u = new URL(url);
  u.pathname = '/' + name;
  return u.toString();
}

export function databaseName(url) {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}

async function adminQuery(serverUrl, sql) {
  const client = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

const ident = (name) => '"' + name.replace(/"/g, '""') + '"';

export async function createDatabase(serverUrl, name) {
  await adminQuery(serverUrl, `CREATE DATABASE ${ident(name)}`);
  return withDatabase(serverUrl, name);
}

export async function ensureDatabase(url) {
  const name = databaseName(url);
  const found = await adminQuery(url, { text: 'SELECT 1 FROM pg_database WHERE datname = $1', values: [name] });
  if (found.rowCount === 0) await adminQuery(url, `CREATE DATABASE ${ident(name)}`);
}

export async function dropDatabase(serverUrl, name) {
  await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`);
}
