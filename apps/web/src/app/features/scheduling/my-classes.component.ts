import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSnackBar, MatSnackBarModule } from '@angular/material/snack-bar';
import { RouterLink } from '@angular/router';
import { CheckInResult, MyClassItem, RegistrationStatus } from '@dxtrain/shared/contracts';
import { Auth } from '../../core/auth';
import { download } from '../../core/download';
import { I18n } from '../../core/i18n';
import { fmt } from '../learning/learning.i18n';
import { SchedulingApi, sessionLabel } from './scheduling.api';
import { SCHEDULING_I18N } from './scheduling.i18n';

const ACTIVE = [RegistrationStatus.Confirmed, RegistrationStatus.Waitlisted, RegistrationStatus.PendingApproval];

/** Learner: classes open to them (register), their registrations (cancel, .ics), the personal feed URL. */
@Component({
  selector: 'dx-my-classes',
  imports: [MatButtonModule, MatSnackBarModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="page">
      <h1>{{ L().myClasses }}</h1>
      @if (error()) {
        <p class="error" role="alert" data-testid="my-classes-error">{{ error() }}</p>
      }
      <h2>{{ L().mine }}</h2>
      @for (c of mine(); track c.id) {
        <article class="card" data-testid="my-class">
          <div class="head">
            <strong data-testid="my-class-title">{{ c.title }}</strong>
            @if (c.registration; as r) {
              @if (r.completedAt) {
                <span class="badge ok" data-testid="my-class-completed">{{ L().completed }}</span>
              } @else {
                <span class="badge" [class.ok]="r.status === RS.Confirmed" data-testid="my-class-status">{{ L().regStatuses[r.status] }}</span>
              }
              @if (r.waitlistPosition) { <span class="muted">{{ fmt(L().waitlistPos, { n: r.waitlistPosition }) }}</span> }
            }
          </div>
          <ul>
            @for (s of c.sessions; track s.id; let i = $index) {
              <li [class.closed]="s.cancelled">
                {{ fmt(L().session, { n: i + 1 }) }}: {{ label(s) }}
                @if (markOf(c, s.id); as m) { · <span data-testid="my-class-mark">{{ L().attendanceStatuses[m] }}</span> }
              </li>
            }
          </ul>
          <p class="muted">{{ where(c) }}</p>
          <div class="actions">
            <button mat-stroked-button (click)="ics(c)" data-testid="my-class-ics">{{ L().addToCalendar }}</button>
            @if (c.registration && active(c.registration.status) && !c.registration.completedAt) {
              <button mat-button (click)="cancel(c)" data-testid="my-class-cancel">{{ L().cancelReg }}</button>
            }
          </div>
        </article>
      } @empty {
        <p class="muted">{{ items() ? L().noRegistrations : '…' }}</p>
      }

      <h2>{{ L().upcoming }}</h2>
      @for (c of upcoming(); track c.id) {
        <article class="card" data-testid="upcoming-class">
          <div class="head">
            <strong>{{ c.title }}</strong>
            <span class="badge">{{ L().statuses[c.status] }}</span>
            <span class="muted">{{ fmt(L().seats, { confirmed: c.confirmedCount, capacity: c.capacity }) }}</span>
          </div>
          <ul>
            @for (s of c.sessions; track s.id; let i = $index) {
              @if (!s.cancelled) { <li>{{ fmt(L().session, { n: i + 1 }) }}: {{ label(s) }}</li> }
            }
          </ul>
          <p class="muted">{{ where(c) }}</p>
          <button mat-flat-button (click)="register(c)" data-testid="upcoming-register">{{ L().register }}</button>
        </article>
      } @empty {
        <p class="muted">{{ items() ? L().noUpcoming : '…' }}</p>
      }

      <h2>{{ L().feedTitle }}</h2>
      @if (feedUrl()) {
        <p>{{ L().feedHint }}</p>
        <code data-testid="feed-url">{{ feedUrl() }}</code>
      } @else {
        <button mat-stroked-button (click)="feed()" data-testid="feed-show">{{ L().feedShow }}</button>
      }
    </div>
  `,
  styles: [
    `.card { border: 1px solid #dde3ee; border-radius: 12px; padding: 12px 16px; margin-bottom: 12px; max-width: 760px; }
     .head { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
     .actions { display: flex; gap: 8px; flex-wrap: wrap; }
     code { word-break: break-all; }`,
  ],
})
export class MyClassesComponent {
  protected readonly i18n = inject(I18n);
  protected readonly L = computed(() => this.i18n.pick(SCHEDULING_I18N));
  protected readonly fmt = fmt;
  protected readonly RS = RegistrationStatus;
  protected readonly label = sessionLabel;
  private readonly api = inject(SchedulingApi);
  private readonly http = inject(HttpClient);
  private readonly snack = inject(MatSnackBar);
  protected readonly items = signal<MyClassItem[] | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly feedUrl = signal<string | null>(null);
  protected readonly mine = computed(() => (this.items() ?? []).filter((c) => c.registration && (this.active(c.registration.status) || c.registration.completedAt)));
  protected readonly upcoming = computed(() => (this.items() ?? []).filter((c) => !c.registration || !(this.active(c.registration.status) || c.registration.completedAt)).filter((c) => c.status === 'open' || c.status === 'full'));

  constructor() {
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.items.set(await this.api.mine());
    } catch (e) {
      this.items.set([]);
      this.error.set(this.i18n.error(e));
    }
  }

  protected active(s: RegistrationStatus): boolean {
    return ACTIVE.includes(s);
  }

  protected markOf(c: MyClassItem, sessionId: string): string | null {
    return c.attendance.find((a) => a.sessionId === sessionId)?.status ?? null;
  }

  protected where(c: MyClassItem): string {
    const place = [c.room, c.address].filter(Boolean).join(', ');
    return [c.mode !== 'online' ? place : '', c.mode !== 'in_person' && c.meetingUrl ? c.meetingUrl : ''].filter(Boolean).join(' · ') || this.L().modes[c.mode];
  }

  protected async register(c: MyClassItem): Promise<void> {
    this.error.set(null);
    try {
      const r = await this.api.register(c.id);
      const warning = r.conflicts.length ? ' ' + fmt(this.L().conflictWarning, { classes: r.conflicts.map((x) => x.classTitle).join(', ') }) : '';
      this.snack.open(this.L().registered + warning, undefined, { duration: 4000 });
      await this.load();
    } catch (e) {
      this.error.set(this.i18n.error(e));
    }
  }

  protected async cancel(c: MyClassItem): Promise<void> {
    if (!c.registration) return;
    this.error.set(null);
    try {
      await this.api.cancelRegistration(c.registration.id);
      await this.load();
    } catch (e) {
      this.error.set(this.i18n.error(e));
    }
  }

  protected async ics(c: MyClassItem): Promise<void> {
    await download(this.http, `/api/classes/${c.id}/calendar.ics`, 'lop-tap-huan.ics').catch((e) => this.error.set(this.i18n.error(e)));
  }

  protected async feed(): Promise<void> {
    try {
      this.feedUrl.set((await this.api.feed()).url);
    } catch (e) {
      this.error.set(this.i18n.error(e));
    }
  }
}

/**
 * `/check-in/:token`: the page the session's QR code opens (outside the shell, so a phone that is
 * not signed in yet signs in right here and keeps the token); then checks the learner in.
 */
@Component({
  selector: 'dx-check-in',
  imports: [FormsModule, RouterLink, MatButtonModule, MatFormFieldModule, MatInputModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="page narrow">
      <h1>{{ L().checkInTitle }}</h1>
      @if (needsSignIn()) {
        <form (ngSubmit)="signIn()">
          <mat-form-field class="full"><mat-label>{{ i18n.t('username') }}</mat-label><input matInput name="u" autocomplete="username" [(ngModel)]="username" data-testid="check-in-username" /></mat-form-field>
          <mat-form-field class="full"><mat-label>{{ i18n.t('password') }}</mat-label><input matInput type="password" name="p" autocomplete="current-password" [(ngModel)]="password" data-testid="check-in-password" /></mat-form-field>
          <button mat-flat-button type="submit" data-testid="check-in-sign-in">{{ i18n.t('signIn') }}</button>
        </form>
      }
      @if (error()) {
        <p class="error" role="alert" data-testid="check-in-error">{{ error() }}</p>
      } @else if (result(); as r) {
        <p class="ok" data-testid="check-in-done">✔ {{ fmt(L().checkInDone, { title: r.classTitle }) }}</p>
        @if (r.classCompleted) { <p>{{ L().classCompletedNow }}</p> }
      } @else if (!needsSignIn()) {
        <p class="muted">{{ L().checkingIn }}</p>
      }
      @if (!needsSignIn()) {
        <a mat-button routerLink="/my-classes">{{ L().backToMyClasses }}</a>
      }
    </div>
  `,
  styles: ['.ok { color: #1c5d2a; font-size: 18px; } .narrow { max-width: 420px; } .full { width: 100%; }'],
})
export class CheckInComponent {
  readonly token = input.required<string>();
  protected readonly i18n = inject(I18n);
  protected readonly L = computed(() => this.i18n.pick(SCHEDULING_I18N));
  protected readonly fmt = fmt;
  private readonly api = inject(SchedulingApi);
  private readonly auth = inject(Auth);
  protected readonly result = signal<CheckInResult | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly needsSignIn = signal(false);
  protected username = '';
  protected password = '';

  constructor() {
    effect(() => {
      const token = this.token();
      void (async () => {
        if (!this.auth.me() && !(await this.auth.restore())) {
          this.needsSignIn.set(true);
          return;
        }
        await this.checkIn(token);
      })();
    });
  }

  protected async signIn(): Promise<void> {
    this.error.set(null);
    try {
      await this.auth.login(this.username, this.password);
      this.needsSignIn.set(false);
      await this.checkIn(this.token());
    } catch (e) {
      this.error.set(this.i18n.error(e));
    }
  }

  private async checkIn(token: string): Promise<void> {
    try {
      this.result.set(await this.api.checkIn(token));
    } catch (e) {
      this.error.set(this.i18n.error(e));
    }
  }
}
