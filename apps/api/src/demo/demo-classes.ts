import { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ClassesService } from '@dxtrain/server/scheduling';
import { ClassApproval, ClassMode, Role } from '@dxtrain/shared/contracts';
import { organiserActor } from './demo-courses';

/** Titles of the demo classes (the first one marks the demo as loaded). */
export const DEMO_CLASS_TITLES = ['Tập huấn kỹ năng số cho cán bộ cấp xã – đợt 1', 'Bồi dưỡng trực tuyến: an toàn thông tin khi làm việc từ xa'] as const;

/** Monday 00:00 (Asia/Ho_Chi_Minh) of next week, as an instant. */
function nextMondayVn(now = new Date()): Date {
  const vn = new Date(now.getTime() + 7 * 3600_000);
  const daysToMonday = ((8 - vn.getUTCDay()) % 7) || 7;
  const monday = Date.UTC(vn.getUTCFullYear(), vn.getUTCMonth(), vn.getUTCDate() + daysToMonday);
  return new Date(monday - 7 * 3600_000);
}

/** `day` days after next Monday, at hh:mm in Vietnam. */
const at = (monday: Date, day: number, hh: number, mm = 0) => new Date(monday.getTime() + day * 86_400_000 + (hh * 60 + mm) * 60_000).toISOString();

/**
 * Two upcoming classes in Gia Lai, built through the scheduling service as the demo organiser
 * would: an in-person class over two mornings next week and an online one over three afternoons,
 * each opened with a few staff registered by the organiser. The demo learner is left free to
 * register. Idempotent: skipped when the first demo class exists.
 */
export async function seedDemoClasses(app: INestApplicationContext, log: (msg: string) => void = () => undefined): Promise<boolean> {
  const db = app.get(DataSource);
  const [{ exists }] = await db.query(`SELECT EXISTS (SELECT 1 FROM training_classes WHERE title = $1) AS exists`, [DEMO_CLASS_TITLES[0]]);
  if (exists) return false;
  const organiser = await organiserActor(app);
  if (!organiser) return false;
  const province = organiser.grants.find((g) => g.role === Role.Organiser);
  if (!province) return false;
  const classes = app.get(ClassesService);
  const monday = nextMondayVn();

  const inPerson = await classes.create(organiser, {
    title: DEMO_CLASS_TITLES[0],
    mode: ClassMode.InPerson,
    orgUnitId: province.orgUnitId,
    room: 'Hội trường tầng 3, Sở Khoa học và Công nghệ',
    address: '15 Trần Hưng Đạo, phường Tây Sơn, Pleiku, Gia Lai',
    capacity: 30,
    periods: 8,
    targetAudience: 'Công chức Văn phòng – Thống kê, thành viên tổ công nghệ số cộng đồng cấp xã',
    approval: ClassApproval.None,
    trainers: [{ name: 'ThS. Nguyễn Văn Tâm (Trung tâm CNTT-TT)' }],
    sessions: [
      { startsAt: at(monday, 1, 8), endsAt: at(monday, 1, 11, 30) },
      { startsAt: at(monday, 2, 8), endsAt: at(monday, 2, 11, 30) },
    ],
  });
  const online = await classes.create(organiser, {
    title: DEMO_CLASS_TITLES[1],
    mode: ClassMode.Online,
    orgUnitId: province.orgUnitId,
    meetingUrl: 'https://meet.example.gov.vn/attt-tu-xa',
    capacity: 100,
    periods: 6,
    targetAudience: 'Cán bộ, công chức, viên chức các sở, ban, ngành',
    trainers: [{ name: 'KS. Trần Thị Lan (Công an tỉnh)' }],
    sessions: [
      { startsAt: at(monday, 7, 14), endsAt: at(monday, 7, 16, 30) },
      { startsAt: at(monday, 9, 14), endsAt: at(monday, 9, 16, 30) },
      { startsAt: at(monday, 11, 14), endsAt: at(monday, 11, 16, 30) },
    ],
  });
  for (const c of [inPerson, online]) await classes.setStatus(organiser, c.id, { status: 'open' });

  // A few staff of the province (never the demo learner's account), registered by the organiser.
  const people = (await db.query(
    `SELECT p.id FROM people p JOIN org_units u ON u.id = p.org_unit_id
      WHERE u.path LIKE $1 AND p.active AND NOT EXISTS (SELECT 1 FROM users x WHERE x.person_id = p.id)
      ORDER BY p.sort_key COLLATE "C" LIMIT 14`,
    [`${province.path}%`],
  )) as Array<{ id: string }>;
  for (const [i, p] of people.entries()) await classes.register(organiser, i % 2 ? online.id : inPerson.id, { personId: p.id });
  log(`Demo classes: ${DEMO_CLASS_TITLES.join('; ')} (${people.length} registrations).`);
  return true;
}
