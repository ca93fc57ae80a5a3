import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { NewOutboxMessage, OutboxAttachment, writeOutboxMessages } from '@dxtrain/server/enrolment';
import { AppConfig } from '@dxtrain/server/platform';
import { buildCalendar, IcsClass, IcsMethod, IcsSession } from './ics';

interface ClassForIcs {
  id: string;
  title: string;
  mode: string;
  room: string | null;
  address: string | null;
  meeting_url: string | null;
  target_audience: string;
  status: string;
  unit_name: string;
}

interface SessionForIcs {
  id: string;
  class_id: string;
  starts_at: Date;
  ends_at: Date;
  sequence: number;
  cancelled_at: Date | null;
}

const fmt = new Intl.DateTimeFormat('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', weekday: 'long', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' });
const hm = new Intl.DateTimeFormat('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit' });

/** "thứ Bảy, 05/12/2026 08:00 – 11:30" */
export function sessionWhen(s: { starts_at: Date; ends_at: Date }): string {
  return `${fmt.format(s.starts_at)} – ${hm.format(s.ends_at)}`;
}

/**
 * Calendar invites and notices of the scheduling domain, written to the outbox in the caller's
 * transaction (so an e-mail exists exactly when the change it announces committed). Each session
 * travels as its own .ics attachment: an iTIP message (METHOD:REQUEST/CANCEL) carries one UID.
 */
