import Redis from 'ioredis';
import { Client } from 'pg';

/** Drops the run's database and its Redis keys (set KEEP_TEST_DB=1 to keep the database for a look). */
export default async function teardown(): Promise<void> {
  const name = process.env['DXTRAIN_TEST_DB_NAME'];
  if (name && !process.env['KEEP_TEST_DB']) {
    const client = new Client({ connectionString: process.env['DXTRAIN_TEST_ADMIN_URL'] });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.end();
  }
  const prefix = process.env['REDIS_PREFIX'];
  if (prefix) {
    const redis = new Redis(process.env['REDIS_URL'] as string);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
    await redis.quit();
  }
}
