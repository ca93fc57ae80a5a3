import { INestApplication } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { EnrolmentStatus, ErrorCode, JobName, QueueName } from '@dxtrain/shared/contracts';
import { EnrolmentService, OutboxService } from '@dxtrain/server/enrolment';
import { readXlsx, writeXlsx } from '@dxtrain/server/spreadsheets';
import { publishedCourse, runImport, startWorker } from '../testing/enrolment-helpers';
import { buildFixture, Fixture, FIXTURE_PASSWORD } from '../testing/fixtures';
import { createTestApp, signIn, TestApp } from '../testing/test-app';

type Auth = { Authorization: string };

describe('enrolment: manual, self, rules, bulk import, notifications', () => {
  let t: TestApp;
  let worker: INestApplication;
  let f: Fixture;
  let organiser: Auth;
  let manager: Auth;
  let learner: Auth;
  let courseId: string;
  let courseCode: string;

  const countPeople = async () => ((await t.db.query('SELECT count(*)::int AS n FROM people')) as Array<{ n: number }>)[0].n;
  const countEnrolments = async (course = courseId) =>
    ((await t.db.query('SELECT count(*)::int AS n FROM enrolments WHERE course_id = $1', [course])) as Array<{ n: number }>)[0].n;

  beforeAll(async () => {
    t = await createTestApp();
    worker = await startWorker();
    f = await buildFixture(t.db);
    organiser = await signIn(t.http, `organiser-${f.tag}`, FIXTURE_PASSWORD);
    manager = await signIn(t.http, `manager-${f.tag}`, FIXTURE_PASSWORD);
    learner = await signIn(t.http, `learner-${f.tag}`, FIXTURE_PASSWORD);
    courseCode = `ENR-${f.tag}`;
    courseId = await publishedCourse(t, organiser, courseCode, f.province.id);
  });
  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  describe('manual and self enrolment', () => {
    let personId: string;
    let enrolmentId: string;

    it('an organiser enrols a person once per course and year; the database refuses a duplicate', async () => {
      [{ id: personId }] = (await t.db.query('SELECT id FROM people WHERE staff_code = $1', [`A1-${f.tag}`])) as Array<{ id: string }>;
      const res = await t.http.post('/api/enrolments').set(organiser).send({ personId, courseId, year: 2026, dueDate: '2026-12-31' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ personId, courseId, trainingYear: 2026, source: 'manual', status: 'enrolled', dueDate: '2026-12-31' });
      enrolmentId = res.body.id;
      const again = await t.http.post('/api/enrolments').set(organiser).send({ personId, courseId, year: 2026 });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe(ErrorCode.EnrolmentExists);
      await expect(
        t.db.query(`INSERT INTO enrolments (person_id, course_id, training_year, source, status) VALUES ($1, $2, 2026, 'manual', 'enrolled')`, [personId, courseId]),
      ).rejects.toThrow(/UQ_enrolments_person_course_year|duplicate key/);
    });

    it('a district manager cannot enrol someone outside their district, nor see their enrolments', async () => {
      const [{ id: outside }] = (await t.db.query('SELECT id FROM people WHERE staff_code = $1', [`B1-${f.tag}`])) as Array<{ id: string }>;
      const res = await t.http.post('/api/enrolments').set(manager).send({ personId: outside, courseId, year: 2026 });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe(ErrorCode.PersonOutOfScope);
      expect(await t.db.query('SELECT 1 FROM enrolments WHERE person_id = $1', [outside])).toHaveLength(0);
      const list = await t.http.get(`/api/enrolments?courseId=${courseId}`).set(manager);
      expect(list.status).toBe(200);
      // A1 lives in commune 1a, under the manager's district: visible. Nobody else is.
      expect(list.body.items.map((e: { personId: string }) => e.personId)).toEqual([personId]);
    });

    it('withdrawal keeps the record; a learner sees only their own enrolments', async () => {
      const w = await t.http.post(`/api/enrolments/${enrolmentId}/withdraw`).set(manager);
      expect(w.status).toBe(200);
      expect(w.body.status).toBe(EnrolmentStatus.Withdrawn);
      expect(w.body.withdrawnAt).not.toBeNull();
      const mine = await t.http.get('/api/enrolments').set(learner);
      expect(mine.body.items).toEqual([]);
      const self = await t.http.post('/api/enrolments/self').set(learner).send({ courseId });
      expect(self.status).toBe(201);
      expect(self.body).toMatchObject({ source: 'self', status: 'enrolled' });
      const mine2 = await t.http.get('/api/enrolments').set(learner);
      expect(mine2.body.items.map((e: { id: string }) => e.id)).toEqual([self.body.id]);
      // Someone else's enrolment is not even visible to a learner.
      const other = await t.http.post(`/api/enrolments/${self.body.id}/withdraw`).set(manager);
      expect(other.status).toBe(200);
      await t.db.query(`UPDATE enrolments SET status = 'enrolled', withdrawn_at = NULL WHERE id = $1`, [self.body.id]);
      const notMine = await t.http.post(`/api/enrolments/${enrolmentId}/withdraw`).set(learner);
      expect(notMine.status).toBe(404);
      expect(notMine.body.code).toBe(ErrorCode.EnrolmentNotFound);
    });

    it('self-enrolment is refused when the course targets another network category', async () => {
      const targeted = await publishedCourse(t, organiser, `TGT-${f.tag}`, f.province.id, ['cyber_incident_response']);
      const res = await t.http.post('/api/enrolments/self').set(learner).send({ courseId: targeted });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe(ErrorCode.SelfEnrolmentClosed);
    });

    it('course.completed marks the enrolment completed', async () => {
      const [{ id: learnerPersonId }] = (await t.db.query('SELECT id FROM people WHERE staff_code = $1', [`L-${f.tag}`])) as Array<{ id: string }>;
      const events = t.app.get<Queue>(getQueueToken(QueueName.Events));
      // The worker here runs the enrolment processors, including the events consumer.
      const job = await events.add(JobName.CourseCompleted, {
        completionId: '00000000-0000-4000-8000-000000000001',
        personId: learnerPersonId,
        courseId,
        courseVersionId: '00000000-0000-4000-8000-000000000002',
        completedAt: new Date().toISOString(),
        score: 0.8,
        trainingYear: new Date().getFullYear(),
      });
      for (let i = 0; i < 100 && !(await job.isCompleted()); i++) await new Promise((r) => setTimeout(r, 100));
      const mine = await t.http.get('/api/enrolments').set(learner);
      expect(mine.body.items[0]).toMatchObject({ courseId, status: 'completed' });
    });
  });

  describe('audience rules', () => {
    it('enrols everyone matching the rule in the subtree, once, and counts the matches', async () => {
      const rulesCourse = await publishedCourse(t, organiser, `RULE-${f.tag}`, f.province.id);
      const res = await t.http.post('/api/audience-rules').set(organiser).send({ courseId: rulesCourse, orgUnitId: f.district1.id, year: 2027 });
      expect(res.status).toBe(201);
      // District 1 holds L, A1 (commune 1a) and A2 (commune 1b).
      expect(res.body.matching).toBe(3);
      for (let i = 0; i < 100 && (await countEnrolments(rulesCourse)) < 3; i++) await new Promise((r) => setTimeout(r, 100));
      expect(await countEnrolments(rulesCourse)).toBe(3);
      // A person who joins later is enrolled at the next evaluation; nobody twice.
      await t.db.query(
        `INSERT INTO people (province_id, staff_code, full_name, org_unit_id, search_text, sort_key) VALUES ($1, $2, 'Vũ Thị Mai', $3, 'vu thi mai', 'mai')`,
        [f.province.id, `NEW-${f.tag}`, f.commune1b.id],
      );
      const enrolled = await worker.get(EnrolmentService).evaluateRules();
      expect(enrolled).toBe(1);
      expect(await countEnrolments(rulesCourse)).toBe(4);
      const outOfScope = await t.http.post('/api/audience-rules').set(manager).send({ courseId: rulesCourse, orgUnitId: f.district2.id, year: 2027 });
      expect(outOfScope.status).toBe(403);
    });

    it('people who join, move into the subtree or change category are enrolled by the worker at once, without waiting for the sweep', async () => {
      const course = await publishedCourse(t, organiser, `RULE2-${f.tag}`, f.province.id);
      const rule = await t.http.post('/api/audience-rules').set(organiser).send({ courseId: course, orgUnitId: f.district2.id, networkCategory: 'community_digital_team', year: 2027 });
      expect(rule.status).toBe(201);
      const enrolledIn = async (personId: string) =>
        ((await t.db.query('SELECT count(*)::int AS n FROM enrolments WHERE course_id = $1 AND person_id = $2', [course, personId])) as Array<{ n: number }>)[0].n;
      const eventually = async (personId: string) => {
        for (let i = 0; i < 100 && (await enrolledIn(personId)) === 0; i++) await new Promise((r) => setTimeout(r, 100));
        return enrolledIn(personId);
      };
      // Joins (created through the staff registry) in the rule's subtree with the category.
      const joined = await t.http.post('/api/staff').set(organiser).send({ staffCode: `J-${f.tag}`, fullName: 'Siu H\'Lan', orgUnitId: f.commune2a.id, networkCategory: 'community_digital_team' });
      expect(joined.status).toBe(201);
      expect(await eventually(joined.body.id)).toBe(1);
      // Created elsewhere, then moved into the subtree.
      const mover = await t.http.post('/api/staff').set(organiser).send({ staffCode: `MV-${f.tag}`, fullName: 'Ksor Y Mơn', orgUnitId: f.commune1a.id, networkCategory: 'community_digital_team' });
      expect(mover.status).toBe(201);
      await new Promise((r) => setTimeout(r, 300));
      expect(await enrolledIn(mover.body.id)).toBe(0);
      expect((await t.http.patch(`/api/staff/${mover.body.id}`).set(organiser).send({ orgUnitId: f.commune2a.id })).status).toBe(200);
      expect(await eventually(mover.body.id)).toBe(1);
      // In the subtree with another category, then changed to the rule's category.
      const other = await t.http.post('/api/staff').set(organiser).send({ staffCode: `CT-${f.tag}`, fullName: 'Rah Lan Hiền', orgUnitId: f.commune2a.id, networkCategory: 'commune_official' });
      await new Promise((r) => setTimeout(r, 300));
      expect(await enrolledIn(other.body.id)).toBe(0);
      expect((await t.http.patch(`/api/staff/${other.body.id}`).set(organiser).send({ networkCategory: 'community_digital_team' })).status).toBe(200);
      expect(await eventually(other.body.id)).toBe(1);
    });
  });

  describe('bulk import', () => {
    const header = 'Mã cán bộ;Họ và tên;Email;Mã đơn vị;Vị trí việc làm;Nhóm mạng lưới';
    const good = (i: number) => `IMP${i}-${f.tag};"Nguyễn Văn  Bình ${i}";binh${i}.${f.tag}@example.gov.vn;${f.commune1a.code};Chuyên viên;Đầu mối CĐS của đơn vị`;
    let file: Buffer;

    beforeAll(() => {
      const lines = [
        header,
        good(1),
        good(2),
        good(3),
        `L-${f.tag};Nguyễn Thị Hương;;${f.commune1a.code};;`, // existing person, unchanged
        `UNK-${f.tag};Trần Văn Cường;;KHONG-CO-${f.tag};;`, // unknown unit
        `BAD-${f.tag};Lê Văn Dũng;not-an-email;${f.commune1a.code};;`, // invalid email
        `IMP1-${f.tag};Bản sao;;${f.commune1a.code};;`, // duplicate of row 2
        `LONG-${f.tag};${'Nguyễn '.repeat(40)};;${f.commune1a.code};;`, // over-long name
        `FORM-${f.tag};"=HYPERLINK(""http://evil.example"",""x"")";;${f.commune1a.code};;`, // formula
        `CAT-${f.tag};Phạm Thị Én;;${f.commune1a.code};;Nhóm không tồn tại`, // unknown category
        `OTHER-${f.tag};Hoàng Văn Giang;;Q-${f.tag};;`, // other province: out of scope for the organiser
      ];
      file = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines.join('\r\n') + '\r\n')]);
    });

    it('offers templates in CSV and XLSX with the header row and one valid example', async () => {
      const csv = await t.http.get('/api/enrolment-imports/template.csv').set(organiser);
      expect(csv.status).toBe(200);
      expect(csv.text.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('Mã cán bộ,Họ và tên,Email,Mã đơn vị,Vị trí việc làm,Nhóm mạng lưới,Mã khoá học');
      const xlsx = await t.http.get('/api/enrolment-imports/template.xlsx').set(organiser).buffer(true).parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
      const table = await readXlsx(xlsx.body as Buffer);
      expect(table.headers).toContain('Mã cán bộ');
      expect(table.rows).toHaveLength(1);
    });

    // Row 5 is the learner, already (self-)enrolled this year: counted as already enrolled.
    it('a dry run counts exactly what a real run would do and writes nothing', async () => {
      const people = await countPeople();
      const s = await runImport(t, organiser, file, 'danh-sach.csv', { courseId, year: '2026', dryRun: 'true' });
      expect(s).toMatchObject({ status: 'completed', dryRun: true, totalRows: 11, processedRows: 11, createdPeople: 3, updatedPeople: 0, enrolled: 3, alreadyEnrolled: 1, failedRows: 7 });
      expect(await countPeople()).toBe(people);
      expect(await t.db.query('SELECT 1 FROM enrolments WHERE import_id = $1', [s.id])).toHaveLength(0);
    });

    it('imports good rows, reports every bad row with its number, column and a Vietnamese message', async () => {
      const people = await countPeople();
      const s = await runImport(t, organiser, file, 'danh-sach.csv', { courseId, year: '2026' });
      expect(s).toMatchObject({ status: 'completed', totalRows: 11, processedRows: 11, createdPeople: 3, updatedPeople: 0, enrolled: 3, alreadyEnrolled: 1, failedRows: 7 });
      expect(await countPeople()).toBe(people + 3);
      const [bình] = (await t.db.query('SELECT full_name, email, network_category FROM people WHERE staff_code = $1', [`IMP1-${f.tag}`])) as Array<Record<string, string>>;
      expect(bình).toEqual({ full_name: 'Nguyễn Văn Bình 1', email: `binh1.${f.tag}@example.gov.vn`, network_category: 'unit_focal_point' });
      const rows = s.firstErrors.map((e) => e.rowNumber).sort((a, b) => a - b);
      expect(rows).toEqual([6, 7, 8, 9, 10, 11, 12]);
      const byRow = new Map(s.firstErrors.map((e) => [e.rowNumber, e]));
      expect(byRow.get(6)?.message).toContain('không tồn tại');
      expect(byRow.get(7)).toMatchObject({ column: 'Email' });
      expect(byRow.get(8)?.message).toContain('Trùng với dòng 2');
      expect(byRow.get(9)?.message).toContain('200 ký tự');
      expect(byRow.get(10)?.message).toContain('công thức');
      expect(byRow.get(11)).toMatchObject({ column: 'Nhóm mạng lưới' });
      expect(byRow.get(12)?.message).toContain('ngoài phạm vi');

      const errors = await t.http.get(`/api/enrolment-imports/${s.id}/errors.csv`).set(organiser);
      expect(errors.status).toBe(200);
      expect(errors.headers['content-type']).toContain('text/csv');
      const lines = errors.text.replace(/^\uFEFF/, '').trim().split('\r\n');
      expect(lines[0]).toBe('Dòng,Cột,Lỗi');
      expect(lines).toHaveLength(8);
      for (const line of lines) for (const cell of line.split(',')) expect(cell).not.toMatch(/^"?[=+@]/);
    });

    it('re-uploading the same file creates nothing new', async () => {
      const people = await countPeople();
      const enrolments = await countEnrolments();
      const s = await runImport(t, organiser, file, 'danh-sach.csv', { courseId, year: '2026' });
      expect(s).toMatchObject({ status: 'completed', createdPeople: 0, updatedPeople: 0, enrolled: 0, alreadyEnrolled: 4, failedRows: 7 });
      expect(await countPeople()).toBe(people);
      expect(await countEnrolments()).toBe(enrolments);
    });

    it('reads XLSX with English headers and course codes per row, and updates changed people', async () => {
      const xlsx = await writeXlsx([
        {
          name: 'Sheet1',
          headers: ['Staff code', 'Full name', 'Email', 'Unit code', 'Position', 'Network category', 'Course code'],
          rows: [
            [`IMP1-${f.tag}`, 'Nguyễn Văn Bình 1', `binh1.${f.tag}@example.gov.vn`, f.commune1b.code, 'Trưởng phòng', 'unit_focal_point', courseCode],
            [`IMP9-${f.tag}`, 'Đỗ Thị Hoa', '', f.commune1b.code, '', '', courseCode],
            [`IMP8-${f.tag}`, 'Đỗ Văn Khánh', '', f.commune1b.code, '', '', `NOPE-${f.tag}`],
          ],
        },
      ]);
      const s = await runImport(t, organiser, xlsx, 'list.xlsx', { year: '2027' });
      expect(s).toMatchObject({ status: 'completed', totalRows: 3, createdPeople: 1, updatedPeople: 1, enrolled: 2, failedRows: 1 });
      expect(s.firstErrors[0]).toMatchObject({ rowNumber: 4, column: 'Mã khoá học' });
      const [moved] = (await t.db.query('SELECT org_unit_id, position FROM people WHERE staff_code = $1', [`IMP1-${f.tag}`])) as Array<Record<string, string>>;
      expect(moved).toEqual({ org_unit_id: f.commune1b.id, position: 'Trưởng phòng' });
    });

    it('a district manager can only import into their district', async () => {
      const lines = [header, `MGR1-${f.tag};Ngô Thị Lan;;${f.commune1a.code};;`, `MGR2-${f.tag};Ngô Văn Long;;${f.commune2a.code};;`];
      const s = await runImport(t, manager, Buffer.from(lines.join('\n')), 'm.csv', { courseId, year: '2026' });
      expect(s).toMatchObject({ status: 'completed', createdPeople: 1, enrolled: 1, failedRows: 1 });
      expect(s.firstErrors[0].message).toContain('ngoài phạm vi');
      expect(await t.db.query('SELECT 1 FROM people WHERE staff_code = $1', [`MGR2-${f.tag}`])).toHaveLength(0);
      // Nor read the organiser's imports.
      const list = await t.http.get('/api/enrolment-imports').set(manager);
      expect(list.body.every((i: { createdBy: string }) => i.createdBy === `manager-${f.tag}`)).toBe(true);
    });

    it('fails a file that cannot be read with a clear reason, writing nothing', async () => {
      const people = await countPeople();
      const cases: Array<[Buffer, string, RegExp]> = [
        [Buffer.from([0x00, 0x01, 0x02, 0xff, 0x00, 0x10]), 'x.csv', /CSV|UTF-8/],
        [Buffer.from('a;b;c\n1;2;3\n'), 'x.csv', /tiêu đề/],
        [Buffer.from('Mã cán bộ;Họ và tên\nX;Y\n'), 'x.csv', /Thiếu cột bắt buộc: "Mã đơn vị"/],
        [Buffer.from('Mã cán bộ;Họ và tên;Mã đơn vị\n'), 'x.csv', /không có dòng dữ liệu/],
        [Buffer.from('PK\x03\x04 not really a zip'), 'x.xlsx', /./],
      ];
      for (const [content, name, reason] of cases) {
        const s = await runImport(t, organiser, content, name, { courseId });
        expect(s.status).toBe('failed');
        expect(s.failureReason).toMatch(reason);
        expect(s.enrolled + s.createdPeople).toBe(0);
      }
      expect(await countPeople()).toBe(people);
    });

    it('refuses uploads without a file, with a bad course or year, and from learners', async () => {
      const none = await t.http.post('/api/enrolment-imports').set(organiser).field('courseId', courseId);
      expect(none.status).toBe(400);
      expect(none.body.code).toBe(ErrorCode.EnrolmentImportFileMissing);
      const badYear = await t.http.post('/api/enrolment-imports').set(organiser).attach('file', file, 'a.csv').field('year', 'abc');
      expect(badYear.status).toBe(400);
      const badCourse = await t.http.post('/api/enrolment-imports').set(organiser).attach('file', file, 'a.csv').field('courseId', '00000000-0000-4000-8000-000000000000');
      expect(badCourse.status).toBe(404);
      const asLearner = await t.http.post('/api/enrolment-imports').set(learner).attach('file', file, 'a.csv');
      expect(asLearner.status).toBe(403);
      const imports = ((await t.db.query('SELECT count(*)::int AS n FROM enrolment_imports')) as Array<{ n: number }>)[0].n;
      const huge = await t.http.post('/api/enrolment-imports').set(organiser).attach('file', Buffer.alloc(50 * 1024 * 1024 + 1, 0x41), 'huge.csv');
      expect(huge.status).toBe(413);
      expect(huge.body.code).toBe(ErrorCode.EnrolmentImportTooLarge);
      expect(((await t.db.query('SELECT count(*)::int AS n FROM enrolment_imports')) as Array<{ n: number }>)[0].n).toBe(imports);
    });
  });

  describe('notifications', () => {
    it('without SMTP, messages stay held in the outbox, visible to admins', async () => {
      const outbox = worker.get(OutboxService);
      await outbox.flush();
      const admin = await signIn(t.http, `admin-${f.tag}`, FIXTURE_PASSWORD);
      const held = await t.http.get('/api/admin/outbox?status=held').set(admin);
      expect(held.status).toBe(200);
      expect(held.body.some((m: { to: string }) => m.to === `binh1.${f.tag}@example.gov.vn`)).toBe(true);
      const asOrganiser = await t.http.get('/api/admin/outbox').set(organiser);
      expect(asOrganiser.status).toBe(403);
    });

    it('with SMTP, sends each pending message once; a failing server leaves them pending for a retry', async () => {
      const received: string[] = [];
      let reject = true;
      const server = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS'],
        onRcptTo(address, _session, cb) {
          if (reject) return cb(new Error('mailbox unavailable'));
          received.push(address.address);
          cb();
        },
        onData(stream, _session, cb) {
          stream.resume();
          stream.on('end', () => cb());
        },
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
      const port = (server.server.address() as AddressInfo).port;
      process.env['SMTP_URL'] = `smtp://127.0.0.1:${port}`;
      const mailWorker = await startWorker();
      try {
        const outbox = mailWorker.get(OutboxService);
        // Only this file's messages (other test files share the database).
        const mine = ((await t.db.query(`SELECT id FROM outbox_messages WHERE status = 'held' AND to_address LIKE $1`, [`%.${f.tag}@example.gov.vn`])) as Array<{ id: string }>).map((m) => m.id);
        const requeued = await outbox.requeue(mine);
        expect(requeued).toBeGreaterThan(0);
        const first = await outbox.flush();
        expect(first.sent).toBe(0);
        expect(await outbox.pendingCount()).toBe(requeued);
        reject = false;
        const second = await outbox.flush();
        expect(second.sent).toBe(requeued);
        expect(received).toHaveLength(requeued);
        const sent = (await t.db.query(`SELECT count(*)::int AS n FROM outbox_messages WHERE status = 'sent' AND attempts = 2 AND id = ANY($1::uuid[])`, [mine])) as Array<{ n: number }>;
        expect(sent[0].n).toBe(requeued);
        expect(await outbox.pendingCount()).toBe(0);
        const third = await outbox.flush();
        expect(third.sent).toBe(0);
      } finally {
        delete process.env['SMTP_URL'];
        await mailWorker.close();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    });
  });
});