@Injectable()
export class InviteService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
  ) {}

  private organiserEmail(): string {
    return /<([^>]+)>/.exec(this.config.SMTP_FROM)?.[1] ?? this.config.SMTP_FROM;
  }

  private async load(manager: EntityManager, classId: string): Promise<{ cls: ClassForIcs; sessions: SessionForIcs[] }> {
    const [cls] = (await manager.query(
      `SELECT k.id, k.title, k.mode, k.room, k.address, k.meeting_url, k.target_audience, k.status, u.name AS unit_name
         FROM training_classes k JOIN org_units u ON u.id = k.org_unit_id WHERE k.id = $1`,
      [classId],
    )) as ClassForIcs[];
    const sessions = (await manager.query(`SELECT id, class_id, starts_at, ends_at, sequence, cancelled_at FROM class_sessions WHERE class_id = $1 ORDER BY starts_at, id`, [classId])) as SessionForIcs[];
    return { cls, sessions };
  }

  icsClass(c: ClassForIcs): IcsClass {
    const location = c.mode === 'online' ? null : [c.room, c.address].filter(Boolean).join(', ') || null;
    return {
      id: c.id,
      title: c.title,
      location,
      meetingUrl: c.mode === 'in_person' ? null : c.meeting_url,
      description: [`Đơn vị tổ chức: ${c.unit_name}`, c.meeting_url && c.mode !== 'in_person' ? `Link học trực tuyến: ${c.meeting_url}` : '', c.target_audience ? `Đối tượng: ${c.target_audience}` : '']
        .filter(Boolean)
        .join('\n'),
      organiserName: c.unit_name,
      organiserEmail: this.organiserEmail(),
    };
  }

  /** Index among the class's sessions that were not cancelled (cancelled ones keep their old place). */
  private icsSessions(sessions: SessionForIcs[]): Map<string, IcsSession> {
    const live = sessions.filter((s) => !s.cancelled_at);
    const map = new Map<string, IcsSession>();
    sessions.forEach((s) => {
      const i = live.indexOf(s);
      map.set(s.id, { id: s.id, startsAt: s.starts_at, endsAt: s.ends_at, sequence: s.sequence, cancelled: !!s.cancelled_at, index: i >= 0 ? i + 1 : 0, count: live.length });
    });
    return map;
  }

  private attachments(method: IcsMethod, cls: ClassForIcs, sessions: IcsSession[], attendee: { name: string; email: string }): OutboxAttachment[] {
    const c = this.icsClass(cls);
    return sessions.map((s, i) => ({
      filename: sessions.length > 1 ? `lop-tap-huan-buoi-${s.index || i + 1}.ics` : 'lop-tap-huan.ics',
      contentType: `text/calendar; charset=UTF-8; method=${method}`,
      content: buildCalendar(method, [{ cls: c, session: s }], attendee),
    }));
  }

  private async registrant(manager: EntityManager, registrationId: string): Promise<{ class_id: string; full_name: string; email: string | null; id: string; person_id: string }> {
    const [r] = (await manager.query(
      `SELECT r.id, r.class_id, r.person_id, p.full_name, p.email FROM class_registrations r JOIN people p ON p.id = r.person_id WHERE r.id = $1`,
      [registrationId],
    )) as Array<{ class_id: string; full_name: string; email: string | null; id: string; person_id: string }>;
    return r;
  }

  /** A confirmed (or promoted from the waitlist) registrant gets every live session as REQUEST. */
  async confirmed(manager: EntityManager, registrationId: string, kind: 'confirmed' | 'promoted'): Promise<void> {
    const r = await this.registrant(manager, registrationId);
    if (!r.email) return;
    const { cls, sessions } = await this.load(manager, r.class_id);
    const ics = this.icsSessions(sessions);
    const live = sessions.filter((s) => !s.cancelled_at);
    const lead =
      kind === 'promoted'
        ? `Một chỗ trong lớp "${cls.title}" vừa trống: anh/chị đã được chuyển từ danh sách chờ sang danh sách chính thức.`
        : `Anh/chị đã được xác nhận tham gia lớp "${cls.title}".`;
    await writeOutboxMessages(manager, [
      {
        to: r.email,
        subject: kind === 'promoted' ? `Đã có chỗ trong lớp: ${cls.title}` : `Xác nhận tham gia lớp: ${cls.title}`,
        bodyText: `Kính gửi ${r.full_name},\n\n${lead}\n\nLịch học:\n${live.map((s, i) => `- Buổi ${i + 1}: ${sessionWhen(s)}`).join('\n')}\n${this.placeLine(cls)}\nLịch (.ics) được đính kèm để thêm vào lịch của anh/chị.\n\nTrân trọng.`,
        refId: r.id,
        personId: r.person_id,
        attachments: this.attachments('REQUEST', cls, live.map((s) => ics.get(s.id) as IcsSession), { name: r.full_name, email: r.email }),
      },
    ]);
  }

  /** The registrant cancelled (or was cancelled): METHOD:CANCEL for every live session. */
  async cancelledRegistration(manager: EntityManager, registrationId: string): Promise<void> {
    const r = await this.registrant(manager, registrationId);
    if (!r.email) return;
    const { cls, sessions } = await this.load(manager, r.class_id);
    const ics = this.icsSessions(sessions);
    const live = sessions.filter((s) => !s.cancelled_at);
    await writeOutboxMessages(manager, [
      {
        to: r.email,
        subject: `Huỷ đăng ký lớp: ${cls.title}`,
        bodyText: `Kính gửi ${r.full_name},\n\nĐăng ký của anh/chị vào lớp "${cls.title}" đã được huỷ. Các buổi học sẽ được gỡ khỏi lịch.\n\nTrân trọng.`,
        refId: r.id,
        personId: r.person_id,
        attachments: this.attachments('CANCEL', cls, live.map((s) => ics.get(s.id) as IcsSession), { name: r.full_name, email: r.email }),
      },
    ]);
  }

  async notice(manager: EntityManager, registrationId: string, kind: 'waitlisted' | 'pending' | 'rejected'): Promise<void> {
    const r = await this.registrant(manager, registrationId);
    if (!r.email) return;
    const { cls } = await this.load(manager, r.class_id);
    const text = {
      waitlisted: `Lớp "${cls.title}" đã đủ chỗ: anh/chị có tên trong danh sách chờ và sẽ được báo ngay khi có chỗ trống.`,
      pending: `Đăng ký của anh/chị vào lớp "${cls.title}" đang chờ phê duyệt.`,
      rejected: `Đăng ký của anh/chị vào lớp "${cls.title}" không được phê duyệt.`,
    }[kind];
    const subject = { waitlisted: 'Danh sách chờ', pending: 'Chờ phê duyệt', rejected: 'Không được phê duyệt' }[kind];
    await writeOutboxMessages(manager, [{ to: r.email, subject: `${subject}: ${cls.title}`, bodyText: `Kính gửi ${r.full_name},\n\n${text}\n\nTrân trọng.`, refId: r.id, personId: r.person_id }]);
  }

  /** Sessions moved, added or cancelled (their SEQUENCE already bumped): every confirmed registrant gets the update. */
  async sessionsChanged(manager: EntityManager, classId: string, sessionIds: string[], method: 'REQUEST' | 'CANCEL'): Promise<void> {
    if (sessionIds.length === 0) return;
    const { cls, sessions } = await this.load(manager, classId);
    const ics = this.icsSessions(sessions);
    const changed = sessions.filter((s) => sessionIds.includes(s.id));
    const people = (await manager.query(
      `SELECT r.id, r.person_id, p.full_name, p.email FROM class_registrations r JOIN people p ON p.id = r.person_id
        WHERE r.class_id = $1 AND r.status = 'confirmed' AND p.email IS NOT NULL`,
      [classId],
    )) as Array<{ id: string; person_id: string; full_name: string; email: string }>;
    const what =
      method === 'CANCEL'
        ? cls.status === 'cancelled'
          ? `Lớp "${cls.title}" đã bị huỷ.`
          : `Buổi học sau của lớp "${cls.title}" đã bị huỷ:`
        : `Lịch lớp "${cls.title}" đã thay đổi. Lịch mới:`;
    const messages: NewOutboxMessage[] = people.map((p) => ({
      to: p.email,
      subject: `${method === 'CANCEL' ? 'Huỷ' : 'Cập nhật'} lịch học: ${cls.title}`,
      bodyText: `Kính gửi ${p.full_name},\n\n${what}\n${changed.map((s) => `- ${sessionWhen(s)}`).join('\n')}\n${this.placeLine(cls)}\nLịch (.ics) đính kèm sẽ cập nhật lịch của anh/chị.\n\nTrân trọng.`,
      refId: p.id,
      personId: p.person_id,
      attachments: this.attachments(method, cls, changed.map((s) => ics.get(s.id) as IcsSession), { name: p.full_name, email: p.email }),
    }));
    await writeOutboxMessages(manager, messages);
  }

  private placeLine(c: ClassForIcs): string {
    const place = [c.room, c.address].filter(Boolean).join(', ');
    return [c.mode !== 'online' && place ? `Địa điểm: ${place}` : '', c.mode !== 'in_person' && c.meeting_url ? `Link học trực tuyến: ${c.meeting_url}` : ''].filter(Boolean).join('\n');
  }

  /** A subscribed calendar (METHOD:PUBLISH): every session of the classes the person is confirmed for. */
  async personalCalendar(personId: string): Promise<string> {
    const rows = (await this.db.query(
      `SELECT r.class_id FROM class_registrations r JOIN training_classes k ON k.id = r.class_id
        WHERE r.person_id = $1 AND r.status = 'confirmed' AND k.status <> 'draft'`,
      [personId],
    )) as Array<{ class_id: string }>;
    const events: Parameters<typeof buildCalendar>[1] = [];
    for (const { class_id } of rows) {
      const { cls, sessions } = await this.load(this.db.manager, class_id);
      const ics = this.icsSessions(sessions);
      const c = this.icsClass(cls);
      for (const s of sessions) events.push({ cls: c, session: { ...(ics.get(s.id) as IcsSession), cancelled: !!s.cancelled_at || cls.status === 'cancelled' } });
    }
    return buildCalendar('PUBLISH', events, null);
  }

  /** One class's sessions as a downloadable calendar ("add to calendar"). */
  async classCalendar(classId: string): Promise<string> {
    const { cls, sessions } = await this.load(this.db.manager, classId);
    const ics = this.icsSessions(sessions);
    const c = this.icsClass(cls);
    return buildCalendar(
      'PUBLISH',
      sessions.map((s) => ({ cls: c, session: { ...(ics.get(s.id) as IcsSession), cancelled: !!s.cancelled_at || cls.status === 'cancelled' } })),
      null,
    );
  }
}
