import { liveRoutes } from '../testing/route-table';
import { createTestApp, TestApp } from '../testing/test-app';

/** Deliberately public routes. Adding a @Public() route means adding it here, in review. */
const PUBLIC_ROUTES = [
  'GET /api/health',
  'POST /api/auth/login',
  'POST /api/auth/refresh',
  'POST /api/auth/logout',
  // Lesson media behind an HMAC-signed, expiring URL (so <video> can load it); the signature is the guard.
  'GET /api/files/:id/content',
  // Certificate verification is for anyone holding a certificate (HR, the public); rate-limited per IP.
  'GET /api/public/keys',
  'GET /api/public/verify/:code',
  'POST /api/public/verify/pdf',
  // A certificate's PDF behind an HMAC-signed URL valid for an hour; each download re-reads the status (revoked: 410).
  'GET /api/public/certificates/:id/pdf',
  // A learner's personal calendar feed: calendar apps cannot sign in; the 256-bit token in the URL is the credential.
  'GET /api/public/calendar/:file',
];

/** The live route table (shared with the authorization matrix and the bad-input sweep). */
function routeTable(t: TestApp): Array<{ method: string; path: string; isPublic: boolean }> {
  return liveRoutes(t).map(({ method, path, isPublic }) => ({ method, path, isPublic }));
}

describe('every route is guarded unless deliberately public', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('finds the controllers (the walk itself works)', () => {
    const routes = routeTable(t);
    expect(routes.length).toBeGreaterThan(20);
    expect(routes).toContainEqual({ method: 'GET', path: '/api/staff', isPublic: false });
  });

  it('has exactly the reviewed public routes', () => {
    const publicRoutes = routeTable(t)
      .filter((r) => r.isPublic)
      .map((r) => `${r.method} ${r.path}`)
      .sort();
    expect(publicRoutes).toEqual([...PUBLIC_ROUTES].sort());
  });

  it('answers 401 on every other route without a token', async () => {
    const guarded = routeTable(t).filter((r) => !r.isPublic);
    const failures: string[] = [];
    for (const route of guarded) {
      const path = route.path.replace(/:[A-Za-z]+/g, '00000000-0000-4000-8000-000000000000');
      const res = await t.http[route.method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete' | 'put'](path).send({});
      if (res.status !== 401) failures.push(`${route.method} ${route.path} → ${res.status}`);
    }
    expect(failures).toEqual([]);
  });

  it('serves no file bytes on the signed-URL route without a valid signature', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const future = Math.floor(Date.now() / 1000) + 3600;
    for (const query of ['', `?expires=${future}`, `?expires=${future}&sig=forged`, '?expires=1&sig=x']) {
      const res = await t.http.get(`/api/files/${id}/content${query}`);
      expect(res.status).toBe(404);
      expect(res.headers['content-range']).toBeUndefined();
    }
  });
});
