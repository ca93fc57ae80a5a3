import { buildFixture, Fixture, FIXTURE_PASSWORD } from '../testing/fixtures';
import { LiveRoute, liveRoutes, synthesise } from '../testing/route-table';
import { createTestApp, signIn, TestApp } from '../testing/test-app';

type Auth = { Authorization: string };
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * The bad-input sweep, generated from the live route table: for every route with a body or a query, malformed JSON,
 * nesting beyond the bound, each field with the wrong type, over-long strings and out-of-range numbers. Every answer
 * is a 4xx with an error code a client can act on — never a 500 (sent as the province admin, the widest role, so the
 * requests get past the guard to validation and the services).
 */
describe('bad input on every route answers 4xx with a code, never 500', () => {
  let t: TestApp;
  let f: Fixture;
  let routes: LiveRoute[];
  let admin: Auth;
  const uuid0 = '00000000-0000-4000-8000-000000000000';

  const pathOf = (route: LiveRoute) => route.path.replace(/:([A-Za-z]+)/g, (_, name: string) => (name === 'slot' ? '1' : name === 'kind' ? 'coverage' : name === 'code' || name === 'file' ? 'KHONGCO' : uuid0));
  const idFor = () => f.province.id;

  /** Variants of a valid body: each present field broken one way at a time. */
  function variants(base: Record<string, unknown>): Array<[string, unknown]> {
    const out: Array<[string, unknown]> = [];
    for (const [k, v] of Object.entries(base)) {
      const wrong = typeof v === 'string' ? 12345 : typeof v === 'number' ? 'không phải số' : typeof v === 'boolean' ? 'có' : Array.isArray(v) ? 'không phải mảng' : { x: 1 };
      out.push([`${k}: wrong type`, { ...base, [k]: wrong }]);
      if (typeof v === 'string') out.push([`${k}: 100,000 characters`, { ...base, [k]: 'x'.repeat(100_000) }]);
      if (typeof v === 'number') {
        out.push([`${k}: 1e20`, { ...base, [k]: 1e20 }]);
        out.push([`${k}: -1`, { ...base, [k]: -1 }]);
      }
      out.push([`${k}: null`, { ...base, [k]: null }]);
    }
    out.push(['unknown field', { ...base, zzUnknown: 1 }]);
    return out;
  }

  beforeAll(async () => {
    t = await createTestApp();
    f = await buildFixture(t.db);
    routes = liveRoutes(t);
    admin = await signIn(t.http, `admin-${f.tag}`, FIXTURE_PASSWORD);
  }, 60_000);
  afterAll(() => t.close());

  it('malformed and too-deep JSON bodies', async () => {
    const failures: string[] = [];
    const deep = '['.repeat(40) + ']'.repeat(40);
    for (const route of routes.filter((r) => r.method !== 'GET' && !r.upload)) {
      for (const [what, raw] of [
        ['malformed JSON', '{"title": "Kiểm thử",'],
        ['nesting 40 levels', `{"a": ${deep}}`],
      ] as const) {
        const res = await t.http[route.method.toLowerCase() as Method](pathOf(route)).set(route.isPublic ? {} : admin).set('Content-Type', 'application/json').send(raw);
        if (res.status < 400 || res.status >= 500 || typeof res.body?.code !== 'string') failures.push(`${route.method} ${route.path} (${what}) → ${res.status} ${res.body?.code ?? ''}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('wrong types, over-long strings, out-of-range numbers, nulls and unknown fields in bodies and queries', async () => {
    const failures: string[] = [];
    let tried = 0;
    const synth = { uuid: idFor, today: new Date() };
    for (const route of routes) {
      const m = route.method.toLowerCase() as Method;
      const auth = route.isPublic ? {} : admin;
      if (route.body && !route.upload) {
        for (const [what, body] of variants(synthesise(route.body, synth))) {
          const res = await t.http[m](pathOf(route)).set(auth).send(body as object);
          tried++;
          if (res.status >= 500 || (res.status >= 400 && typeof res.body?.code !== 'string')) failures.push(`${route.method} ${route.path} body ${what} → ${res.status}`);
        }
      }
      if (route.query) {
        const base = synthesise(route.query, synth);
        const keys = Object.keys(base).length ? Object.keys(base) : ['page', 'pageSize', 'year', 'unitId', 'q'];
        for (const k of keys) {
          for (const bad of ['1e20', '-1', 'không-hợp-lệ', 'x'.repeat(5000), '']) {
            const res = await t.http[m](pathOf(route)).set(auth).query({ ...base, [k]: bad } as Record<string, string>);
            tried++;
            if (res.status >= 500) failures.push(`${route.method} ${route.path} query ${k}=${bad.slice(0, 12)} → ${res.status}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(tried).toBeGreaterThan(300);
  }, 300_000);
});
