/**
 * iCalendar (RFC 5545) text for class sessions, written by hand: one VTIMEZONE for
 * Asia/Ho_Chi_Minh (UTC+7, no daylight saving), CRLF line endings, lines folded at 75 octets
 * (never inside a UTF-8 sequence), TEXT values escaped. The UID of a session never changes
 * (`session-<id>@dxtrain`) and its SEQUENCE grows with every change, so calendar clients update
 * the event they already have instead of adding a second one.
 */

export const ICS_TZID = 'Asia/Ho_Chi_Minh';
const PRODID = '-//dxtrain//Training classes//VI';

export type IcsMethod = 'REQUEST' | 'CANCEL' | 'PUBLISH';

export interface IcsSession {
  id: string;
  startsAt: Date;
  endsAt: Date;
  sequence: number;
  cancelled: boolean;
  /** Which session of how many, for the summary ("buổi 2/3"). */
  index: number;
  count: number;
}

export interface IcsClass {
  id: string;
  title: string;
  location: string | null;
  meetingUrl: string | null;
  description: string;
  organiserName: string;
  organiserEmail: string;
}

export interface IcsAttendee {
  name: string;
  email: string | null;
}

export function sessionUid(sessionId: string): string {
  return `session-${sessionId}@dxtrain`;
}

/** Escapes a TEXT value (RFC 5545 §3.3.11). */
export function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** Folds one content line at 75 octets; continuation lines start with a space (§3.1). */
export function foldLine(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let current = '';
  let size = 0;
  let limit = 75;
  for (const ch of line) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (size + n > limit) {
      parts.push(current);
      current = '';
      size = 0;
      limit = 74; // the leading space counts
    }
    current += ch;
    size += n;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

const pad = (n: number) => String(n).padStart(2, '0');

/** 20261205T010000Z */
export function utcStamp(d: Date): string {
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;
}

/** Local time in Asia/Ho_Chi_Minh (fixed UTC+7), e.g. 20261205T080000. */
export function localStamp(d: Date): string {
  const l = new Date(d.getTime() + 7 * 3600_000);
  return `${l.getUTCFullYear()}${pad(l.getUTCMonth() + 1)}${pad(l.getUTCDate())}T${pad(l.getUTCHours())}${pad(l.getUTCMinutes())}${pad(l.getUTCSeconds())}`;
}

const VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  `TZID:${ICS_TZID}`,
  'BEGIN:STANDARD',
  'DTSTART:19750613T000000',
  'TZOFFSETFROM:+0700',
  'TZOFFSETTO:+0700',
  'TZNAME:ICT',
  'END:STANDARD',
  'END:VTIMEZONE',
];

function vevent(c: IcsClass, s: IcsSession, method: IcsMethod, attendee: IcsAttendee | null, now: Date): string[] {
  const cancelled = method === 'CANCEL' || s.cancelled;
  const lines = [
    'BEGIN:VEVENT',
    `UID:${sessionUid(s.id)}`,
    `SEQUENCE:${s.sequence}`,
    `DTSTAMP:${utcStamp(now)}`,
    `DTSTART;TZID=${ICS_TZID}:${localStamp(s.startsAt)}`,
    `DTEND;TZID=${ICS_TZID}:${localStamp(s.endsAt)}`,
    `SUMMARY:${escapeText(s.count > 1 ? `${c.title} (buổi ${s.index}/${s.count})` : c.title)}`,
  ];
  const location = [c.location, c.meetingUrl].filter(Boolean).join(' – ');
  if (location) lines.push(`LOCATION:${escapeText(location)}`);
  if (c.meetingUrl) lines.push(`URL:${c.meetingUrl}`);
  if (c.description) lines.push(`DESCRIPTION:${escapeText(c.description)}`);
  lines.push(`ORGANIZER;CN=${quoteParam(c.organiserName)}:mailto:${c.organiserEmail}`);
  if (attendee?.email) lines.push(`ATTENDEE;CN=${quoteParam(attendee.name)};ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:mailto:${attendee.email}`);
  lines.push(`STATUS:${cancelled ? 'CANCELLED' : 'CONFIRMED'}`);
  lines.push('END:VEVENT');
  return lines;
}

/** A parameter value in double quotes (no DQUOTE allowed inside, §3.2). */
function quoteParam(v: string): string {
  return `"${v.replace(/"/g, "'")}"`;
}

/**
 * One VCALENDAR. For REQUEST/CANCEL (iTIP, sent by e-mail) pass the sessions of ONE class; for the
 * personal feed (PUBLISH) any sessions of any classes.
 */
export function buildCalendar(method: IcsMethod, events: Array<{ cls: IcsClass; session: IcsSession }>, attendee: IcsAttendee | null, now = new Date()): string {
  const lines = ['BEGIN:VCALENDAR', `PRODID:${PRODID}`, 'VERSION:2.0', 'CALSCALE:GREGORIAN', `METHOD:${method}`, 'X-WR-TIMEZONE:' + ICS_TZID, ...VTIMEZONE];
  for (const e of events) lines.push(...vevent(e.cls, e.session, method, attendee, now));
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
