import { ErrorCode, Role } from '@dxtrain/shared/contracts';
import { buildFixture, Fixture, FIXTURE_PASSWORD, insertUser } from '../testing/fixtures';
import { createTestAppBehindProxy, TestApp } from '../testing/test-app';

/**
 * Sign-in throttling per (account, source): the source is the client IP plus the device cookie.
 * The app runs behind one trusted proxy here (TRUST_PROXY_HOPS=1), so each client has its own
 * address (X-Forwarded-For) and X-Forwarded-Proto tells it whether the request came over HTTPS.
 */
describe('sign-in throttling per account and source', () => {
  let t: TestApp;
  let f: Fixture;

  beforeAll(async () => {
    t = await createTestAppBehindProxy();
    f = await buildFixture(t.db);
  });
  afterAll(() => t.close());
  afterEach(() => jest.restoreAllMocks());

  type Res = Awaited<ReturnType<TestApp['http']['post']>>;
  const deviceCookieHeader = (res: Res): string | undefined =>
    ((res.headers['set-cookie'] as unknown as string[] | undefined) ?? []).find((c) => c.startsWith('dxtrain_device='));
  const deviceCookie = (res: Res): string => {
    const header = deviceCookieHeader(res);
    if (!header) throw new Error('no device cookie set');
    return header.split(';')[0];
  };
  /** One sign-in attempt from an IP, with a device cookie or none. */
  const login = (ip: string, cookie: string | null, username: string, password: string) => {
    const req = t.http.post('/api/auth/login').set('X-Forwarded-For', ip);
    if (cookie) req.set('Cookie', cookie);
    return req.send({ username, password });
  };
  const retryAfter = (res: Res): number => {
    expect(res.status).toBe(429);
    expect(res.body.code).toBe(ErrorCode.TooManyAttempts);
    const detail = (res.body.details as Array<{ field: string; message: string }>).find((d) => d.field === 'retryAfterSeconds');
    const seconds = Number(detail?.message);
    expect(Number(res.headers['retry-after'])).toBe(seconds);
    return seconds;
  };

  it('an attacker failing 10 times on hr is delayed, while the owner (another device, same or another IP) still signs in', async () => {
    const hr = `hr-${f.tag}`;
    const attackerIp = '203.0.113.10';
    // The owner signed in on their device before: that device is now known for hr.
    const ownerFirst = await login('198.51.100.20', null, hr, FIXTURE_PASSWORD);
    expect(ownerFirst.status).toBe(200);
    const ownerDevice = deviceCookie(ownerFirst);

    const first = await login(attackerIp, null, hr, 'guess-0');
    expect(first.status).toBe(401);
    const attackerDevice = deviceCookie(first);
    const statuses = [first.status];
    let last = first;
    for (let i = 1; i < 10; i++) {
      last = await login(attackerIp, attackerDevice, hr, `guess-${i}`);
      statuses.push(last.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429, 429, 429]);
    const wait = retryAfter(last);
    expect(wait).toBeGreaterThan(50);
    expect(wait).toBeLessThanOrEqual(60);
    expect(last.body.message).toBe('Bạn đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 1 phút.');
    // Even the right password waits; dropping the cookie or bringing a fresh one does not reset the count.
    retryAfter(await login(attackerIp, attackerDevice, hr, FIXTURE_PASSWORD));
    retryAfter(await login(attackerIp, null, hr, 'guess-10'));
    retryAfter(await login(attackerIp, `dxtrain_device=${'x'.repeat(43)}`, hr, 'guess-11'));

    // The owner's known device signs in from the attacker's very address, and from elsewhere.
    expect((await login(attackerIp, ownerDevice, hr, FIXTURE_PASSWORD)).status).toBe(200);
    expect((await login('198.51.100.21', ownerDevice, hr, FIXTURE_PASSWORD)).status).toBe(200);
    // A new device from another address is not affected by the attacker's address either.
    expect((await login('192.0.2.30', null, hr, FIXTURE_PASSWORD)).status).toBe(200);
    // …and the attacker is still waiting.
    retryAfter(await login(attackerIp, attackerDevice, hr, FIXTURE_PASSWORD));
  });

  it('the delay grows with each burst (1 min, 2 min, 4 min), and a success clears it', async () => {
    const username = `learner-${f.tag}`;
    const ip = '203.0.113.11';
    const realNow = Date.now.bind(Date);
    let offset = 0;
    jest.spyOn(Date, 'now').mockImplementation(() => realNow() + offset);

    const first = await login(ip, null, username, 'typo-0');
    const device = deviceCookie(first);
    for (let i = 1; i < 5; i++) expect((await login(ip, device, username, `typo-${i}`)).status).toBe(401);
    const waits = [retryAfter(await login(ip, device, username, 'typo-5'))];
    for (let burst = 0; burst < 2; burst++) {
      offset += (waits[waits.length - 1] + 1) * 1000;
      // Past the delay one more guess is allowed, and a longer delay follows it.
      expect((await login(ip, device, username, `burst-${burst}`)).status).toBe(401);
      waits.push(retryAfter(await login(ip, device, username, `burst-${burst}-again`)));
    }
    expect(waits.map((s) => Math.round(s / 60))).toEqual([1, 2, 4]);
    const en = await login(ip, device, username, 'x').set('Accept-Language', 'en');
    expect(en.body.message).toBe('Too many failed sign-in attempts. Please try again in 4 minutes.');

    offset += (waits[2] + 1) * 1000;
    expect((await login(ip, device, username, FIXTURE_PASSWORD)).status).toBe(200);
    // The success cleared the count: a later typo is an ordinary 401 again.
    expect((await login(ip, device, username, 'typo-after')).status).toBe(401);
    expect((await login(ip, device, username, FIXTURE_PASSWORD)).status).toBe(200);
  });

  it('200 accounts each failing once from one NAT address do not lock it; the cap (300 distinct accounts) stops spraying, not known devices', async () => {
    const ip = '203.0.113.12';
    const room = Array.from({ length: 200 }, (_, i) => `room${i}-${f.tag}`);
    for (const username of room) await insertUser(t.db, username, [[Role.Learner, f.commune1a]]);
    // A device known for the manager, signed in from home before the exam.
    const managerHome = await login('198.51.100.40', null, `manager-${f.tag}`, FIXTURE_PASSWORD);
    const managerDevice = deviceCookie(managerHome);

    // One after another: supertest opens and closes the server around each request.
    const each = async (names: string[], password: string) => {
      const statuses: number[] = [];
      for (const username of names) statuses.push((await login(ip, null, username, password)).status);
      return statuses;
    };
    // Every person of the room mistypes once (exam PCs with no cookies: all unknown devices).
    expect(new Set(await each(room, 'typo'))).toEqual(new Set([401]));
    // The room is not locked: people sign in with the right password from the same address.
    expect(new Set(await each(room.slice(0, 20), FIXTURE_PASSWORD))).toEqual(new Set([200]));
    expect((await login(ip, null, `learner-${f.tag}`, FIXTURE_PASSWORD)).status).toBe(200);

    // A spraying run: 180 failing accounts of the room remain counted; 120 more distinct ones reach 300.
    const spray = Array.from({ length: 120 }, (_, i) => `spray${i}-${f.tag}`);
    expect(new Set(await each(spray, 'Password1'))).toEqual(new Set([401]));
    const capped = await login(ip, null, `admin-${f.tag}`, FIXTURE_PASSWORD);
    const wait = retryAfter(capped);
    expect(wait).toBeGreaterThan(800);
    expect(wait).toBeLessThanOrEqual(900);
    // A device known for its account is not held by the address's cap; other addresses are unaffected.
    expect((await login(ip, managerDevice, `manager-${f.tag}`, FIXTURE_PASSWORD)).status).toBe(200);
    expect((await login('198.51.100.41', null, `admin-${f.tag}`, FIXTURE_PASSWORD)).status).toBe(200);
  });

  it('sets the device cookie once: random, httpOnly, long-lived, Secure when the proxy says HTTPS', async () => {
    const plain = await login('198.51.100.50', null, `organiser-${f.tag}`, 'wrong');
    expect(plain.status).toBe(401);
    const plainCookie = deviceCookieHeader(plain) as string;
    expect(plainCookie).toMatch(/^dxtrain_device=[A-Za-z0-9_-]{43};/);
    expect(plainCookie).toMatch(/HttpOnly/i);
    expect(plainCookie).toMatch(/SameSite=Strict/i);
    expect(plainCookie).toMatch(/Path=\/api\/auth/);
    expect(Number(/Max-Age=(\d+)/i.exec(plainCookie)?.[1])).toBe(400 * 86400);
    expect(plainCookie).not.toMatch(/;\s*Secure/i);

    const https = await t.http
      .post('/api/auth/login')
      .set('X-Forwarded-For', '198.51.100.51')
      .set('X-Forwarded-Proto', 'https')
      .send({ username: `organiser-${f.tag}`, password: FIXTURE_PASSWORD });
    expect(https.status).toBe(200);
    const secureCookie = deviceCookieHeader(https) as string;
    expect(secureCookie).toMatch(/;\s*Secure/i);
    expect(secureCookie).toMatch(/HttpOnly/i);
    expect(secureCookie.split(';')[0]).not.toBe(plainCookie.split(';')[0]);

    // A device that has its cookie keeps it.
    const again = await login('198.51.100.50', plainCookie.split(';')[0], `organiser-${f.tag}`, FIXTURE_PASSWORD);
    expect(again.status).toBe(200);
    expect(deviceCookieHeader(again)).toBeUndefined();
  });
});
