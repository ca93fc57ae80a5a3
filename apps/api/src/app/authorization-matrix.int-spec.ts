import { randomUUID } from 'node:crypto';
import { QuestionType, Role } from '@dxtrain/shared/contracts';
import { publishedCourse } from '../testing/enrolment-helpers';
import { buildFixture, Fixture, FIXTURE_PASSWORD, FixtureUnit, insertPerson, insertUnit, insertUser } from '../testing/fixtures';
import { LiveRoute, liveRoutes, synthesise } from '../testing/route-table';
import { createTestApp, signIn, TestApp } from '../testing/test-app';

type Auth = { Authorization: string };
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * The authorization matrix, generated from the live route table (not a hand-kept list): every route × every role of
 * province P (learner, unit manager, HR, organiser, admin) × the other side of the scope line (province Q, with its
 * own admin, organiser, learner, course, quiz and attempt, question, class, certificate, import, requirement).
 *
 * - The declaration (@RequireRoles) decides the role outcome: a role it does not name gets 403 on every route.
 * - Across the province line nobody of P gets anything of Q: a path naming a Q resource answers 4xx; a write whose
 *   body names Q (unit, person, course, class…) does not succeed; no answer, list or read, contains any of Q's
 *   markers (codes and names carrying a tag only Q's fixtures have). Write bodies are synthesised from each route's
 *   DTO validation rules (required fields, Q's ids), so writes reach the scope checks instead of stopping at validation.
 * - Afterwards Q's rows are exactly as before.
 */
describe('authorization matrix (every route × role × scope side)', () => {
  let t: TestApp;
  let f: Fixture;
  let routes: LiveRoute[];
  const tag = randomUUID().slice(0, 6).toLowerCase();
  const MARK = `qm${tag}`;
  const roles: Record<string, Auth> = {};
  const q: Record<string, string> = {};
  let qCommune: FixtureUnit;
  const uuid0 = '00000000-0000-4000-8000-000000000000';

  /** Which Q resource a path's :id names, by the route's first segment. */
  const RESOURCE: Record<string, string> = {
    'org-units': 'unit',
    staff: 'person',
    users: 'user',
    courses: 'course',
    lessons: 'lesson',
    quizzes: 'quiz',
    attempts: 'attempt',
    questions: 'question',
    classes: 'class',
    'class-sessions': 'session',
    certificates: 'certificate',
    'certificate-templates': 'unit',
    'enrolment-imports': 'import',
    'audience-rules': 'rule',
    enrolments: 'enrolment',
    files: 'file',
  };
  const BY_PROPERTY: Array<[RegExp, string]> = [
    [/^(orgUnitId|unitId|parentId|targetId|newParentId|issuerUnitId|ownerUnitId)$/, 'unit'],
    [/^personId$/, 'person'],
    [/^courseId$/, 'course'],
    [/^classId$/, 'class'],
    [/^quizId$|^finalQuizId$/, 'quiz'],
    [/^questionId$/, 'question'],
    [/^userId$/, 'user'],
    [/^unitIds$/, 'unit'],
  ];
  const qOf = (property: string) => q[BY_PROPERTY.find(([re]) => re.test(property))?.[1] ?? 'unit'] ?? q['unit'];

  function request(route: LiveRoute): { path: string; body: Record<string, unknown>; query: Record<string, unknown>; namesQ: boolean } {
    const segment = route.path.split('/')[2];
    let namesQ = false;
    const path = route.path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
      if (name === 'id') {
        const id = q[RESOURCE[segment] ?? ''];
        if (id) {
          namesQ = true;
          return id;
        }
      }
      if (name === 'slot') return '1';
      if (name === 'kind') return 'coverage';
      if (name === 'code' || name === 'file') return 'KHONGCO';
      return uuid0;
    });
    const synth = { uuid: qOf, today: new Date() };
    const body = synthesise(route.body, synth);
    const query = synthesise(route.query, synth);
    if (Object.keys(body).some((k) => BY_PROPERTY.some(([re]) => re.test(k)))) namesQ = true;
    if (Object.keys(query).some((k) => BY_PROPERTY.some(([re]) => re.test(k)))) namesQ = true;
    return { path, body, query, namesQ };
  }

  async function call(route: LiveRoute, who: Auth) {
    const r = request(route);
    const m = route.method.toLowerCase() as Method;
    let req = t.http[m](r.path).set(who).query(r.query as Record<string, string>);
    if (route.upload) req = req.attach('file', Buffer.from(`ma_can_bo,ho_ten\nKT1,Kiểm Thử\n`), 'kiem-thu.csv');
    const res = route.upload ? await req : await req.send(r.body);
    return { ...r, status: res.status, text: typeof res.text === 'string' ? res.text : JSON.stringify(res.body ?? '') };
  }

  const snapshotQ = async () =>
    (await t.db.query(
      `SELECT (SELECT string_agg(id || name || coalesce(valid_to::text, '') || path, ',' ORDER BY id) FROM org_units WHERE root_id = $1) AS units,
              (SELECT string_agg(id || full_name || org_unit_id || active::text, ',' ORDER BY id) FROM people WHERE province_id = $1) AS people,
              (SELECT string_agg(c.id || c.status || coalesce(c.published_version_id::text, '') || c.audience_scope, ',') FROM courses c WHERE c.owner_unit_id = $1) AS courses,
              (SELECT string_agg(z.id || z.title || z.mode, ',') FROM quizzes z JOIN courses c ON c.id = z.course_id WHERE c.owner_unit_id = $1) AS quizzes,
              (SELECT string_agg(k.id || k.title || k.status || k.capacity, ',') FROM training_classes k WHERE k.org_unit_id = $1) AS classes,
              (SELECT string_agg(x.id || x.status, ',') FROM certificates x WHERE x.issuer_unit_id = $1) AS certificates,
              (SELECT string_agg(g.id || g.role || coalesce(g.org_unit_id::text, ''), ',' ORDER BY g.id) FROM role_grants g JOIN users u ON u.id = g.user_id WHERE u.username LIKE $2) AS grants`,
      [f.otherProvince.id, `%-q-${f.tag}`],
    ))[0];

  beforeAll(async () => {
    t = await createTestApp();
    f = await buildFixture(t.db);
    routes = liveRoutes(t);
    for (const r of ['learner', 'manager', 'hr', 'organiser', 'admin']) roles[r] = await signIn(t.http, `${r}-${f.tag}`, FIXTURE_PASSWORD);

    // Province Q: its own admin (from the fixture), organiser, learner, and data carrying the marker.
    qCommune = await insertUnit(t.db, `${MARK}-X1`, `Xã ${MARK}`, 'commune' as never, f.otherProvince);
    const qPerson = await insertPerson(t.db, qCommune, `${MARK}-L1`, 'Lâm Thị Quyên', { email: `${MARK}@example.gov.vn` });
    await insertUser(t.db, `organiser-q-${f.tag}`, [[Role.Organiser, f.otherProvince]]);
    q['user'] = await insertUser(t.db, `learner-q-${f.tag}`, [[Role.Learner, qCommune]], qPerson);
    const qOrganiser = await signIn(t.http, `organiser-q-${f.tag}`, FIXTURE_PASSWORD);
    const qLearner = await signIn(t.http, `learner-q-${f.tag}`, FIXTURE_PASSWORD);
    Object.assign(q, { unit: qCommune.id, person: qPerson });

    q['course'] = await publishedCourse(t, qOrganiser, `${MARK}-C1`, f.otherProvince.id);
    const question = await t.http.post(`/api/courses/${q['course']}/questions`).set(qOrganiser).send({ definition: { type: QuestionType.TrueFalse, text: `Câu ${MARK}`, correct: true, points: 1, tags: [] } });
    q['question'] = question.body.id;
    const quiz = await t.http.post(`/api/courses/${q['course']}/quizzes`).set(qOrganiser).send({ title: `Đề ${MARK}`, mode: 'graded', selection: { mode: 'fixed', questionIds: [q['question']] } });
    q['quiz'] = quiz.body.id;
    const draft = await t.http.post(`/api/courses/${q['course']}/draft`).set(qOrganiser);
    const lesson = await t.http.post(`/api/courses/${q['course']}/sections/${draft.body.draft.sections[0].id}/lessons`).set(qOrganiser).send({ title: `Bài ${MARK}`, kind: 'quiz', quizId: q['quiz'] });
    q['lesson'] = lesson.body.id;
    await t.http.patch(`/api/courses/${q['course']}/draft`).set(qOrganiser).send({ finalQuizId: q['quiz'] });
    await t.http.post(`/api/courses/${q['course']}/publish`).set(qOrganiser).expect(200);
    const attempt = await t.http.post(`/api/quizzes/${q['quiz']}/attempts`).set(qLearner);
    q['attempt'] = attempt.body.id;
    const start = new Date(Date.now() + 7 * 86400_000);
    const klass = await t.http
      .post('/api/classes')
      .set(qOrganiser)
      .send({ title: `Lớp ${MARK}`, mode: 'online', orgUnitId: f.otherProvince.id, capacity: 5, sessions: [{ startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 3600_000).toISOString() }] });
    q['class'] = klass.body.id;
    q['session'] = klass.body.sessions?.[0]?.id;
    const [version] = await t.db.query(`SELECT published_version_id AS id FROM courses WHERE id = $1`, [q['course']]);
    await t.db.query(`INSERT INTO course_completions (person_id, course_id, version_id, training_year, completed_at) VALUES ($1, $2, $3, $4, now())`, [
      qPerson,
      q['course'],
      version.id,
      new Date().getFullYear(),
    ]);
    const cert = await t.http.post('/api/certificates').set(qOrganiser).send({ courseId: q['course'], personId: qPerson });
    q['certificate'] = cert.body.id;
    const imp = await t.http.post('/api/enrolment-imports').set(qOrganiser).attach('file', Buffer.from(`ma_can_bo,ho_ten,don_vi\n${MARK}-L2,Lê Văn Quế,${MARK}-X1\n`), 'q.csv').field('courseId', q['course']);
    q['import'] = imp.body.id;
    for (const [k, v] of Object.entries(q)) if (!v) throw new Error(`fixture of province Q: ${k} missing`);
  }, 120_000);
  afterAll(() => t.close());

  /**
   * Routes any signed-in user may call, because what they answer depends on who asks (the service scopes it): a
   * learner's own things, or lists that show each caller what their grants cover. Every other route names its roles.
   * Adding one here is a review decision, like a public route.
   */
  const SIGNED_IN_ROUTES = [
    'GET /api/me', // the caller
    'GET /api/me/learning',
    'GET /api/me/certificates',
    'GET /api/me/classes',
    'GET /api/me/calendar-feed',
    'GET /api/staff/:id', // one's own record, or staff readers within their subtree
    'GET /api/courses', // the catalogue: courses of the caller's audience, and the ones they edit
    'GET /api/courses/:id',
    'POST /api/courses/:id/start',
    'GET /api/lessons/:id',
    'POST /api/lessons/:id/progress',
    'GET /api/quizzes/:id',
    'POST /api/quizzes/:id/attempts',
    'GET /api/attempts/:id',
    'PUT /api/attempts/:id/slots/:slot',
    'POST /api/attempts/:id/submit',
    'GET /api/enrolments', // one's own enrolments, or those a manager's grants cover
    'POST /api/enrolments/self',
    'POST /api/enrolments/:id/withdraw',
    'GET /api/classes/:id',
    'GET /api/classes/:id/calendar.ics',
    'GET /api/classes/:id/registrations', // the organiser sees all; a unit manager the people of their units
    'POST /api/classes/:id/registrations', // self-registration, nomination by managers, registration by organisers
    'POST /api/class-registrations/:id/cancel',
    'POST /api/class-sessions/check-in',
    'GET /api/class-sessions/:id/attendance', // the organiser or the class's trainers
    'PUT /api/class-sessions/:id/attendance',
    'GET /api/class-sessions/:id/check-in-token',
    'GET /api/class-sessions/:id/sign-in-sheet.pdf',
  ];

  it('walks a route table big enough to mean something, with a declaration on every guarded route', () => {
    expect(routes.length).toBeGreaterThan(100);
    // Every guarded route declares who may call it, next to its handler: @RequireRoles(…) or @SignedIn(scope).
    expect(routes.filter((r) => !r.isPublic && r.roles === null && r.signedIn === null).map((r) => `${r.method} ${r.path}`)).toEqual([]);
    expect(routes.filter((r) => r.roles !== null && r.signedIn !== null).map((r) => `${r.method} ${r.path}`)).toEqual([]);
    // The routes open to any signed-in user are exactly the reviewed ones.
    const signedIn = routes.filter((r) => !r.isPublic && r.roles === null).map((r) => `${r.method} ${r.path}`);
    expect(signedIn.sort()).toEqual([...SIGNED_IN_ROUTES].sort());
  });

  it('a role the declaration does not name gets 403 on every route', async () => {
    const failures: string[] = [];
    for (const route of routes.filter((r) => !r.isPublic && r.roles)) {
      for (const [name, auth] of Object.entries(roles)) {
        const role = { learner: Role.Learner, manager: Role.UnitManager, hr: Role.Hr, organiser: Role.Organiser, admin: Role.Admin }[name] as Role;
        if ((route.roles as Role[]).includes(role)) continue;
        const res = await call(route, auth);
        if (res.status !== 403) failures.push(`${route.method} ${route.path} as ${name} → ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('nobody of province P reads, lists or changes anything of province Q, on any route', async () => {
    const before = await snapshotQ();
    const failures: string[] = [];
    let calls = 0;
    for (const route of routes.filter((r) => !r.isPublic)) {
      for (const [name, auth] of Object.entries(roles)) {
        const res = await call(route, auth);
        calls++;
        const ok = res.status >= 200 && res.status < 300;
        if (res.text.toLowerCase().includes(MARK)) failures.push(`${route.method} ${route.path} as ${name}: answer shows province Q (${res.status})`);
        else if (ok && res.namesQ && route.method !== 'GET') failures.push(`${route.method} ${route.path} as ${name}: a write naming province Q succeeded (${res.status})`);
        else if (ok && res.namesQ && /:id/.test(route.path) && RESOURCE[route.path.split('/')[2]]) failures.push(`${route.method} ${route.path} as ${name}: read a Q resource (${res.status})`);
        if (res.status >= 500) failures.push(`${route.method} ${route.path} as ${name}: ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
    expect(calls).toBeGreaterThan(500);
    expect(await snapshotQ()).toEqual(before);
  });

  it('the deployment-wide admin reads both provinces (the line does not apply to it)', async () => {
    const superId = randomUUID();
    await t.db.query(`INSERT INTO users (id, username, password_hash, display_name) SELECT $1, $2, password_hash, 'Quản trị toàn hệ thống' FROM users WHERE username = $3`, [
      superId,
      `super-m-${f.tag}`,
      `admin-${f.tag}`,
    ]);
    await t.db.query(`INSERT INTO role_grants (user_id, role, org_unit_id) VALUES ($1, 'superadmin', NULL)`, [superId]);
    const superadmin = await signIn(t.http, `super-m-${f.tag}`, FIXTURE_PASSWORD);
    for (const path of [`/api/org-units/${f.otherProvince.id}`, `/api/org-units/${f.province.id}`, `/api/courses/${q['course']}`, `/api/classes/${q['class']}`, `/api/enrolment-imports/${q['import']}`]) {
      expect([path, (await t.http.get(path).set(superadmin)).status]).toEqual([path, 200]);
    }
    const top = (await t.http.get('/api/org-units').set(superadmin)).body.map((u: { id: string }) => u.id);
    expect(top).toEqual(expect.arrayContaining([f.province.id, f.otherProvince.id]));
  });

  it('inside the province too: a unit manager and a learner of one district get nothing of the other district', async () => {
    // The other side of the line is now district 2 of P (commune X2A, person B1): the same sweep, its ids, its markers.
    const [b1] = await t.db.query(`SELECT id FROM people WHERE staff_code = $1`, [`B1-${f.tag}`]);
    const saved = { ...q };
    for (const k of Object.keys(q)) delete q[k];
    Object.assign(q, { unit: f.commune2a.id, person: b1.id });
    const markers = [`b1-${f.tag}`, `x2a-${f.tag}`];
    const failures: string[] = [];
    try {
      for (const route of routes.filter((r) => !r.isPublic)) {
        for (const name of ['manager', 'learner']) {
          const res = await call(route, roles[name]);
          const ok = res.status >= 200 && res.status < 300;
          const text = res.text.toLowerCase();
          const shown = markers.find((mk) => text.includes(mk));
          if (shown) failures.push(`${route.method} ${route.path} as ${name}: answer shows district 2 (${shown}, ${res.status})`);
          else if (ok && res.namesQ && route.method !== 'GET') failures.push(`${route.method} ${route.path} as ${name}: a write naming district 2 succeeded (${res.status})`);
          else if (ok && res.namesQ && /:id/.test(route.path) && RESOURCE[route.path.split('/')[2]] && q[RESOURCE[route.path.split('/')[2]]]) {
            failures.push(`${route.method} ${route.path} as ${name}: read a district 2 resource (${res.status})`);
          }
        }
      }
    } finally {
      for (const k of Object.keys(q)) delete q[k];
      Object.assign(q, saved);
    }
    expect(failures).toEqual([]);
  });
});
