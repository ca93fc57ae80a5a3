import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { NETWORK_CATEGORIES } from '@dxtrain/shared/contracts';
// A test helper, not a runtime dependency: the migrations runner file alone, not the platform lib's index (which loads Nest).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { runMigrations } from '../../../platform/src/lib/database/run-migrations';
import { seedDemoData } from './seed';
import { generateSynthetic } from './synthetic';

/** A fresh, migrated database of its own on the server of DATABASE_URL (dropped afterwards). */
const server = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const name = `dxtrain_demo_data_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
const urlOf = (db: string) => {
  const u = new URL(server);
  u.pathname = `/${db}`;
  return u.toString();
};

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: urlOf('postgres') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Rows that break a tree or people invariant (SQL mirror of checkTree). */
const BROKEN_UNITS = `
  SELECT COUNT(*)::int AS n FROM org_units c LEFT JOIN org_units p ON p.id = c.parent_id
   WHERE c.path NOT LIKE '%/' || c.id::text || '/'
      OR (c.parent_id IS NULL AND (c.path <> '/' || c.id || '/' OR c.depth <> 0 OR c.root_id <> c.id))
      OR (c.parent_id IS NOT NULL AND (p.id IS NULL OR c.path <> p.path || c.id || '/' OR left(c.path, length(p.path)) <> p.path
                                       OR c.depth <> p.depth + 1 OR c.root_id <> p.root_id))`;
const BROKEN_PEOPLE = `
  SELECT COUNT(*)::int AS n FROM people pe LEFT JOIN org_units u ON u.id = pe.org_unit_id
   WHERE u.id IS NULL OR pe.province_id <> u.root_id OR u.valid_to IS NOT NULL OR pe.full_name <> normalize(pe.full_name, NFC)
      OR (pe.email IS NOT NULL AND pe.email <> lower(pe.email))`;

describe('demo and synthetic data (real PostgreSQL)', () => {
  let db: DataSource;
  const count = async (sql: string, params: unknown[] = []) => Number((await db.query(sql, params))[0].n);

  beforeAll(async () => {
    await admin(`CREATE DATABASE "${name}"`);
    await runMigrations(urlOf(name));
    db = new DataSource({ type: 'postgres', url: urlOf(name), entities: [] });
    await db.initialize();
  }, 60_000);

  afterAll(async () => {
    await db?.destroy();
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });

  it('seeds the demo provinces and accounts once, consistently, and is idempotent', async () => {
    const started = Date.now();
    const first = await seedDemoData(db, { password: 'demo-password-123' });
    const ms = Date.now() - started;
    expect(first.created).toBe(true);
    expect(first.accounts).toEqual(['superadmin', 'admin', 'organiser', 'manager', 'hr', 'learner', 'admin_tn', 'organiser_tn']);
    expect(ms).toBeLessThan(5_000);

    expect(await count(`SELECT COUNT(*) AS n FROM users`)).toBe(8);
    expect(await count(`SELECT COUNT(*) AS n FROM users WHERE password_hash LIKE '$argon2id$%'`)).toBe(8);
    expect(await count(`SELECT COUNT(*) AS n FROM role_grants g JOIN users u ON u.id = g.user_id WHERE u.username = 'superadmin' AND g.role = 'superadmin' AND g.org_unit_id IS NULL`)).toBe(1);
    expect(await count(`SELECT COUNT(*) AS n FROM org_units`)).toBe(first.units);
    const people = await count(`SELECT COUNT(*) AS n FROM people`);
    expect(people).toBe(first.people);
    expect(people).toBeGreaterThan(2500);
    // The former structure as it was until 2025 (the api setup then applies the reform with the reorganisation tool).
    expect(await count(`SELECT COUNT(*) AS n FROM org_units WHERE parent_id IS NULL`)).toBe(4);
    expect(
      await count(`SELECT COUNT(*) AS n FROM org_units d JOIN org_units r ON r.id = d.root_id WHERE r.code = 'GL.CU' AND d.kind = 'district'`),
    ).toBe(13);
    const categories = (await db.query(`SELECT DISTINCT network_category AS c FROM people WHERE network_category IS NOT NULL`)).map((r: { c: string }) => r.c);
    expect(categories.sort()).toEqual([...NETWORK_CATEGORIES].sort());
    expect(await count(BROKEN_UNITS)).toBe(0);
    expect(await count(BROKEN_PEOPLE)).toBe(0);
    // Their history starts before any recorded year: places in the tree and people's units since always.
    expect(await count(`SELECT COUNT(*) AS n FROM org_unit_paths WHERE valid_from <> '-infinity'`)).toBe(0);
    expect(await count(`SELECT COUNT(*) AS n FROM person_unit_history WHERE valid_from <> '-infinity'`)).toBe(0);

    const accounts = await db.query(
      `SELECT u.username, u.display_name, p.full_name, p.email, g.role, o.code AS unit
         FROM users u LEFT JOIN people p ON p.id = u.person_id JOIN role_grants g ON g.user_id = u.id JOIN org_units o ON o.id = g.org_unit_id
        ORDER BY u.username, o.code`,
    );
    expect(accounts.filter((a: { username: string }) => a.username !== 'manager' && a.username !== 'learner').map((a: { username: string; role: string; unit: string }) => [a.username, a.role, a.unit])).toEqual([
      ['admin', 'admin', 'BD.CU'],
      ['admin', 'admin', 'GL.CU'],
      ['admin', 'admin', 'LA.CU'],
      ['admin', 'admin', 'TN.CU'],
      ['admin_tn', 'admin', 'LA.CU'],
      ['admin_tn', 'admin', 'TN.CU'],
      ['hr', 'hr', 'BD.CU'],
      ['hr', 'hr', 'GL.CU'],
      ['organiser', 'organiser', 'BD.CU'],
      ['organiser', 'organiser', 'GL.CU'],
      ['organiser_tn', 'organiser', 'LA.CU'],
      ['organiser_tn', 'organiser', 'TN.CU'],
    ]);
    const learner = accounts.find((a: { username: string }) => a.username === 'learner');
    expect(learner).toMatchObject({ full_name: 'Nguyễn Thị Hương', display_name: 'Nguyễn Thị Hương' });
    for (const a of accounts) if (a.full_name) expect(a.email).toMatch(/@example\.gov\.vn$/);

    const snapshot = async () => ({
      units: await count(`SELECT COUNT(*) AS n FROM org_units`),
      people: await count(`SELECT COUNT(*) AS n FROM people`),
      users: await count(`SELECT COUNT(*) AS n FROM users`),
      grants: await count(`SELECT COUNT(*) AS n FROM role_grants`),
    });
    const before = await snapshot();
    const second = await seedDemoData(db, { password: 'demo-password-123' });
    expect(second.created).toBe(false);
    expect(await snapshot()).toEqual(before);
  }, 60_000);

  it('generates exactly the requested synthetic units and people, with valid paths', async () => {
    const unitsBefore = await count(`SELECT COUNT(*) AS n FROM org_units`);
    const peopleBefore = await count(`SELECT COUNT(*) AS n FROM people`);
    const result = await generateSynthetic(db, { people: 2_000, units: 300 });
    expect(result).toMatchObject({ units: 300, people: 2_000 });
    expect(await count(`SELECT COUNT(*) AS n FROM org_units`)).toBe(unitsBefore + 300);
    expect(await count(`SELECT COUNT(*) AS n FROM people`)).toBe(peopleBefore + 2_000);
    expect(await count(`SELECT COUNT(*) AS n FROM org_units WHERE parent_id IS NULL AND code LIKE 'SYN%'`)).toBe(34);
    expect(
      await count(`SELECT COUNT(*) AS n FROM people p JOIN org_units r ON r.id = p.province_id WHERE r.code LIKE 'SYN%'`),
    ).toBe(2_000);
    expect(await count(BROKEN_UNITS)).toBe(0);
    expect(await count(BROKEN_PEOPLE)).toBe(0);
  }, 60_000);
});
