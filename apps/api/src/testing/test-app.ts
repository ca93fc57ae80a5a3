import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '../app/app.module';
import { APP_OPTIONS, configureApp, createHttpAdapter } from '../app/configure-app';

export interface TestApp {
  app: NestFastifyApplication;
  http: ReturnType<typeof request>;
  db: DataSource;
  close(): Promise<void>;
}

/**
 * The real api (same module, same configureApp as main.ts) on the run's fresh database and
 * real Redis; requests go through supertest without opening a port.
 */
export async function createTestApp(): Promise<TestApp> {
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createHttpAdapter(), { ...APP_OPTIONS, logger: ['error'] });
  await configureApp(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const http = request(app.getHttpServer());
  return { app, http, db: app.get(DataSource), close: () => app.close() };
}

/**
 * The app behind one trusted proxy (TRUST_PROXY_HOPS=1): X-Forwarded-For gives each test client its own address and
 * X-Forwarded-Proto says whether the request came over HTTPS.
 */
export async function createTestAppBehindProxy(): Promise<TestApp> {
  const previous = process.env['TRUST_PROXY_HOPS'];
  process.env['TRUST_PROXY_HOPS'] = '1';
  try {
    return await createTestApp();
  } finally {
    if (previous === undefined) delete process.env['TRUST_PROXY_HOPS'];
    else process.env['TRUST_PROXY_HOPS'] = previous;
  }
}

/** Signs in and returns the bearer header for later requests. */
export async function signIn(http: TestApp['http'], username: string, password: string): Promise<{ Authorization: string }> {
  const res = await http.post('/api/auth/login').send({ username, password });
  if (res.status !== 200) throw new Error(`sign-in as ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { Authorization: `Bearer ${res.body.accessToken}` };
}
