import { ScheduleConflict } from '@dxtrain/shared/contracts';

export interface TimeSpan {
  startsAt: Date;
  endsAt: Date;
}

/** Half-open intervals: a session ending at 10:00 does not clash with one starting at 10:00. */
export function overlaps(a: TimeSpan, b: TimeSpan): boolean {
  return a.startsAt.getTime() < b.endsAt.getTime() && b.startsAt.getTime() < a.endsAt.getTime();
}

/** Booked sessions of other classes, each tagged with who (trainer, room, learner) they occupy. */
export type Booking = ScheduleConflict;

/**
 * The bookings that clash with any of `sessions` (other classes only: a class's own sessions are
 * never a conflict). Each clashing booking is reported once, earliest first.
 */
export function findConflicts(sessions: TimeSpan[], bookings: Booking[], ownClassId: string | null): ScheduleConflict[] {
  const seen = new Set<string>();
  const out: ScheduleConflict[] = [];
  for (const b of bookings) {
    if (b.classId === ownClassId) continue;
    const span = { startsAt: new Date(b.startsAt), endsAt: new Date(b.endsAt) };
    if (!sessions.some((s) => overlaps(s, span))) continue;
    const key = `${b.kind}:${b.who}:${b.sessionId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(b);
  }
  return out.sort((x, y) => x.startsAt.localeCompare(y.startsAt) || x.kind.localeCompare(y.kind));
}

/** Index (0-based) of the first session that does not end after it starts, or -1. */
export function firstInvalidSession(sessions: TimeSpan[]): number {
  return sessions.findIndex((s) => !(s.endsAt.getTime() > s.startsAt.getTime()));
}
