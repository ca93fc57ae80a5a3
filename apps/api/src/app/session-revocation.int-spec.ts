import { ErrorCode, Role } from '@dxtrain/shared/contracts';
import { AuthService } from '@dxtrain/server/identity';
import { buildFixture, Fixture, FIXTURE_PASSWORD, insertUser } from '../testing/fixtures';
import { createTestAppBehindProxy, TestApp } from '../testing/test-app';

/**
 * Signing out ends the session everywhere: its access tokens (valid up to 15 minutes) stop working at once, through a
 * short deny-list in Redis; a detected refresh-token reuse does the same. The refresh cookie is Secure whenever the
 * request came over HTTPS, behind a trusted proxy too. Redis unreachable: the check answers 503, never a silent pass.
 */
describe('sessions: sign-out revokes access tokens, Secure refresh cookie behind a proxy', () => {
  let t: TestApp;
  let f: Fixture;
  let username: string;

  const login = async (proto?: string) => {
    let req = t.http.post('/api/auth/login').set('X-Forwarded-For', '203.0.113.7');
    if (proto) req = req.set('X-Forwarded-Proto', proto);
    const res = await req.send({ username, password: FIXTURE_PASSWORD });
    expect(res.status).toBe(200);
    const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('dxtrain_refresh='));
    return { token: `Bearer ${res.body.accessToken}`, cookie: cookie as string };
  };
  const me = (token: string) => t.http.get('/api/me').set('Authorization', token);

  beforeAll(async () => {
    t = await createTestAppBehindProxy();
    f = await buildFixture(t.db);
    username = `sess-${f.tag}`;
    await insertUser(t.db, username, [[Role.Learner, f.commune1a]]);
  });
  afterAll(() => t.close());

  it('a signed-out session’s access token is refused at once; another session of the same user keeps working', async () => {
    const a = await login();
    const b = await login();
    expect((await me(a.token)).status).toBe(200);
    const out = await t.http.post('/api/auth/logout').set('Cookie', a.cookie.split(';')[0]);
    expect(out.status).toBe(204);
    const after = await me(a.token);
    expect(after.status).toBe(401);
    expect(after.body.code).toBe(ErrorCode.TokenInvalid);
    expect((await me(b.token)).status).toBe(200);
  });

  it('a reused refresh token (stolen and replayed) kills the access tokens of that session', async () => {
    const a = await login();
    const first = await t.http.post('/api/auth/refresh').set('Cookie', a.cookie.split(';')[0]);
    expect(first.status).toBe(200);
    const fresh = `Bearer ${first.body.accessToken}`;
    expect((await me(fresh)).status).toBe(200);
    // The old refresh token again: reuse → the whole family is revoked, and its access tokens with it.
    const replay = await t.http.post('/api/auth/refresh').set('Cookie', a.cookie.split(';')[0]);
    expect(replay.status).toBe(401);
    expect((await me(fresh)).status).toBe(401);
    expect((await me(a.token)).status).toBe(401);
  });

  it('sets the refresh cookie Secure when the request came over HTTPS through the proxy, not otherwise', async () => {
    expect((await login()).cookie).not.toMatch(/;\s*Secure/i);
    expect((await login('https')).cookie).toMatch(/;\s*Secure/i);
  });

  it('answers 503 (not 401, not a pass) when the deny-list cannot be read', async () => {
    const a = await login();
    const auth = t.app.get(AuthService);
    const spy = jest.spyOn(auth, 'sessionDenied').mockRejectedValueOnce(Object.assign(new Error('Connection is closed.'), {}));
    const res = await me(a.token);
    spy.mockRestore();
    expect(res.status).toBe(503);
    expect(res.body.code).toBe(ErrorCode.ServiceUnavailable);
    expect((await me(a.token)).status).toBe(200);
  });
});
