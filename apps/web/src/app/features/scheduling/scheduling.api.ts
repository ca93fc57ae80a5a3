import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import {
  AttendanceRow,
  AttendanceStatus,
  CalendarFeed,
  CheckInResult,
  CheckInToken,
  ClassItem,
  ClassRegistrationItem,
  ClassSessionItem,
  MyClassItem,
  Page,
  PersonSummary,
} from '@dxtrain/shared/contracts';

/** Thin HTTP client of the scheduling api (no state: pages keep their own signals). */
@Injectable({ providedIn: 'root' })
export class SchedulingApi {
  private readonly http = inject(HttpClient);

  list(q: { from?: string; to?: string } = {}): Promise<ClassItem[]> {
    const params: Record<string, string> = {};
    if (q.from) params['from'] = q.from;
    if (q.to) params['to'] = q.to;
    return firstValueFrom(this.http.get<ClassItem[]>('/api/classes', { params }));
  }
  get(id: string): Promise<ClassItem> {
    return firstValueFrom(this.http.get<ClassItem>(`/api/classes/${id}`));
  }
  create(body: Record<string, unknown>): Promise<ClassItem> {
    return firstValueFrom(this.http.post<ClassItem>('/api/classes', body));
  }
  update(id: string, body: Record<string, unknown>): Promise<ClassItem> {
    return firstValueFrom(this.http.patch<ClassItem>(`/api/classes/${id}`, body));
  }
  setStatus(id: string, status: string): Promise<ClassItem> {
    return firstValueFrom(this.http.post<ClassItem>(`/api/classes/${id}/status`, { status }));
  }
  addSession(id: string, startsAt: string, endsAt: string): Promise<ClassSessionItem> {
    return firstValueFrom(this.http.post<ClassSessionItem>(`/api/classes/${id}/sessions`, { startsAt, endsAt }));
  }
  moveSession(id: string, startsAt: string, endsAt: string): Promise<ClassSessionItem> {
    return firstValueFrom(this.http.put<ClassSessionItem>(`/api/class-sessions/${id}`, { startsAt, endsAt }));
  }
  cancelSession(id: string): Promise<ClassSessionItem> {
    return firstValueFrom(this.http.post<ClassSessionItem>(`/api/class-sessions/${id}/cancel`, {}));
  }
  registrations(id: string): Promise<ClassRegistrationItem[]> {
    return firstValueFrom(this.http.get<ClassRegistrationItem[]>(`/api/classes/${id}/registrations`));
  }
  register(id: string, personId?: string): Promise<ClassRegistrationItem> {
    return firstValueFrom(this.http.post<ClassRegistrationItem>(`/api/classes/${id}/registrations`, personId ? { personId } : {}));
  }
  cancelRegistration(id: string): Promise<ClassRegistrationItem> {
    return firstValueFrom(this.http.post<ClassRegistrationItem>(`/api/class-registrations/${id}/cancel`, {}));
  }
  decide(id: string, approve: boolean): Promise<ClassRegistrationItem> {
    return firstValueFrom(this.http.post<ClassRegistrationItem>(`/api/class-registrations/${id}/decision`, { approve }));
  }
  attendance(sessionId: string): Promise<AttendanceRow[]> {
    return firstValueFrom(this.http.get<AttendanceRow[]>(`/api/class-sessions/${sessionId}/attendance`));
  }
  mark(sessionId: string, marks: Array<{ personId: string; status: AttendanceStatus }>): Promise<AttendanceRow[]> {
    return firstValueFrom(this.http.put<AttendanceRow[]>(`/api/class-sessions/${sessionId}/attendance`, { marks }));
  }
  checkInToken(sessionId: string): Promise<CheckInToken> {
    return firstValueFrom(this.http.get<CheckInToken>(`/api/class-sessions/${sessionId}/check-in-token`));
  }
  checkIn(token: string): Promise<CheckInResult> {
    return firstValueFrom(this.http.post<CheckInResult>('/api/class-sessions/check-in', { token }));
  }
  mine(): Promise<MyClassItem[]> {
    return firstValueFrom(this.http.get<MyClassItem[]>('/api/me/classes'));
  }
  feed(): Promise<CalendarFeed> {
    return firstValueFrom(this.http.get<CalendarFeed>('/api/me/calendar-feed'));
  }
  searchStaff(q: string, pageSize = 10): Promise<Page<PersonSummary>> {
    return firstValueFrom(this.http.get<Page<PersonSummary>>('/api/staff', { params: { q, pageSize } }));
  }
}

const VN_OFFSET_MS = 7 * 3600_000;

/** ISO instant → the value of a datetime-local input, in Vietnam's time (UTC+7, no DST). */
export function toVnInput(iso: string): string {
  return new Date(new Date(iso).getTime() + VN_OFFSET_MS).toISOString().slice(0, 16);
}

/** A datetime-local value typed in Vietnam's time → ISO with its offset. */
export function fromVnInput(value: string): string {
  return `${value}:00+07:00`;
}

/** Calendar day (YYYY-MM-DD) of an instant in Vietnam. */
export function vnDay(iso: string | Date): string {
  return new Date(new Date(iso).getTime() + VN_OFFSET_MS).toISOString().slice(0, 10);
}

const timeFmt = new Intl.DateTimeFormat('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit' });
const dayFmt = new Intl.DateTimeFormat('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', weekday: 'short', day: '2-digit', month: '2-digit', year: 'numeric' });

/** "T7, 05/12/2026 08:00–11:30" */
export function sessionLabel(s: { startsAt: string; endsAt: string }): string {
  return `${dayFmt.format(new Date(s.startsAt))} ${timeFmt.format(new Date(s.startsAt))}–${timeFmt.format(new Date(s.endsAt))}`;
}

export function timeLabel(iso: string): string {
  return timeFmt.format(new Date(iso));
}
