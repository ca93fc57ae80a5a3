import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import ICAL from 'ical.js';
import { SMTPServer } from 'smtp-server';
import { OutboxService } from '@dxtrain/server/enrolment';
import { ClassCompletedEvent, ClassItem, ClassRegistrationItem, ErrorCode, JobName, QueueName, Role } from '@dxtrain/shared/contracts';
import { startWorker } from '../testing/enrolment-helpers';
import { buildFixture, Fixture, FIXTURE_PASSWORD, insertPerson, insertUser } from '../testing/fixtures';
import { createTestApp, signIn, TestApp } from '../testing/test-app';

type Auth = { Authorization: string };
const H = 3600_000;
/** A moment relative to now, on a whole minute (as people schedule). */
const at = (ms: number) => new Date(Math.floor((Date.now() + ms) / 60_000) * 60_000).toISOString();

interface OutboxRow {
  id: string;
  to_address: string;
  subject: string;
  body_text: string;
  attachments: Array<{ filename: string; contentType: string; content: string }> | null;
}

function parseIcs(text: string): ICAL.Component {
  return new ICAL.Component(ICAL.parse(text));
}

describe('training classes: scheduling, registration, waitlist, calendar, attendance', () => {
  let t: TestApp;
  let f: Fixture;
  let organiser: Auth;
  let manager: Auth;
  let learner: Auth;
  let otherAdmin: Auth;
  const dir = mkdtempSync(join(tmpdir(), 'dxtrain-classes-'));

  beforeAll(async () => {
    t = await createTestApp();
    f = await buildFixture(t.db);
    organiser = await signIn(t.http, `organiser-${f.tag}`, FIXTURE_PASSWORD);
    manager = await signIn(t.http, `manager-${f.tag}`, FIXTURE_PASSWORD);
    learner = await signIn(t.http, `learner-${f.tag}`, FIXTURE_PASSWORD);
    otherAdmin = await signIn(t.http, `admin-q-${f.tag}`, FIXTURE_PASSWORD);
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function createClass(body: Record<string, unknown>): Promise<ClassItem> {
    const res = await t.http
      .post('/api/classes')
      .set(organiser)
      .send({ title: `Lớp ${f.tag} ${Math.random().toString(36).slice(2, 7)}`, mode: 'in_person', orgUnitId: f.department.id, capacity: 20, ...body });
    if (res.status !== 201) throw new Error(`create class: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as ClassItem;
  }

  async function openClass(body: Record<string, unknown>): Promise<ClassItem> {
    const c = await createClass(body);
    const res = await t.http.post(`/api/classes/${c.id}/status`).set(organiser).send({ status: 'open' });
    if (res.status !== 200) throw new Error(`open: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as ClassItem;
  }

  const outboxFor = async (email: string): Promise<OutboxRow[]> =>
    (await t.db.query(`SELECT id, to_address, subject, body_text, attachments FROM outbox_messages WHERE to_address = $1 ORDER BY created_at, id`, [email])) as OutboxRow[];

  const counts = async (classId: string) =>
    Object.fromEntries(
      ((await t.db.query(`SELECT status, count(*)::int AS n FROM class_registrations WHERE class_id = $1 GROUP BY status`, [classId])) as Array<{ status: string; n: number }>).map((r) => [
        r.status,
        r.n,
      ]),
    );

  it('an organiser schedules a class over several sessions; opening it needs a session', async () => {
    const c = await createClass({
      sessions: [
        { startsAt: at(48 * H), endsAt: at(51 * H) },
        { startsAt: at(72 * H), endsAt: at(75 * H) },
      ],
      trainers: [{ name: 'TS. Trần Văn Giảng' }],
      room: `Phòng 201-${f.tag}`,
      address: '15 Trần Hưng Đạo, Pleiku',
    });
    expect(c).toMatchObject({ status: 'draft', capacity: 20, confirmedCount: 0, canManage: true, trainers: [{ personId: null, name: 'TS. Trần Văn Giảng' }] });
    expect(c.sessions).toHaveLength(2);
    expect(c.sessions[0]).toMatchObject({ sequence: 0, cancelled: false });

    const empty = await createClass({});
    const refused = await t.http.post(`/api/classes/${empty.id}/status`).set(organiser).send({ status: 'open' });
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe(ErrorCode.ClassHasNoSessions);
    expect((await t.http.get(`/api/classes/${empty.id}`).set(organiser)).body.status).toBe('draft');

    // Same trainer or same room at an overlapping time in another class: refused.
    const clash = await t.http
      .post('/api/classes')
      .set(organiser)
      .send({ title: 'Lớp trùng', mode: 'in_person', orgUnitId: f.department.id, capacity: 5, room: `phòng 201-${f.tag}`, sessions: [{ startsAt: at(49 * H), endsAt: at(50 * H) }] });
    expect(clash.status).toBe(409);
    expect(clash.body.code).toBe(ErrorCode.ScheduleConflict);
    const trainerClash = await t.http
      .post('/api/classes')
      .set(organiser)
      .send({ title: 'Lớp trùng GV', mode: 'online', orgUnitId: f.department.id, capacity: 5, trainers: [{ name: 'ts. trần văn giảng' }], sessions: [{ startsAt: at(74 * H), endsAt: at(76 * H) }] });
    expect(trainerClash.status).toBe(409);
    expect(trainerClash.body.code).toBe(ErrorCode.ScheduleConflict);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM training_classes WHERE title LIKE 'Lớp trùng%'`);
    expect(n).toBe(0);
  });

  it('30 parallel registrations at capacity 10: exactly 10 confirmed, 20 waitlisted in order', async () => {
    const c = await openClass({ capacity: 10, sessions: [{ startsAt: at(100 * H), endsAt: at(102 * H) }] });
    const people: string[] = [];
    for (let i = 0; i < 30; i++) people.push(await insertPerson(t.db, f.commune1b, `RACE-${f.tag}-${i}`, `Người Thứ ${i}`, { email: `race${i}.${f.tag}@example.gov.vn` }));
    const results = await Promise.all(people.map((personId) => t.http.post(`/api/classes/${c.id}/registrations`).set(organiser).send({ personId })));
    expect(results.map((r) => r.status)).toEqual(people.map(() => 201));
    const statuses = results.map((r) => (r.body as ClassRegistrationItem).status);
    expect(statuses.filter((s) => s === 'confirmed')).toHaveLength(10);
    expect(statuses.filter((s) => s === 'waitlisted')).toHaveLength(20);
    expect(await counts(c.id)).toEqual({ confirmed: 10, waitlisted: 20 });
    const list = (await t.http.get(`/api/classes/${c.id}/registrations`).set(organiser)).body as ClassRegistrationItem[];
    expect(list.filter((r) => r.status === 'waitlisted').map((r) => r.waitlistPosition)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect((await t.http.get(`/api/classes/${c.id}`).set(organiser)).body).toMatchObject({ status: 'full', confirmedCount: 10, waitlistCount: 20 });

    // A cancellation promotes the first on the waitlist, who is told (with the invite attached).
    const first = list.find((r) => r.waitlistPosition === 1) as ClassRegistrationItem;
    const leaving = list.find((r) => r.status === 'confirmed') as ClassRegistrationItem;
    const cancelled = await t.http.post(`/api/class-registrations/${leaving.id}/cancel`).set(organiser);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    const after = (await t.http.get(`/api/classes/${c.id}/registrations`).set(organiser)).body as ClassRegistrationItem[];
    expect(after.find((r) => r.id === first.id)?.status).toBe('confirmed');
    expect(after.filter((r) => r.status === 'waitlisted').map((r) => r.waitlistPosition)).toEqual(Array.from({ length: 19 }, (_, i) => i + 1));
    expect(await counts(c.id)).toEqual({ confirmed: 10, waitlisted: 19, cancelled: 1 });
    const [email] = (await t.db.query(`SELECT email FROM people WHERE id = $1`, [first.personId])) as Array<{ email: string }>;
    const mail = await outboxFor(email.email);
    expect(mail.map((m) => m.subject)).toEqual([`Danh sách chờ: ${c.title}`, `Đã có chỗ trong lớp: ${c.title}`]);
    const invite = parseIcs(mail[1].attachments?.[0].content as string);
    expect(invite.getFirstPropertyValue('method')).toBe('REQUEST');
    expect(invite.getFirstSubcomponent('vevent')?.getFirstPropertyValue('uid')).toBe(`session-${c.sessions[0].id}@dxtrain`);
    // The one who left gets METHOD:CANCEL.
    const [left] = (await t.db.query(`SELECT email FROM people WHERE id = $1`, [leaving.personId])) as Array<{ email: string }>;
    const leftMail = await outboxFor(left.email);
    expect(parseIcs(leftMail[leftMail.length - 1].attachments?.[0].content as string).getFirstPropertyValue('method')).toBe('CANCEL');

    // The first eligible one is promoted: someone who left the service (inactive) keeps waiting.
    const [second, third] = [1, 2].map((pos) => after.find((r) => r.waitlistPosition === pos) as ClassRegistrationItem);
    await t.db.query(`UPDATE people SET active = false WHERE id = $1`, [second.personId]);
    const another = after.find((r) => r.status === 'confirmed' && r.id !== first.id) as ClassRegistrationItem;
    await t.http.post(`/api/class-registrations/${another.id}/cancel`).set(organiser).expect(200);
    const later = (await t.http.get(`/api/classes/${c.id}/registrations`).set(organiser)).body as ClassRegistrationItem[];
    expect(later.find((r) => r.id === second.id)?.status).toBe('waitlisted');
    expect(later.find((r) => r.id === third.id)?.status).toBe('confirmed');
    await t.db.query(`UPDATE people SET active = true WHERE id = $1`, [second.personId]);
    expect(await counts(c.id)).toEqual({ confirmed: 10, waitlisted: 18, cancelled: 2 });

    // Capacity below the confirmed count: refused, nothing changed.
    const shrink = await t.http.patch(`/api/classes/${c.id}`).set(organiser).send({ capacity: 5 });
    expect(shrink.status).toBe(400);
    expect(shrink.body.code).toBe(ErrorCode.CapacityBelowRegistrations);
    expect((await t.http.get(`/api/classes/${c.id}`).set(organiser)).body.capacity).toBe(10);
    // More seats: the waitlist moves up.
    await t.http.patch(`/api/classes/${c.id}`).set(organiser).send({ capacity: 12 }).expect(200);
    expect(await counts(c.id)).toEqual({ confirmed: 12, waitlisted: 16, cancelled: 2 });
  });

  it('invites: stable UID per session, SEQUENCE grows on every change, METHOD:CANCEL for a cancelled session; personal feed', async () => {
    const c = await openClass({
      mode: 'blended',
      meetingUrl: 'https://meet.example.gov.vn/lop-ai',
      sessions: [
        { startsAt: at(200 * H), endsAt: at(203 * H) },
        { startsAt: at(224 * H), endsAt: at(227 * H) },
      ],
    });
    const reg = await t.http.post(`/api/classes/${c.id}/registrations`).set(learner).send({});
    expect(reg.status).toBe(201);
    expect(reg.body).toMatchObject({ status: 'confirmed', source: 'self' });
    const email = `huong.${f.tag}@example.gov.vn`;
    const [confirmation] = (await outboxFor(email)).filter((m) => m.subject === `Xác nhận tham gia lớp: ${c.title}`);
    expect(confirmation.attachments).toHaveLength(2);
    expect(confirmation.attachments?.[0].contentType).toBe('text/calendar; charset=UTF-8; method=REQUEST');
    const uids = confirmation.attachments?.map((a) => parseIcs(a.content).getFirstSubcomponent('vevent')?.getFirstPropertyValue('uid'));
    expect(uids).toEqual(c.sessions.map((s) => `session-${s.id}@dxtrain`));
    const first = new ICAL.Event(parseIcs(confirmation.attachments?.[0].content as string).getFirstSubcomponent('vevent') as ICAL.Component);
    expect(first.sequence).toBe(0);
    expect(first.location).toContain('https://meet.example.gov.vn/lop-ai');

    // The class moves: same UID, SEQUENCE 1, METHOD:REQUEST with the new time.
    const moved = await t.http.put(`/api/class-sessions/${c.sessions[0].id}`).set(organiser).send({ startsAt: at(201 * H), endsAt: at(204 * H) });
    expect(moved.status).toBe(200);
    expect(moved.body.sequence).toBe(1);
    const update = (await outboxFor(email)).filter((m) => m.subject === `Cập nhật lịch học: ${c.title}`);
    expect(update).toHaveLength(1);
    const updated = parseIcs(update[0].attachments?.[0].content as string);
    expect(updated.getFirstPropertyValue('method')).toBe('REQUEST');
    const ev = new ICAL.Event(updated.getFirstSubcomponent('vevent') as ICAL.Component);
    expect(ev.uid).toBe(`session-${c.sessions[0].id}@dxtrain`);
    expect(ev.sequence).toBe(1);
    ICAL.TimezoneService.register(new ICAL.Timezone(updated.getFirstSubcomponent('vtimezone') as ICAL.Component));
    expect(ev.startDate.toJSDate().toISOString()).toBe(moved.body.startsAt);

    // The second session is cancelled: METHOD:CANCEL, SEQUENCE 1 (its first change), same UID.
    await t.http.post(`/api/class-sessions/${c.sessions[1].id}/cancel`).set(organiser).expect(200);
    const [cancel] = (await outboxFor(email)).filter((m) => m.subject === `Huỷ lịch học: ${c.title}`);
    const cal = parseIcs(cancel.attachments?.[0].content as string);
    expect(cal.getFirstPropertyValue('method')).toBe('CANCEL');
    const vev = cal.getFirstSubcomponent('vevent') as ICAL.Component;
    expect(vev.getFirstPropertyValue('uid')).toBe(`session-${c.sessions[1].id}@dxtrain`);
    expect(vev.getFirstPropertyValue('sequence')).toBe(1);
    expect(vev.getFirstPropertyValue('status')).toBe('CANCELLED');

    // Moving the first session again: SEQUENCE 2.
    const again = await t.http.put(`/api/class-sessions/${c.sessions[0].id}`).set(organiser).send({ startsAt: at(202 * H), endsAt: at(205 * H) });
    expect(again.body.sequence).toBe(2);
    // A new meeting link changes what calendars show: the live session goes to SEQUENCE 3 with the new link.
    await t.http.patch(`/api/classes/${c.id}`).set(organiser).send({ meetingUrl: 'https://meet.example.gov.vn/lop-ai-2' }).expect(200);
    const updates = (await outboxFor(email)).filter((m) => m.subject === `Cập nhật lịch học: ${c.title}`);
    expect(updates).toHaveLength(3);
    const linkChange = updates[2].attachments?.map((a) => new ICAL.Event(parseIcs(a.content).getFirstSubcomponent('vevent') as ICAL.Component));
    expect(linkChange?.map((e) => [e.uid, e.sequence, e.location])).toEqual([[`session-${c.sessions[0].id}@dxtrain`, 3, 'https://meet.example.gov.vn/lop-ai-2']]);

    // Personal feed: a public URL with an unguessable token, no sign-in needed.
    const feed = await t.http.get('/api/me/calendar-feed').set(learner);
    expect(feed.body.url).toMatch(/\/api\/public\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    expect((await t.http.get('/api/me/calendar-feed').set(learner)).body.url).toBe(feed.body.url);
    const path = new URL(feed.body.url).pathname;
    const ics = await t.http.get(path).buffer(true).parse((res, cb) => {
      let data = '';
      res.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')));
      res.on('end', () => cb(null, data));
    });
    expect(ics.status).toBe(200);
    expect(ics.headers['content-type']).toMatch(/^text\/calendar/);
    const feedCal = parseIcs(ics.body as string);
    expect(feedCal.getFirstPropertyValue('method')).toBe('PUBLISH');
    const events = feedCal.getAllSubcomponents('vevent').filter((e) => [c.sessions[0].id, c.sessions[1].id].some((id) => e.getFirstPropertyValue('uid') === `session-${id}@dxtrain`));
    expect(events.map((e) => [e.getFirstPropertyValue('sequence'), e.getFirstPropertyValue('status')])).toEqual([
      [3, 'CONFIRMED'],
      [1, 'CANCELLED'],
    ]);
    expect((await t.http.get('/api/public/calendar/' + 'x'.repeat(43) + '.ics')).status).toBe(404);
  });

  it('attendance meets the rule → completed once, class.completed on the events queue; sign-in sheet in Vietnamese order', async () => {
    const c = await openClass({
      capacity: 5,
      periods: 8,
      sessions: [
        { startsAt: at(-5 * H), endsAt: at(-2 * H) },
        { startsAt: at(-1 * H), endsAt: at(2 * H) },
      ],
    });
    const people = [
      await insertPerson(t.db, f.commune1a, `AT1-${f.tag}`, 'Võ Thị Yến'),
      await insertPerson(t.db, f.commune1a, `AT2-${f.tag}`, 'Đỗ Văn Bình'),
      await insertPerson(t.db, f.commune1b, `AT3-${f.tag}`, 'Lê Ánh'),
    ];
    for (const personId of people) await t.http.post(`/api/classes/${c.id}/registrations`).set(organiser).send({ personId }).expect(201);
    const [s1, s2] = c.sessions;
    const marked = await t.http
      .put(`/api/class-sessions/${s1.id}/attendance`)
      .set(organiser)
      .send({ marks: people.map((personId, i) => ({ personId, status: i === 2 ? 'absent' : 'present' })) });
    expect(marked.status).toBe(200);
    expect(marked.body.map((r: { fullName: string }) => r.fullName)).toEqual(['Lê Ánh', 'Đỗ Văn Bình', 'Võ Thị Yến']);
    expect(await t.db.query(`SELECT * FROM class_completions WHERE class_id = $1`, [c.id])).toHaveLength(0);

    // Someone not registered cannot be marked: nothing written.
    const stranger = await t.http.put(`/api/class-sessions/${s2.id}/attendance`).set(organiser).send({ marks: [{ personId: people[0], status: 'present' }, { personId: f.people.otherProvincePerson, status: 'present' }] });
    expect(stranger.status).toBe(400);
    expect(stranger.body.code).toBe(ErrorCode.NotRegistered);
    expect(await t.db.query(`SELECT * FROM class_attendance WHERE session_id = $1`, [s2.id])).toHaveLength(0);

    await t.http.put(`/api/class-sessions/${s2.id}/attendance`).set(organiser).send({ marks: people.map((personId) => ({ personId, status: 'present' })) }).expect(200);
    const done = (await t.db.query(`SELECT id, person_id, published_at FROM class_completions WHERE class_id = $1 ORDER BY person_id`, [c.id])) as Array<{ id: string; person_id: string; published_at: Date | null }>;
    expect(done.map((d) => d.person_id).sort()).toEqual([people[0], people[1]].sort());
    expect(done.every((d) => d.published_at !== null)).toBe(true);
    const events = t.app.get<Queue>(getQueueToken(QueueName.Events));
    const job = await events.getJob(`class.completed.${done[0].id}`);
    expect(job?.name).toBe(JobName.ClassCompleted);
    expect(job?.data as ClassCompletedEvent).toMatchObject({ completionId: done[0].id, classId: c.id, classTitle: c.title, periods: 8, courseId: null, organiserUnitId: f.department.id });
    // Marking again never completes twice.
    await t.http.put(`/api/class-sessions/${s2.id}/attendance`).set(organiser).send({ marks: [{ personId: people[0], status: 'present' }] }).expect(200);
    expect(await t.db.query(`SELECT * FROM class_completions WHERE class_id = $1`, [c.id])).toHaveLength(2);
    const regs = (await t.http.get(`/api/classes/${c.id}/registrations`).set(organiser)).body as ClassRegistrationItem[];
    expect(regs.filter((r) => r.completedAt !== null)).toHaveLength(2);

    const pdf = await t.http.get(`/api/class-sessions/${s1.id}/sign-in-sheet.pdf`).set(organiser).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (b: Buffer) => chunks.push(b));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const file = join(dir, 'sheet.pdf');
    writeFileSync(file, pdf.body as Buffer);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).normalize('NFC');
    expect(text).toContain('DANH SÁCH KÝ TÊN THAM DỰ');
    expect(text).toContain('Chữ ký');
    expect(text).toContain('Buổi 1/2');
    const order = ['Lê Ánh', 'Đỗ Văn Bình', 'Võ Thị Yến'].map((n) => text.indexOf(n));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(text).toContain('Phường Diên Hồng');
  });

  it('self check-in with the session QR: valid only from 30 minutes before start to the end', async () => {
    const c = await openClass({
      sessions: [
        { startsAt: at(-30 * H), endsAt: at(-28 * H) },
        { startsAt: at(-10 * 60_000), endsAt: at(H) },
        { startsAt: at(5 * H), endsAt: at(6 * H) },
      ],
    });
    await t.http.post(`/api/classes/${c.id}/registrations`).set(learner).send({}).expect(201);
    const [past, now, later] = c.sessions;
    const token = await t.http.get(`/api/class-sessions/${now.id}/check-in-token`).set(organiser);
    expect(token.status).toBe(200);
    expect(token.body.url).toMatch(/\/check-in\/.+/);
    expect(token.body.qrSvg).toContain('<svg');
    expect(token.body.expiresAt).toBe(now.endsAt);
    const ok = await t.http.post('/api/class-sessions/check-in').set(learner).send({ token: token.body.token });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ sessionId: now.id, classId: c.id, status: 'present', classCompleted: false });
    const [row] = await t.db.query(`SELECT status, checked_in_at FROM class_attendance WHERE session_id = $1`, [now.id]);
    expect(row.status).toBe('present');

    for (const s of [past, later]) {
      const tk = (await t.http.get(`/api/class-sessions/${s.id}/check-in-token`).set(organiser)).body.token as string;
      const res = await t.http.post('/api/class-sessions/check-in').set(learner).send({ token: tk });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe(ErrorCode.CheckInExpired);
      expect(await t.db.query(`SELECT 1 FROM class_attendance WHERE session_id = $1`, [s.id])).toHaveLength(0);
    }
    const forged = token.body.token.replace(/.$/, (ch: string) => (ch === 'A' ? 'B' : 'A'));
    const bad = await t.http.post('/api/class-sessions/check-in').set(learner).send({ token: forged });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe(ErrorCode.CheckInInvalid);
    // Not registered: refused.
    const outsiderPerson = await insertPerson(t.db, f.commune1a, `OUT-${f.tag}`, 'Phan Văn Ngoài');
    await insertUser(t.db, `outsider-${f.tag}`, [], outsiderPerson);
    const outsider = await signIn(t.http, `outsider-${f.tag}`, FIXTURE_PASSWORD);
    const refused = await t.http.post('/api/class-sessions/check-in').set(outsider).send({ token: token.body.token });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe(ErrorCode.NotRegistered);

    // The learner's view shows the class, the registration and the mark.
    const mine = (await t.http.get('/api/me/classes').set(learner)).body as Array<{ id: string; registration: { status: string }; attendance: Array<{ sessionId: string; status: string | null }> }>;
    const item = mine.find((m) => m.id === c.id);
    expect(item?.registration.status).toBe('confirmed');
    expect(item?.attendance.find((a) => a.sessionId === now.id)?.status).toBe('present');
  });

  it('unit managers nominate their own staff only; bad inputs answer a clear 4xx and change nothing', async () => {
    const c = await openClass({ sessions: [{ startsAt: at(300 * H), endsAt: at(302 * H) }], selfRegistration: false });
    const [inDistrict1] = (await t.db.query(`SELECT id FROM people WHERE staff_code = $1`, [`A2-${f.tag}`])) as Array<{ id: string }>;
    const [inDistrict2] = (await t.db.query(`SELECT id FROM people WHERE staff_code = $1`, [`B1-${f.tag}`])) as Array<{ id: string }>;
    // The manager sees the open class to nominate.
    expect(((await t.http.get('/api/classes').set(manager)).body as ClassItem[]).some((k) => k.id === c.id && !k.canManage)).toBe(true);
    const nominated = await t.http.post(`/api/classes/${c.id}/registrations`).set(manager).send({ personId: inDistrict1.id });
    expect(nominated.status).toBe(201);
    expect(nominated.body).toMatchObject({ status: 'confirmed', source: 'nomination' });
    const outside = await t.http.post(`/api/classes/${c.id}/registrations`).set(manager).send({ personId: inDistrict2.id });
    expect(outside.status).toBe(403);
    expect(outside.body.code).toBe(ErrorCode.NomineeOutOfScope);
    const twice = await t.http.post(`/api/classes/${c.id}/registrations`).set(manager).send({ personId: inDistrict1.id });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe(ErrorCode.RegistrationExists);
    // Self-registration is off for this class.
    const self = await t.http.post(`/api/classes/${c.id}/registrations`).set(learner).send({});
    expect(self.status).toBe(403);
    expect(self.body.code).toBe(ErrorCode.SelfRegistrationClosed);
    expect(await counts(c.id)).toEqual({ confirmed: 1 });

    // Missing or malformed fields: 400 with the fields named.
    const invalid = await t.http.post('/api/classes').set(organiser).send({ mode: 'somewhere', orgUnitId: f.department.id, capacity: 0 });
    expect(invalid.status).toBe(400);
    expect(invalid.body.code).toBe(ErrorCode.ValidationFailed);
    expect([...new Set(invalid.body.details.map((d: { field: string }) => d.field))].sort()).toEqual(['capacity', 'mode', 'title']);

    // Sessions ending before they start.
    const before = (await t.db.query(`SELECT count(*)::int AS n FROM training_classes`)) as Array<{ n: number }>;
    const backwards = await t.http
      .post('/api/classes')
      .set(organiser)
      .send({ title: 'Lớp ngược', mode: 'online', orgUnitId: f.department.id, capacity: 5, sessions: [{ startsAt: at(10 * H), endsAt: at(9 * H) }] });
    expect(backwards.status).toBe(400);
    expect(backwards.body.code).toBe(ErrorCode.SessionEndsBeforeStart);
    expect(await t.db.query(`SELECT count(*)::int AS n FROM training_classes`)).toEqual(before);
    const moveBack = await t.http.put(`/api/class-sessions/${c.sessions[0].id}`).set(organiser).send({ startsAt: at(302 * H), endsAt: at(301 * H) });
    expect(moveBack.status).toBe(400);
    expect(moveBack.body.code).toBe(ErrorCode.SessionEndsBeforeStart);
    expect((await t.http.get(`/api/classes/${c.id}`).set(organiser)).body.sessions[0]).toMatchObject({ startsAt: c.sessions[0].startsAt, sequence: 0 });

    // Registration after the window.
    const late = await openClass({ sessions: [{ startsAt: at(400 * H), endsAt: at(401 * H) }], registrationOpensAt: at(-48 * H), registrationClosesAt: at(-H) });
    const tooLate = await t.http.post(`/api/classes/${late.id}/registrations`).set(learner).send({});
    expect(tooLate.status).toBe(400);
    expect(tooLate.body.code).toBe(ErrorCode.RegistrationClosed);
    const tooLateNomination = await t.http.post(`/api/classes/${late.id}/registrations`).set(manager).send({ personId: inDistrict1.id });
    expect(tooLateNomination.body.code).toBe(ErrorCode.RegistrationClosed);
    expect(await counts(late.id)).toEqual({});

    // Overlapping sessions of a learner: a warning, or refused when the class says so.
    const overlapA = await openClass({ mode: 'online', sessions: [{ startsAt: at(500 * H), endsAt: at(502 * H) }] });
    const overlapB = await openClass({ mode: 'online', sessions: [{ startsAt: at(501 * H), endsAt: at(503 * H) }] });
    const overlapC = await openClass({ mode: 'online', refuseConflicts: true, sessions: [{ startsAt: at(501 * H), endsAt: at(502 * H) }] });
    await t.http.post(`/api/classes/${overlapA.id}/registrations`).set(learner).send({}).expect(201);
    const warned = await t.http.post(`/api/classes/${overlapB.id}/registrations`).set(learner).send({});
    expect(warned.status).toBe(201);
    expect(warned.body.conflicts).toEqual([expect.objectContaining({ kind: 'learner', classId: overlapA.id })]);
    const refusedOverlap = await t.http.post(`/api/classes/${overlapC.id}/registrations`).set(learner).send({});
    expect(refusedOverlap.status).toBe(409);
    expect(refusedOverlap.body.code).toBe(ErrorCode.ScheduleConflict);
    expect(await counts(overlapC.id)).toEqual({});
  });

  it('approval by the unit manager: pending, then confirmed', async () => {
    const c = await openClass({ approval: 'manager', sessions: [{ startsAt: at(600 * H), endsAt: at(601 * H) }] });
    const reg = await t.http.post(`/api/classes/${c.id}/registrations`).set(learner).send({});
    expect(reg.body.status).toBe('pending_approval');
    const approved = await t.http.post(`/api/class-registrations/${reg.body.id}/decision`).set(manager).send({ approve: true });
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('confirmed');
    const cancelled = await t.http.post(`/api/class-registrations/${reg.body.id}/cancel`).set(learner);
    expect(cancelled.body.status).toBe('cancelled');
    // A manager of another district cannot decide on this district's people.
    const again = await t.http.post(`/api/classes/${c.id}/registrations`).set(learner).send({});
    expect(again.body.status).toBe('pending_approval');
    await insertUser(t.db, `manager2-${f.tag}`, [[Role.UnitManager, f.district2]]);
    const otherManager = await signIn(t.http, `manager2-${f.tag}`, FIXTURE_PASSWORD);
    const foreign = await t.http.post(`/api/class-registrations/${again.body.id}/decision`).set(otherManager).send({ approve: true });
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe(ErrorCode.RegistrationNotFound);
    expect((await t.db.query(`SELECT status FROM class_registrations WHERE id = $1`, [again.body.id]))[0].status).toBe('pending_approval');
  });

  it('someone out of scope gets nothing: 404 for the class and its parts, not in lists', async () => {
    const c = await openClass({ sessions: [{ startsAt: at(700 * H), endsAt: at(701 * H) }] });
    await t.http.post(`/api/classes/${c.id}/registrations`).set(learner).send({}).expect(201);
    const s = c.sessions[0].id;
    for (const [method, path, body] of [
      ['get', `/api/classes/${c.id}`, undefined],
      ['patch', `/api/classes/${c.id}`, { capacity: 1 }],
      ['get', `/api/classes/${c.id}/registrations`, undefined],
      ['post', `/api/classes/${c.id}/registrations`, { personId: f.people.otherProvincePerson }],
      ['get', `/api/class-sessions/${s}/attendance`, undefined],
      ['get', `/api/class-sessions/${s}/check-in-token`, undefined],
      ['get', `/api/class-sessions/${s}/sign-in-sheet.pdf`, undefined],
      ['put', `/api/class-sessions/${s}`, { startsAt: at(700 * H), endsAt: at(702 * H) }],
    ] as const) {
      const res = await t.http[method](path).set(otherAdmin).send(body);
      expect([path, res.status]).toEqual([path, 404]);
    }
    const list = (await t.http.get('/api/classes').set(otherAdmin)).body as ClassItem[];
    expect(list.some((k) => k.id === c.id)).toBe(false);
    // A learner sees the class but not its management parts.
    expect((await t.http.get(`/api/class-sessions/${s}/attendance`).set(learner)).status).toBe(404);
    expect((await t.http.get(`/api/classes/${c.id}`).set(learner)).body.canManage).toBe(false);
    const theirs = (await t.http.get(`/api/classes/${c.id}/registrations`).set(learner)).body as ClassRegistrationItem[];
    expect(theirs.map((r) => r.personId)).toEqual([f.people.learner]);
    expect((await t.db.query(`SELECT capacity FROM training_classes WHERE id = $1`, [c.id]))[0].capacity).toBe(20);
  });
  it('the outbox sends an invite over SMTP with the .ics as a text/calendar attachment', async () => {
    const c = await openClass({ mode: 'online', meetingUrl: 'https://meet.example.gov.vn/smtp', sessions: [{ startsAt: at(800 * H), endsAt: at(801 * H) }] });
    await t.http.post(`/api/classes/${c.id}/registrations`).set(learner).send({}).expect(201);
    const [invite] = (await t.db.query(`SELECT id FROM outbox_messages WHERE subject = $1`, [`Xác nhận tham gia lớp: ${c.title}`])) as Array<{ id: string }>;
    const raw: string[] = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, _session, cb) {
        let data = '';
        stream.on('data', (b: Buffer) => (data += b.toString('utf8')));
        stream.on('end', () => (raw.push(data), cb()));
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    process.env['SMTP_URL'] = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
    const mailWorker = await startWorker();
    try {
      const outbox = mailWorker.get(OutboxService);
      await outbox.requeue([invite.id]);
      await outbox.flush();
      // The worker's own flush job may hold the row (SKIP LOCKED): wait for whichever sends it.
      let row: { status: string; last_error: string | null } = { status: '', last_error: null };
      for (let i = 0; i < 100 && row.status !== 'sent'; i++) {
        [row] = await t.db.query(`SELECT status, last_error FROM outbox_messages WHERE id = $1`, [invite.id]);
        if (row.status !== 'sent') await new Promise((r) => setTimeout(r, 100));
      }
      expect(row).toEqual({ status: 'sent', last_error: null });
      expect(raw.join('\n')).toMatch(/Content-Type: text\/calendar; charset=UTF-8; method=REQUEST/i);
      // Every text/calendar part of every message sent: headers, a blank line, the encoded body up to the next boundary.
      const calendars = raw.flatMap((message) =>
        message.split(/Content-Type: text\/calendar/i).slice(1).map((part) => {
          const encoding = /Content-Transfer-Encoding: ([\w-]+)/i.exec(part)?.[1].toLowerCase();
          const body = part.slice(part.indexOf('\r\n\r\n') + 4, part.indexOf('\r\n--'));
          return encoding === 'base64'
            ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
            : Buffer.from(body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
        }),
      );
      const mine = calendars.map(parseIcs).filter((cal) => cal.getFirstSubcomponent('vevent')?.getFirstPropertyValue('uid') === `session-${c.sessions[0].id}@dxtrain`);
      expect(mine).toHaveLength(1);
      expect(mine[0].getFirstPropertyValue('method')).toBe('REQUEST');
      expect(mine[0].getFirstSubcomponent('vevent')?.getFirstPropertyValue('location')).toBe('https://meet.example.gov.vn/smtp');
    } finally {
      delete process.env['SMTP_URL'];
      await mailWorker.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
