import { ScheduleConflict } from '@dxtrain/shared/contracts';
import { findConflicts, firstInvalidSession, overlaps } from './conflicts';

const span = (a: string, b: string) => ({ startsAt: new Date(a), endsAt: new Date(b) });
const booking = (over: Partial<ScheduleConflict>): ScheduleConflict => ({
  kind: 'trainer',
  who: 'Trần Văn Giảng',
  classId: 'other',
  classTitle: 'Lớp khác',
  sessionId: 's1',
  startsAt: '2026-12-05T01:00:00.000Z',
  endsAt: '2026-12-05T04:00:00.000Z',
  ...over,
});

describe('schedule conflicts', () => {
  it('treats sessions as half-open intervals', () => {
    expect(overlaps(span('2026-12-05T01:00Z', '2026-12-05T03:00Z'), span('2026-12-05T02:59Z', '2026-12-05T05:00Z'))).toBe(true);
    expect(overlaps(span('2026-12-05T01:00Z', '2026-12-05T03:00Z'), span('2026-12-05T03:00Z', '2026-12-05T05:00Z'))).toBe(false);
    expect(overlaps(span('2026-12-05T01:00Z', '2026-12-05T09:00Z'), span('2026-12-05T03:00Z', '2026-12-05T04:00Z'))).toBe(true);
  });

  it('reports overlapping bookings of other classes once each, earliest first, ignoring the class itself', () => {
    const mine = [span('2026-12-05T02:00Z', '2026-12-05T05:00Z'), span('2026-12-06T02:00Z', '2026-12-06T05:00Z')];
    const found = findConflicts(
      mine,
      [
        booking({ sessionId: 'late', startsAt: '2026-12-06T04:00:00.000Z', endsAt: '2026-12-06T06:00:00.000Z', kind: 'room', who: 'Phòng 201' }),
        booking({}),
        booking({}),
        booking({ classId: 'mine', sessionId: 'own' }),
        booking({ sessionId: 'apart', startsAt: '2026-12-07T02:00:00.000Z', endsAt: '2026-12-07T05:00:00.000Z' }),
      ],
      'mine',
    );
    expect(found.map((c) => `${c.kind}:${c.sessionId}`)).toEqual(['trainer:s1', 'room:late']);
  });

  it('finds the first session that does not end after it starts', () => {
    expect(firstInvalidSession([span('2026-12-05T01:00Z', '2026-12-05T02:00Z'), span('2026-12-05T03:00Z', '2026-12-05T03:00Z')])).toBe(1);
    expect(firstInvalidSession([span('2026-12-05T01:00Z', '2026-12-05T02:00Z')])).toBe(-1);
  });
});
