import { once } from 'node:events';
import { AddressInfo, connect, createServer, Server, Socket } from 'node:net';
import { ErrorCode, MAX_PAGE } from '@dxtrain/shared/contracts';
import { buildFixture, Fixture, FIXTURE_PASSWORD } from '../testing/fixtures';
import { createTestApp, signIn, TestApp } from '../testing/test-app';

const objects = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
const arrays = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);

/** Issue 12 item 8: deeply nested JSON is refused before parsing, authentication or validation. */
describe('deeply nested JSON bodies', () => {
  let t: TestApp;
  let f: Fixture;
  let admin: { Authorization: string };

  beforeAll(async () => {
    t = await createTestApp();
    f = await buildFixture(t.db);
    admin = await signIn(t.http, `admin-${f.tag}`, FIXTURE_PASSWORD);
  });
  afterAll(() => t.close());

  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    t.http.post(path).set({ 'Content-Type': 'application/json', ...headers }).send(body);

  it.each([
    ['5,000 nested objects', objects(5_000)],
    ['100,000 nested objects', objects(100_000)],
    ['5,000 nested arrays', arrays(5_000)],
    ['100,000 nested arrays', arrays(100_000)],
    ['100,000 levels under a real field', `{"username":${objects(100_000)},"password":"x"}`],
  ])('answers 400 JSON_TOO_DEEP on POST /api/auth/login (no token) for %s', async (_label, body) => {
    const res = await post('/api/auth/login', body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: ErrorCode.JsonTooDeep, details: [{ field: '', message: expect.stringContaining('32') }] });
  });

  it.each([
    ['5,000', 5_000],
    ['100,000', 100_000],
  ])('answers 400 JSON_TOO_DEEP on an authenticated route for %s levels, with or without a token', async (_label, levels) => {
    const body = `{"personId":${objects(levels)}}`;
    const signedIn = await post('/api/enrolments', body, admin);
    expect(signedIn.status).toBe(400);
    expect(signedIn.body.code).toBe(ErrorCode.JsonTooDeep);
    // Refused before the guard: no authentication work for such a body.
    const anonymous = await post('/api/enrolments', body);
    expect(anonymous.status).toBe(400);
    expect(anonymous.body.code).toBe(ErrorCode.JsonTooDeep);
  });

  it('lets 32 levels through to the ordinary validation, and refuses 33', async () => {
    const at32 = await post('/api/auth/login', `{"username":"u","password":"p","extra":${objects(31)}}`);
    expect(at32.status).toBe(400);
    expect(at32.body.code).toBe(ErrorCode.ValidationFailed);
    const at33 = await post('/api/auth/login', `{"username":"u","password":"p","extra":${objects(32)}}`);
    expect(at33.status).toBe(400);
    expect(at33.body.code).toBe(ErrorCode.JsonTooDeep);
    // A normal body is unaffected.
    expect((await post('/api/auth/login', JSON.stringify({ username: `hr-${f.tag}`, password: FIXTURE_PASSWORD }))).status).toBe(200);
  });
});

/** Issue 12 item 9: every paged list bounds page and pageSize (400 with the field, never a 500 from PostgreSQL). */
describe('paging bounds', () => {
  let t: TestApp;
  let f: Fixture;
  let admin: { Authorization: string };
  let year: number;

  beforeAll(async () => {
    t = await createTestApp();
    f = await buildFixture(t.db);
    admin = await signIn(t.http, `admin-${f.tag}`, FIXTURE_PASSWORD);
    year = (await t.http.get('/api/compliance/years').set(admin)).body.current;
  });
  afterAll(() => t.close());

  const routes = () => [
    '/api/enrolments?',
    '/api/courses?',
    '/api/audit?',
    `/api/compliance/untrained?year=${year}&`,
    `/api/compliance/export/untrained?format=csv&year=${year}&`,
    '/api/staff?',
  ];

  it.each([
    ['page=1e20', 'page'],
    ['page=-1', 'page'],
    ['page=0', 'page'],
    [`page=${MAX_PAGE + 1}`, 'page'],
    ['page=1.5', 'page'],
    ['pageSize=1e9', 'pageSize'],
    ['pageSize=0', 'pageSize'],
    ['pageSize=1e20', 'pageSize'],
  ])('answers 400 VALIDATION_FAILED naming the field for %s on every paged route', async (query, field) => {
    for (const route of routes()) {
      const res = await t.http.get(`${route}${query}`).set(admin);
      expect({ route, status: res.status, code: res.body.code }).toEqual({ route, status: 400, code: ErrorCode.ValidationFailed });
      expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    }
  });

  it('still answers the last allowed page (empty, not an error)', async () => {
    for (const route of routes().filter((r) => !r.includes('/export/'))) {
      const res = await t.http.get(`${route}page=${MAX_PAGE}&pageSize=200`).set(admin);
      expect({ route, status: res.status }).toEqual({ route, status: 200 });
      expect(res.body.items).toEqual([]);
    }
  });
});

