import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { Router, RouterLink } from '@angular/router';
import { CLASS_ORGANISER_ROLES, ClassItem } from '@dxtrain/shared/contracts';
import { Auth } from '../../core/auth';
import { I18n } from '../../core/i18n';
import { fmt } from '../learning/learning.i18n';
import { SchedulingApi, sessionLabel, timeLabel, vnDay } from './scheduling.api';
import { SCHEDULING_I18N } from './scheduling.i18n';

type View = 'list' | 'week' | 'month';
const DAY = 86_400_000;

/** Organisers (and unit managers, to nominate): the classes as a list or a week / month calendar. */
@Component({
  selector: 'dx-classes',
  imports: [RouterLink, MatButtonModule, MatButtonToggleModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="page">
      <div class="filters">
        <h1>{{ L().classes }}</h1>
        <span class="spacer"></span>
        @if (canCreate()) {
          <a mat-flat-button routerLink="/classes/new" data-testid="class-new">{{ L().newClass }}</a>
        }
      </div>
      <div class="filters">
        <mat-button-toggle-group [value]="view()" (change)="view.set($event.value)" aria-label="view">
          <mat-button-toggle value="list" data-testid="view-list">{{ L().list }}</mat-button-toggle>
          <mat-button-toggle value="week" data-testid="view-week">{{ L().week }}</mat-button-toggle>
          <mat-button-toggle value="month" data-testid="view-month">{{ L().month }}</mat-button-toggle>
        </mat-button-toggle-group>
        @if (view() !== 'list') {
          <button mat-button (click)="shift(-1)">‹ {{ L().previous }}</button>
          <button mat-button (click)="anchor.set(today())">{{ L().today }}</button>
          <button mat-button (click)="shift(1)">{{ L().next }} ›</button>
          <strong>{{ rangeLabel() }}</strong>
        }
      </div>
      @if (error()) {
        <p class="error" role="alert">{{ error() }}</p>
      }
      @if (view() === 'list') {
        <table class="data">
          <thead>
            <tr><th>{{ L().title }}</th><th>{{ L().sessions }}</th><th>{{ L().mode }}</th><th>{{ L().capacity }}</th><th>{{ L().status }}</th></tr>
          </thead>
          <tbody>
            @for (c of items() ?? []; track c.id) {
              <tr class="clickable" (click)="go(c)" data-testid="class-row">
                <td><a [routerLink]="['/classes', c.id]" data-testid="class-link">{{ c.title }}</a><div class="muted">{{ c.orgUnitName }}</div></td>
                <td>
                  @if (c.sessions.length) {
                    {{ first(c) }}
                    @if (c.sessions.length > 1) { <span class="muted">(+{{ c.sessions.length - 1 }})</span> }
                  }
                </td>
                <td>{{ L().modes[c.mode] }}</td>
                <td>
                  {{ fmt(L().seats, { confirmed: c.confirmedCount, capacity: c.capacity }) }}
                  @if (c.waitlistCount) { <span class="badge">{{ fmt(L().waitlistN, { n: c.waitlistCount }) }}</span> }
                  @if (c.pendingCount) { <span class="badge warn">{{ fmt(L().pendingN, { n: c.pendingCount }) }}</span> }
                </td>
                <td><span class="badge" data-testid="class-status">{{ L().statuses[c.status] }}</span></td>
              </tr>
            } @empty {
              <tr><td colspan="5" class="muted">{{ items() ? L().none : '…' }}</td></tr>
            }
          </tbody>
        </table>
      } @else {
        <div class="cal" [class.month]="view() === 'month'">
          @for (d of weekdays(); track $index) {
            <div class="dow">{{ d }}</div>
          }
          @for (day of days(); track day.key) {
            <div class="day" [class.other]="!day.inRange" [class.today]="day.key === todayKey" data-testid="cal-day">
              <div class="num">{{ day.label }}</div>
              @for (e of day.events; track e.sessionId) {
                <a class="event" [class.cancelled]="e.cancelled" [routerLink]="['/classes', e.classId]" data-testid="cal-event">{{ e.time }} {{ e.title }}</a>
              }
            </div>
          }
        </div>
      }
    </div>
  `,
  styles: [
    `.spacer { flex: 1; }
     .cal { display: grid; grid-template-columns: repeat(7, minmax(0, 1fr)); gap: 4px; margin-top: 12px; }
     .dow { font-weight: 500; color: #555; padding: 4px; }
     .day { border: 1px solid #dde3ee; border-radius: 8px; min-height: 140px; padding: 4px; overflow: hidden; }
     .cal.month .day { min-height: 90px; }
     .day.other { background: #fafafa; color: #999; }
     .day.today { border-color: #1f5fbf; }
     .num { font-size: 12px; color: #555; }
     .event { display: block; font-size: 12px; background: #e8eefc; border-radius: 6px; padding: 2px 4px; margin-top: 2px; color: inherit; text-decoration: none; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
     .event.cancelled { text-decoration: line-through; opacity: 0.6; }`,
  ],
})
export class ClassesComponent {
  protected readonly i18n = inject(I18n);
  protected readonly L = computed(() => this.i18n.pick(SCHEDULING_I18N));
  protected readonly fmt = fmt;
  private readonly api = inject(SchedulingApi);
  private readonly auth = inject(Auth);
  private readonly router = inject(Router);
  protected readonly canCreate = computed(() => this.auth.roles().some((r) => CLASS_ORGANISER_ROLES.includes(r)));
  protected readonly items = signal<ClassItem[] | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly view = signal<View>('list');
  protected readonly today = () => vnDay(new Date());
  protected readonly todayKey = vnDay(new Date());
  protected readonly anchor = signal(vnDay(new Date()));

  constructor() {
    this.api
      .list()
      .then((items) => this.items.set(items))
      .catch((e) => (this.items.set([]), this.error.set(this.i18n.error(e))));
  }

  protected first(c: ClassItem): string {
    return sessionLabel(c.sessions.find((s) => !s.cancelled) ?? c.sessions[0]);
  }

  protected go(c: ClassItem): void {
    void this.router.navigate(['/classes', c.id]);
  }

  protected weekdays(): string[] {
    return this.i18n.lang() === 'vi' ? ['T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'CN'] : ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
  }

  /** Monday-first range of the week, or of the weeks covering the month, around the anchor day. */
  private readonly range = computed(() => {
    const a = new Date(this.anchor() + 'T00:00:00Z');
    const mondayOf = (d: Date) => new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * DAY);
    if (this.view() === 'week') {
      const start = mondayOf(a);
      return { start, end: new Date(start.getTime() + 7 * DAY), month: -1 };
    }
    const first = new Date(Date.UTC(a.getUTCFullYear(), a.getUTCMonth(), 1));
    const last = new Date(Date.UTC(a.getUTCFullYear(), a.getUTCMonth() + 1, 0));
    const start = mondayOf(first);
    const end = new Date(mondayOf(last).getTime() + 7 * DAY);
    return { start, end, month: a.getUTCMonth() };
  });

  protected readonly rangeLabel = computed(() => {
    const { start, end, month } = this.range();
    const d = (x: Date) => x.toISOString().slice(0, 10).split('-').reverse().join('/');
    return month >= 0 ? `${String(month + 1).padStart(2, '0')}/${new Date(this.anchor()).getUTCFullYear()}` : `${d(start)} – ${d(new Date(end.getTime() - DAY))}`;
  });

  protected readonly days = computed(() => {
    const { start, end, month } = this.range();
    const events = (this.items() ?? []).flatMap((c) =>
      c.sessions.map((s) => ({ sessionId: s.id, classId: c.id, title: c.title, startsAt: s.startsAt, cancelled: s.cancelled || c.status === 'cancelled', time: timeLabel(s.startsAt) })),
    );
    const out: Array<{ key: string; label: string; inRange: boolean; events: typeof events }> = [];
    for (let t = start.getTime(); t < end.getTime(); t += DAY) {
      const key = new Date(t).toISOString().slice(0, 10);
      out.push({
        key,
        label: key.slice(8, 10) + '/' + key.slice(5, 7),
        inRange: month < 0 || new Date(t).getUTCMonth() === month,
        events: events.filter((e) => vnDay(e.startsAt) === key).sort((x, y) => x.startsAt.localeCompare(y.startsAt)),
      });
    }
    return out;
  });

  protected shift(n: number): void {
    const a = new Date(this.anchor() + 'T00:00:00Z');
    const next = this.view() === 'week' ? new Date(a.getTime() + n * 7 * DAY) : new Date(Date.UTC(a.getUTCFullYear(), a.getUTCMonth() + n, 1));
    this.anchor.set(next.toISOString().slice(0, 10));
  }
}
