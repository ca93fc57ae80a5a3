import type { HttpReply } from '../http/http-types';
import type Redis from 'ioredis';
import type { DataSource } from 'typeorm';
import { HealthController } from './health.module';

function response() {
  const res = { statusCode: 0, body: undefined as unknown, status(code: number) { this.statusCode = code; return this; }, send(body: unknown) { this.body = body; } };
  return res;
}

const db = (ok: boolean) => ({ query: () => (ok ? Promise.resolve([{ '?column?': 1 }]) : Promise.reject(new Error('ECONNREFUSED'))) }) as unknown as DataSource;
const redis = (ok: boolean) => ({ ping: () => (ok ? Promise.resolve('PONG') : Promise.reject(new Error('Connection is closed.'))) }) as unknown as Redis;

describe('GET /api/health', () => {
  it('is 200 when both PostgreSQL and Redis answer', async () => {
    const res = response();
    await new HealthController(db(true), redis(true)).health(res as unknown as HttpReply);
    expect(res.statusCode).toBe(200);
    expect(res.body).toEqual({ status: 'ok', database: { status: 'up' }, redis: { status: 'up' } });
  });

  it('is 503 and names the failing dependency otherwise', async () => {
    const res = response();
    await new HealthController(db(true), redis(false)).health(res as unknown as HttpReply);
    expect(res.statusCode).toBe(503);
    expect(res.body).toMatchObject({ status: 'error', database: { status: 'up' }, redis: { status: 'down', error: 'Connection is closed.' } });
    const res2 = response();
    await new HealthController(db(false), redis(true)).health(res2 as unknown as HttpReply);
    expect(res2.statusCode).toBe(503);
    expect(res2.body).toMatchObject({ database: { status: 'down' } });
  });
});