/** A TCP proxy in front of PostgreSQL that the test can cut (refusing connections) and restore. */
class TcpProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async open(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.targetPort, this.targetHost);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    server.listen(this.port, '127.0.0.1');
    await once(server, 'listening');
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stops listening (new connections are refused) and cuts every open connection. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    const closed = new Promise((resolve) => server.close(resolve));
    for (const s of this.sockets) s.destroy();
    await closed;
  }
}

/** Issue 12 item 12: PostgreSQL unreachable → 503 SERVICE_UNAVAILABLE, never "session expired"; the session survives. */
describe('database unreachable', () => {
  let t: TestApp;
  let f: Fixture;
  let proxy: TcpProxy;

  beforeAll(async () => {
    const real = new URL(process.env['DATABASE_URL'] ?? '');
    proxy = new TcpProxy(real.hostname, Number(real.port || 5432));
    await proxy.open();
    const viaProxy = new URL(real.toString());
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    const saved = process.env['DATABASE_URL'];
    process.env['DATABASE_URL'] = viaProxy.toString();
    try {
      t = await createTestApp();
    } finally {
      process.env['DATABASE_URL'] = saved;
    }
    f = await buildFixture(t.db);
  });
  afterAll(async () => {
    await proxy.open().catch(() => undefined);
    await t.close();
    await proxy.cut();
  });

  it('answers 503 to a valid token and to sign-in while PostgreSQL is down, and the same token works once it is back', async () => {
    const login = await t.http.post('/api/auth/login').send({ username: `learner-${f.tag}`, password: FIXTURE_PASSWORD });
    expect(login.status).toBe(200);
    const bearer = { Authorization: `Bearer ${login.body.accessToken}` };
    const cookie = ((login.headers['set-cookie'] as unknown as string[]) ?? []).find((c) => c.startsWith('dxtrain_refresh='))?.split(';')[0];
    expect(cookie).toBeDefined();
    expect((await t.http.get('/api/me').set(bearer)).status).toBe(200);

    await proxy.cut();

    const me = await t.http.get('/api/me').set(bearer).set('Accept-Language', 'en');
    expect(me.status).toBe(503);
    expect(me.body).toEqual({ statusCode: 503, code: ErrorCode.ServiceUnavailable, message: 'The service is temporarily unavailable. Please try again in a minute.' });
    expect(me.headers['retry-after']).toBe('30');

    const list = await t.http.get('/api/courses').set(bearer);
    expect(list.status).toBe(503);
    expect(list.body.code).toBe(ErrorCode.ServiceUnavailable);
    expect(list.body.message).toBe('Dịch vụ tạm thời gián đoạn, vui lòng thử lại sau ít phút.');

    const again = await t.http.post('/api/auth/login').send({ username: `hr-${f.tag}`, password: FIXTURE_PASSWORD });
    expect(again.status).toBe(503);
    expect(again.body.code).toBe(ErrorCode.ServiceUnavailable);

    // The refresh cookie is neither spent nor cleared by the outage.
    const refreshDown = await t.http.post('/api/auth/refresh').set('Cookie', cookie as string);
    expect(refreshDown.status).toBe(503);
    expect(refreshDown.headers['set-cookie']).toBeUndefined();

    // A bad token is still a 401 (the token is checked before the database is needed).
    const forged = await t.http.get('/api/me').set('Authorization', 'Bearer not-a-token');
    expect(forged.status).toBe(401);

    await proxy.open();

    const back = await t.http.get('/api/me').set(bearer);
    expect(back.status).toBe(200);
    expect(back.body.user.username).toBe(`learner-${f.tag}`);
    expect((await t.http.post('/api/auth/refresh').set('Cookie', cookie as string)).status).toBe(200);
    expect((await t.http.post('/api/auth/login').send({ username: `hr-${f.tag}`, password: FIXTURE_PASSWORD })).status).toBe(200);
  });
});
