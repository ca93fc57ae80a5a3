import ICAL from 'ical.js';
import { buildCalendar, escapeText, foldLine, IcsClass, IcsSession, localStamp, sessionUid } from './ics';

const cls: IcsClass = {
  id: 'c1',
  title: 'Tập huấn chuyển đổi số; kỹ năng số, an toàn thông tin cho cán bộ cấp xã tỉnh Gia Lai năm 2026',
  location: 'Phòng 201, Sở Khoa học và Công nghệ, 15 Trần Hưng Đạo, Pleiku',
  meetingUrl: null,
  description: 'Đơn vị tổ chức: Sở KH&CN\nĐối tượng: cán bộ cấp xã',
  organiserName: 'Sở Khoa học và Công nghệ',
  organiserEmail: 'no-reply@dxtrain.local',
};
const session = (over: Partial<IcsSession> = {}): IcsSession => ({
  id: '5f0c1d6e-8f0a-4c9a-9b1e-2d7f3a1b2c3d',
  startsAt: new Date('2026-12-05T01:00:00Z'),
  endsAt: new Date('2026-12-05T04:30:00Z'),
  sequence: 0,
  cancelled: false,
  index: 1,
  count: 2,
  ...over,
});

describe('iCalendar generation', () => {
  it('is valid RFC 5545 that ical.js parses: UID, SEQUENCE, local times in Asia/Ho_Chi_Minh', () => {
    const text = buildCalendar('REQUEST', [{ cls, session: session({ sequence: 3 }) }], { name: 'Nguyễn Thị Hương', email: 'huong@example.gov.vn' }, new Date('2026-12-01T00:00:00Z'));
    const comp = new ICAL.Component(ICAL.parse(text));
    expect(comp.getFirstPropertyValue('method')).toBe('REQUEST');
    const tz = comp.getFirstSubcomponent('vtimezone');
    expect(tz?.getFirstPropertyValue('tzid')).toBe('Asia/Ho_Chi_Minh');
    const ev = new ICAL.Event(comp.getFirstSubcomponent('vevent') as ICAL.Component);
    expect(ev.uid).toBe(`session-${session().id}@dxtrain`);
    expect(ev.sequence).toBe(3);
    expect(ev.summary).toBe(`${cls.title} (buổi 1/2)`);
    expect(ev.location).toBe(cls.location);
    expect(ev.description).toBe(cls.description);
    // 08:00 local = 01:00 UTC
    ICAL.TimezoneService.register(new ICAL.Timezone(tz as ICAL.Component));
    expect(ev.startDate.toJSDate().toISOString()).toBe('2026-12-05T01:00:00.000Z');
    expect(ev.endDate.toJSDate().toISOString()).toBe('2026-12-05T04:30:00.000Z');
    expect(ev.attendees[0].getFirstValue()).toBe('mailto:huong@example.gov.vn');
  });

  it('uses CRLF everywhere and folds lines at 75 octets without splitting a UTF-8 character', () => {
    const text = buildCalendar('REQUEST', [{ cls, session: session() }], null);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(text).toContain('\r\n '); // the long summary was folded
    const folded = foldLine('SUMMARY:' + 'ệ'.repeat(60));
    expect(folded.split('\r\n ').join('')).toBe('SUMMARY:' + 'ệ'.repeat(60));
  });

  it('escapes TEXT values', () => {
    expect(escapeText('a,b;c\\d\ne')).toBe('a\\,b\\;c\\\\d\\ne');
  });

  it('CANCEL marks the event cancelled with the same UID', () => {
    const text = buildCalendar('CANCEL', [{ cls, session: session({ sequence: 4 }) }], null);
    const comp = new ICAL.Component(ICAL.parse(text));
    expect(comp.getFirstPropertyValue('method')).toBe('CANCEL');
    const ev = comp.getFirstSubcomponent('vevent') as ICAL.Component;
    expect(ev.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(ev.getFirstPropertyValue('uid')).toBe(sessionUid(session().id));
    expect(ev.getFirstPropertyValue('sequence')).toBe(4);
  });

  it('formats local time at UTC+7 across midnight', () => {
    expect(localStamp(new Date('2026-12-31T18:30:00Z'))).toBe('20270101T013000');
  });
});
