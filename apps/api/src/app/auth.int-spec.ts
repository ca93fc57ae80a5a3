import jwt from 'jsonwebtoken';
import { ErrorCode, Role } from '@dxtrain/shared/contracts';
import { buildFixture, Fixture, FIXTURE_PASSWORD } from '../testing/fixtures';
import { createTestApp, signIn, TestApp } from '../testing/test-app';

function refreshCookie(res: { headers: Record<string, unknown> }): string {
  const cookies = (res.headers['set-cookie'] as string[] | undefined) ?? [];
  const cookie = cookies.find((c) => c.startsWith('dxtrain_refresh='));
  if (!cookie) throw new Error('no refresh cookie set');
  return cookie.split(';')[0];
}

describe('sign-in, tokens and /me', () => {
  let t: TestApp;
  let f: Fixture;

  beforeAll(async () => {
    t = await createTestApp();
    f = await buildFixture(t.db);
  });
  afterAll(() => t.close());

  it('signs in, sets an httpOnly refresh cookie, and /me returns the user, person and grants', async () => {
    const res = await t.http.post('/api/auth/login').send({ username: `learner-${f.tag}`, password: FIXTURE_PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body.accessToken).toEqual(expect.any(String));
    expect(res.body.user).toMatchObject({ username: `learner-${f.tag}`, roles: [Role.Learner], personId: f.people.learner });
    const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('dxtrain_refresh='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Path=\/api\/auth/);
    expect(cookie).toMatch(/SameSite=Strict/i);

    const me = await t.http.get('/api/me').set('Authorization', `Bearer ${res.body.accessToken}`);
    expect(me.status).toBe(200);
    expect(me.body.person).toMatchObject({ id: f.people.learner, fullName: 'Nguyễn Thị Hương' });
    expect(me.body.grants).toEqual([expect.objectContaining({ role: Role.Learner, orgUnitId: f.commune1a.id })]);
  });

  it('answers a wrong password and an unknown username with the same 401, and audits both', async () => {
    const wrong = await t.http.post('/api/auth/login').send({ username: `hr-${f.tag}`, password: 'not the password' });
    const unknown = await t.http.post('/api/auth/login').send({ username: `nobody-${f.tag}`, password: 'not the password' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.code).toBe(ErrorCode.InvalidCredentials);
    expect(wrong.body.message).toBe('Tên đăng nhập hoặc mật khẩu không đúng.');
    const audited = await t.db.query(`SELECT actor_username FROM audit_events WHERE action = 'auth.login_failed' AND actor_username IN ($1, $2)`, [
      `hr-${f.tag}`,
      `nobody-${f.tag}`,
    ]);
    expect(audited.map((r: { actor_username: string }) => r.actor_username).sort()).toEqual([`hr-${f.tag}`, `nobody-${f.tag}`].sort());
  });

  it('throttles an account after repeated failures, even with the right password afterwards', async () => {
    const username = `organiser-${f.tag}`;
    for (let i = 0; i < 5; i++) {
      expect((await t.http.post('/api/auth/login').send({ username, password: `wrong-${i}` })).status).toBe(401);
    }
    const blocked = await t.http.post('/api/auth/login').send({ username, password: FIXTURE_PASSWORD });
    expect(blocked.status).toBe(429);
    expect(blocked.body.code).toBe(ErrorCode.TooManyAttempts);
    // Another account from the same client is not affected by this account's lock.
    expect((await t.http.post('/api/auth/login').send({ username: `manager-${f.tag}`, password: FIXTURE_PASSWORD })).status).toBe(200);
  });

  it('rotates the refresh token, and reusing an old one revokes the whole family', async () => {
    const login = await t.http.post('/api/auth/login').send({ username: `manager-${f.tag}`, password: FIXTURE_PASSWORD });
    const first = refreshCookie(login);
    const refreshed = await t.http.post('/api/auth/refresh').set('Cookie', first);
    expect(refreshed.status).toBe(200);
    const second = refreshCookie(refreshed);
    expect(second).not.toBe(first);

    const reuse = await t.http.post('/api/auth/refresh').set('Cookie', first);
    expect(reuse.status).toBe(401);
    expect(reuse.body.code).toBe(ErrorCode.RefreshTokenInvalid);
    // The legitimate newer token died with the family.
    expect((await t.http.post('/api/auth/refresh').set('Cookie', second)).status).toBe(401);
  });

  it('logout revokes the refresh token', async () => {
    const login = await t.http.post('/api/auth/login').send({ username: `hr-${f.tag}`, password: FIXTURE_PASSWORD });
    const cookie = refreshCookie(login);
    expect((await t.http.post('/api/auth/logout').set('Cookie', cookie)).status).toBe(204);
    expect((await t.http.post('/api/auth/refresh').set('Cookie', cookie)).status).toBe(401);
    expect((await t.http.post('/api/auth/refresh')).status).toBe(401);
  });

  it('refuses forged, expired and malformed access tokens', async () => {
    const { Authorization } = await signIn(t.http, `admin-${f.tag}`, FIXTURE_PASSWORD);
    const good = Authorization.slice('Bearer '.length);
    const claims = jwt.decode(good) as { sub: string; username: string };
    const forged = jwt.sign({ sub: claims.sub, username: claims.username }, 'a-different-secret-of-sufficient-length!!', { issuer: 'dxtrain', expiresIn: 600 });
    const expired = jwt.sign({ sub: claims.sub, username: claims.username, exp: Math.floor(Date.now() / 1000) - 10 }, process.env['JWT_SECRET'] as string, {
      issuer: 'dxtrain',
    });
    const unsigned = jwt.sign({ sub: claims.sub, username: claims.username }, '', { algorithm: 'none', issuer: 'dxtrain' });
    for (const token of [forged, expired, unsigned, 'not-a-jwt']) {
      const res = await t.http.get('/api/me').set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe(ErrorCode.TokenInvalid);
    }
    expect((await t.http.get('/api/me').set('Authorization', Authorization)).status).toBe(200);
    const none = await t.http.get('/api/me');
    expect(none.status).toBe(401);
    expect(none.body.code).toBe(ErrorCode.Unauthenticated);
  });

  it('refuses malformed sign-in bodies with field details', async () => {
    const res = await t.http.post('/api/auth/login').send({ username: 'x'.repeat(101), password: 42, extra: true });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(ErrorCode.ValidationFailed);
    const fields = res.body.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['username', 'password', 'extra']));
    const broken = await t.http.post('/api/auth/login').set('Content-Type', 'application/json').send('{"username": ');
    expect(broken.status).toBe(400);
    expect(broken.body.code).toBe(ErrorCode.ValidationFailed);
  });
});
