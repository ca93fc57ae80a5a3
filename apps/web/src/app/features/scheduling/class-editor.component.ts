import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar, MatSnackBarModule } from '@angular/material/snack-bar';
import { DomSanitizer, SafeHtml } from '@angular/platform-browser';
import { Router, RouterLink } from '@angular/router';
import {
  AttendanceRow,
  AttendanceStatus,
  CheckInToken,
  CLASS_NOMINATOR_ROLES,
  CLASS_ORGANISER_ROLES,
  ClassItem,
  ClassRegistrationItem,
  CourseSummary,
  Page,
  PersonSummary,
  RegistrationStatus,
} from '@dxtrain/shared/contracts';
import { Auth } from '../../core/auth';
import { download } from '../../core/download';
import { I18n } from '../../core/i18n';
import { fmt } from '../learning/learning.i18n';
import { fromVnInput, SchedulingApi, sessionLabel, timeLabel, toVnInput } from './scheduling.api';
import { SCHEDULING_I18N } from './scheduling.i18n';

interface Draft {
  title: string;
  courseId: string;
  mode: string;
  orgUnitId: string;
  room: string;
  address: string;
  meetingUrl: string;
  capacity: number | null;
  registrationOpensAt: string;
  registrationClosesAt: string;
  selfRegistration: boolean;
  approval: string;
  targetAudience: string;
  periods: number | null;
  minSessions: number | null;
  refuseConflicts: boolean;
  /** External trainers, one name per line. */
  trainers: string;
  audienceCategories: string[];
}

const emptyDraft = (): Draft => ({
  title: '',
  courseId: '',
  mode: 'in_person',
  orgUnitId: '',
  room: '',
  address: '',
  meetingUrl: '',
  capacity: 30,
  registrationOpensAt: '',
  registrationClosesAt: '',
  selfRegistration: true,
  approval: 'none',
  targetAudience: '',
  periods: 4,
  minSessions: null,
  refuseConflicts: false,
  trainers: '',
  audienceCategories: [],
});

/**
 * `/classes/new` and `/classes/:id`: organisers edit the class, its sessions, registrations and
 * waitlist, take attendance (bulk), download the sign-in sheet and show the check-in QR. Unit
 * managers see the class and nominate their own staff.
 */
@Component({
  selector: 'dx-class-editor',
  imports: [FormsModule, RouterLink, MatButtonModule, MatCheckboxModule, MatFormFieldModule, MatInputModule, MatSelectModule, MatSnackBarModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="page">
      <p><a routerLink="/classes">‹ {{ L().classes }}</a></p>
      @if (error()) {
        <p class="error" role="alert" data-testid="class-error">{{ error() }}</p>
      }
      @if (cls(); as c) {
        <div class="filters">
          <h1 data-testid="class-title">{{ c.title }}</h1>
          <span class="badge" data-testid="class-status">{{ L().statuses[c.status] }}</span>
          <span class="muted">{{ fmt(L().seats, { confirmed: c.confirmedCount, capacity: c.capacity }) }}</span>
          @if (c.waitlistCount) { <span class="badge">{{ fmt(L().waitlistN, { n: c.waitlistCount }) }}</span> }
        </div>
        @if (c.canManage) {
          <div class="filters">
            @if (c.status === 'draft') { <button mat-flat-button (click)="status('open')" data-testid="class-open">{{ L().open }}</button> }
            @if (c.status === 'open' || c.status === 'full') { <button mat-stroked-button (click)="status('closed')">{{ L().close }}</button> }
            @if (c.status === 'closed') { <button mat-stroked-button (click)="status('open')">{{ L().reopen }}</button> }
            @if (c.status === 'open' || c.status === 'full' || c.status === 'closed') { <button mat-stroked-button (click)="status('completed')">{{ L().complete }}</button> }
            @if (c.status !== 'cancelled' && c.status !== 'completed') { <button mat-button class="danger" (click)="cancelClass()">{{ L().cancelClass }}</button> }
          </div>
        }
      } @else if (isNew()) {
        <h1>{{ L().newClass }}</h1>
      }

      @if (isNew() || cls()?.canManage) {
        <section>
          <h2>{{ L().details }}</h2>
          <form class="grid" (ngSubmit)="save()">
            <mat-form-field class="wide"><mat-label>{{ L().title }}</mat-label><input matInput name="title" required [(ngModel)]="draft.title" data-testid="class-field-title" /></mat-form-field>
            <mat-form-field class="wide">
              <mat-label>{{ L().course }}</mat-label>
              <mat-select name="courseId" [(ngModel)]="draft.courseId" data-testid="class-field-course">
                <mat-option value="">—</mat-option>
                @for (k of courses(); track k.id) { <mat-option [value]="k.id">{{ k.code }} · {{ k.title }}</mat-option> }
              </mat-select>
            </mat-form-field>
            <mat-form-field>
              <mat-label>{{ L().mode }}</mat-label>
              <mat-select name="mode" [(ngModel)]="draft.mode" data-testid="class-field-mode">
                @for (m of modes; track m) { <mat-option [value]="m">{{ L().modes[m] }}</mat-option> }
              </mat-select>
            </mat-form-field>
            @if (isNew()) {
              <mat-form-field>
                <mat-label>{{ L().organiserUnit }}</mat-label>
                <mat-select name="orgUnitId" [(ngModel)]="draft.orgUnitId" data-testid="class-field-unit">
                  @for (g of organiserUnits(); track g.orgUnitId) { <mat-option [value]="g.orgUnitId">{{ g.orgUnitName }}</mat-option> }
                </mat-select>
              </mat-form-field>
            }
            <mat-form-field><mat-label>{{ L().capacity }}</mat-label><input matInput type="number" min="1" name="capacity" [(ngModel)]="draft.capacity" data-testid="class-field-capacity" /></mat-form-field>
            @if (draft.mode !== 'online') {
              <mat-form-field><mat-label>{{ L().room }}</mat-label><input matInput name="room" [(ngModel)]="draft.room" data-testid="class-field-room" /></mat-form-field>
              <mat-form-field class="wide"><mat-label>{{ L().address }}</mat-label><input matInput name="address" [(ngModel)]="draft.address" /></mat-form-field>
            }
            @if (draft.mode !== 'in_person') {
              <mat-form-field class="wide"><mat-label>{{ L().meetingUrl }}</mat-label><input matInput type="url" name="meetingUrl" [(ngModel)]="draft.meetingUrl" data-testid="class-field-meeting" /></mat-form-field>
            }
            <mat-form-field><mat-label>{{ L().opensAt }}</mat-label><input matInput type="datetime-local" name="opens" [(ngModel)]="draft.registrationOpensAt" /></mat-form-field>
            <mat-form-field><mat-label>{{ L().closesAt }}</mat-label><input matInput type="datetime-local" name="closes" [(ngModel)]="draft.registrationClosesAt" /></mat-form-field>
            <mat-form-field><mat-label>{{ L().periods }}</mat-label><input matInput type="number" min="0" name="periods" [(ngModel)]="draft.periods" /></mat-form-field>
            <mat-form-field><mat-label>{{ L().minSessions }}</mat-label><input matInput type="number" min="1" name="minSessions" [(ngModel)]="draft.minSessions" /></mat-form-field>
            <mat-form-field>
              <mat-label>{{ L().approval }}</mat-label>
              <mat-select name="approval" [(ngModel)]="draft.approval">
                @for (a of approvals; track a) { <mat-option [value]="a">{{ L().approvals[a] }}</mat-option> }
              </mat-select>
            </mat-form-field>
            <mat-form-field class="wide"><mat-label>{{ L().targetAudience }}</mat-label><input matInput name="audience" [(ngModel)]="draft.targetAudience" /></mat-form-field>
            <mat-form-field class="wide">
              <mat-label>{{ L().audienceCategories }}</mat-label>
              <mat-select name="audienceCategories" multiple [(ngModel)]="draft.audienceCategories" data-testid="class-field-audience">
                @for (cat of i18n.categories(); track cat) {
                  <mat-option [value]="cat">{{ i18n.category(cat) }}</mat-option>
                }
              </mat-select>
            </mat-form-field>
            <div class="wide" data-testid="class-registry-trainers">
              <span class="muted">{{ L().registryTrainers }}</span>
              @for (t of registryTrainers(); track t.personId) {
                <span class="badge">{{ t.name }} <button mat-button type="button" (click)="removeTrainer(t.personId)" [attr.aria-label]="L().remove">✕</button></span>
              }
              <mat-form-field class="wide">
                <mat-label>{{ L().findTrainer }}</mat-label>
                <input matInput name="trainerSearch" data-testid="class-trainer-search" [ngModel]="trainerQuery()" (ngModelChange)="searchTrainers($event)" />
              </mat-form-field>
              @for (p of trainerResults(); track p.id) {
                <button mat-stroked-button type="button" data-testid="class-trainer-result" (click)="addTrainer(p)">{{ p.fullName }} · {{ p.orgUnitName }}</button>
              }
            </div>
            <mat-form-field class="wide"><mat-label>{{ L().trainers }}</mat-label><textarea matInput rows="2" name="trainers" [(ngModel)]="draft.trainers" data-testid="class-field-trainers"></textarea></mat-form-field>
            <mat-checkbox name="self" [(ngModel)]="draft.selfRegistration">{{ L().selfRegistration }}</mat-checkbox>
            <mat-checkbox name="refuse" [(ngModel)]="draft.refuseConflicts">{{ L().refuseConflicts }}</mat-checkbox>
            <div class="wide"><button mat-flat-button type="submit" data-testid="class-save">{{ isNew() ? L().create : L().save }}</button></div>
          </form>
        </section>
      } @else if (cls(); as c) {
        <dl class="facts">
          <dt>{{ L().mode }}</dt><dd>{{ L().modes[c.mode] }}</dd>
          <dt>{{ L().organiserUnit }}</dt><dd>{{ c.orgUnitName }}</dd>
          @if (c.room || c.address) { <dt>{{ L().where }}</dt><dd>{{ place(c) }}</dd> }
          @if (c.meetingUrl) { <dt>{{ L().meetingUrl }}</dt><dd>{{ c.meetingUrl }}</dd> }
          @if (c.targetAudience) { <dt>{{ L().targetAudience }}</dt><dd>{{ c.targetAudience }}</dd> }
        </dl>
      }

      @if (cls(); as c) {
        <section>
          <h2>{{ L().sessions }}</h2>
          <table class="data">
            <tbody>
              @for (s of c.sessions; track s.id; let i = $index) {
                <tr data-testid="session-row" [class.closed]="s.cancelled">
                  <td>{{ fmt(L().session, { n: i + 1 }) }}</td>
                  @if (c.canManage && !s.cancelled) {
                    <td><input type="datetime-local" [value]="vn(s.startsAt)" #st data-testid="session-start" /> – <input type="datetime-local" [value]="vn(s.endsAt)" #en data-testid="session-end" /></td>
                    <td>
                      <button mat-button (click)="moveSession(s.id, st.value, en.value)">{{ L().moveSession }}</button>
                      <button mat-button (click)="cancelSession(s.id)">{{ L().cancelSession }}</button>
                    </td>
                  } @else {
                    <td>{{ label(s) }}</td>
                    <td>@if (s.cancelled) { {{ L().cancelledSession }} }</td>
                  }
                </tr>
              } @empty {
                <tr><td class="muted">{{ L().noSessions }}</td></tr>
              }
            </tbody>
          </table>
          @if (c.canManage && c.status !== 'cancelled' && c.status !== 'completed') {
            <form class="filters" (ngSubmit)="addSession()">
              <label>{{ L().start }} <input type="datetime-local" name="ns" [(ngModel)]="newStart" data-testid="new-session-start" /></label>
              <label>{{ L().end }} <input type="datetime-local" name="ne" [(ngModel)]="newEnd" data-testid="new-session-end" /></label>
              <button mat-stroked-button type="submit" data-testid="add-session">{{ L().addSession }}</button>
            </form>
          }
        </section>

        <section>
          <h2>{{ L().registrations }}</h2>
          @if (canNominate()) {
            <div class="filters">
              <mat-form-field class="grow">
                <mat-label>{{ c.canManage ? L().registerPerson : L().nominate }}: {{ L().searchPerson }}</mat-label>
                <input matInput name="q" [ngModel]="q()" (ngModelChange)="search($event)" data-testid="person-search" />
              </mat-form-field>
            </div>
            @if (!c.canManage) { <p class="muted">{{ L().nominateHint }}</p> }
            @for (p of found(); track p.id) {
              <div class="filters found">
                <span>{{ p.fullName }} · {{ p.staffCode }} · {{ p.orgUnitName }}</span>
                <button mat-stroked-button (click)="registerPerson(p)" data-testid="person-add">{{ L().add }}</button>
              </div>
            }
          }
          <table class="data">
            <thead><tr><th>{{ L().name }}</th><th>{{ L().unit }}</th><th>{{ L().source }}</th><th>{{ L().status }}</th><th></th></tr></thead>
            <tbody>
              @for (r of registrations(); track r.id) {
                <tr data-testid="registration-row">
                  <td>{{ r.fullName }} <span class="muted">{{ r.staffCode }}</span></td>
                  <td>{{ r.orgUnitName }}</td>
                  <td>{{ L().sources[r.source] }}</td>
                  <td>
                    <span class="badge" [class.ok]="r.status === RS.Confirmed" data-testid="registration-status">{{ L().regStatuses[r.status] }}</span>
                    @if (r.waitlistPosition) { <span class="muted">{{ fmt(L().waitlistPos, { n: r.waitlistPosition }) }}</span> }
                    @if (r.completedAt) { <span class="badge ok" data-testid="registration-completed">{{ L().completed }}</span> }
                  </td>
                  <td>
                    @if (r.status === RS.PendingApproval) {
                      <button mat-button (click)="decide(r, true)">{{ L().approve }}</button>
                      <button mat-button (click)="decide(r, false)">{{ L().reject }}</button>
                    }
                    @if (r.status === RS.Confirmed || r.status === RS.Waitlisted || r.status === RS.PendingApproval) {
                      <button mat-button (click)="cancelRegistration(r)">{{ L().cancelReg }}</button>
                    }
                  </td>
                </tr>
              }
            </tbody>
          </table>
        </section>

        @if (c.canManage && c.sessions.length) {
          <section>
            <h2>{{ L().attendance }}</h2>
            <div class="filters">
              @for (s of c.sessions; track s.id; let i = $index) {
                @if (!s.cancelled) {
                  <button mat-stroked-button [class.selected]="sessionId() === s.id" (click)="pickSession(s.id)" data-testid="attendance-session">{{ fmt(L().session, { n: i + 1 }) }}</button>
                }
              }
            </div>
            @if (shownSessionId()) {
              <h3 data-testid="attendance-heading">{{ shownSessionLabel() }}</h3>
              <div class="filters">
                <button mat-stroked-button (click)="allPresent()" data-testid="attendance-all-present">{{ L().markAllPresent }}</button>
                <button mat-flat-button (click)="saveAttendance()" data-testid="attendance-save">{{ L().saveAttendance }}</button>
                <button mat-button (click)="sheet()" data-testid="sign-in-sheet">{{ L().signInSheet }}</button>
                <button mat-button (click)="showQr()" data-testid="show-qr">{{ L().showQr }}</button>
              </div>
              @if (qr(); as q) {
                <div class="qr">
                  <div class="svg" [innerHTML]="qrSvg()" data-testid="qr"></div>
                  <p class="muted">{{ fmt(L().qrHint, { from: time(q.validFrom), to: time(q.expiresAt) }) }}</p>
                  <p><a [href]="q.url" data-testid="qr-url">{{ q.url }}</a></p>
                </div>
              }
              <table class="data">
                <tbody>
                  @for (a of attendance(); track a.personId) {
                    <tr data-testid="attendance-row">
                      <td>{{ a.fullName }}</td>
                      <td>{{ a.orgUnitName }}</td>
                      <td>
                        <!-- [selected] per option: a select's [value] set before its options render is lost. -->
                        <select (change)="setMark(a.personId, $any($event.target).value)" data-testid="attendance-mark">
                          <option value="" [selected]="!marks()[a.personId]">{{ L().notMarked }}</option>
                          @for (m of markValues; track m) { <option [value]="m" [selected]="marks()[a.personId] === m">{{ L().attendanceStatuses[m] }}</option> }
                        </select>
                        @if (a.checkedInAt) { <span class="muted">{{ fmt(L().checkedIn, { t: time(a.checkedInAt) }) }}</span> }
                      </td>
                    </tr>
                  } @empty {
                    <tr><td class="muted">{{ L().noRegistrants }}</td></tr>
                  }
                </tbody>
              </table>
            }
          </section>
        }
      }
    </div>
  `,
  styles: [
    `.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 0 16px; max-width: 1000px; align-items: center; }
     .wide { grid-column: 1 / -1; }
     .grow { flex: 1; min-width: 260px; }
     section { margin: 24px 0; }
     .facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; }
     .facts dt { color: #666; } .facts dd { margin: 0; }
     .found { margin: 4px 0; }
     .selected { background: #e8eefc; }
     .danger { color: #b3261e; }
     .qr .svg { width: 260px; height: 260px; }
     .qr .svg svg { width: 100%; height: 100%; }`,
  ],
})
export class ClassEditorComponent {
  /** Route parameter: a class id, or undefined on /classes/new. */
  readonly id = input<string>();
  protected readonly i18n = inject(I18n);
  protected readonly L = computed(() => this.i18n.pick(SCHEDULING_I18N));
  protected readonly fmt = fmt;
  protected readonly RS = RegistrationStatus;
  protected readonly modes = ['in_person', 'online', 'blended'];
  protected readonly approvals = ['none', 'manager', 'organiser'];
  protected readonly markValues = Object.values(AttendanceStatus);
  protected readonly vn = toVnInput;
  protected readonly label = sessionLabel;
  protected readonly time = timeLabel;
  protected readonly place = (c: ClassItem) => [c.room, c.address].filter(Boolean).join(', ');
  private readonly api = inject(SchedulingApi);
  private readonly http = inject(HttpClient);
  private readonly auth = inject(Auth);
  private readonly router = inject(Router);
  private readonly snack = inject(MatSnackBar);
  private readonly sanitizer = inject(DomSanitizer);

  protected readonly isNew = computed(() => !this.id() || this.id() === 'new');
  protected readonly cls = signal<ClassItem | null>(null);
  protected readonly registrations = signal<ClassRegistrationItem[]>([]);
  protected readonly courses = signal<CourseSummary[]>([]);
  protected readonly error = signal<string | null>(null);
  protected draft: Draft = emptyDraft();
  protected newStart = '';
  protected newEnd = '';
  protected readonly q = signal('');
  protected readonly found = signal<PersonSummary[]>([]);
  /** Trainers chosen from the staff registry (double bookings are checked by person). */
  protected readonly registryTrainers = signal<Array<{ personId: string; name: string }>>([]);
  protected readonly trainerQuery = signal('');
  protected readonly trainerResults = signal<PersonSummary[]>([]);
  private trainerSearchSeq = 0;

  protected async searchTrainers(q: string): Promise<void> {
    this.trainerQuery.set(q);
    const seq = ++this.trainerSearchSeq;
    if (q.trim().length < 2) return this.trainerResults.set([]);
    try {
      const page = await this.api.searchStaff(q.trim(), 8);
      // Answers can come back out of order: keep only the latest search's.
      if (seq === this.trainerSearchSeq) this.trainerResults.set(page.items.filter((p) => !this.registryTrainers().some((t) => t.personId === p.id)));
    } catch (e) {
      this.error.set(this.i18n.error(e));
    }
  }

  protected addTrainer(p: PersonSummary): void {
    this.registryTrainers.update((list) => [...list, { personId: p.id, name: p.fullName }]);
    this.trainerResults.set([]);
    this.trainerQuery.set('');
  }

  protected removeTrainer(personId: string): void {
    this.registryTrainers.update((list) => list.filter((t) => t.personId !== personId));
  }
  protected readonly sessionId = signal<string | null>(null);
  protected readonly attendance = signal<AttendanceRow[]>([]);
  /** The session whose attendance is loaded and shown (null while loading). */
  protected readonly shownSessionId = signal<string | null>(null);
  protected readonly shownSessionLabel = computed(() => {
    const c = this.cls();
    const i = c?.sessions.findIndex((s) => s.id === this.shownSessionId()) ?? -1;
    return c && i >= 0 ? `${fmt(this.L().session, { n: i + 1 })} · ${sessionLabel(c.sessions[i])}` : '';
  });
  protected readonly marks = signal<Record<string, AttendanceStatus | undefined>>({});
  protected readonly qr = signal<CheckInToken | null>(null);
  protected readonly qrSvg = computed<SafeHtml>(() => this.sanitizer.bypassSecurityTrustHtml(this.qr()?.qrSvg ?? '')); // our own server's SVG
  protected readonly organiserUnits = computed(() => (this.auth.me()?.grants ?? []).filter((g) => CLASS_ORGANISER_ROLES.includes(g.role)));
  protected readonly canNominate = computed(() => {
    const c = this.cls();
    return !!c && (c.status === 'open' || c.status === 'full') && this.auth.roles().some((r) => CLASS_NOMINATOR_ROLES.includes(r));
  });
  private searchTimer: ReturnType<typeof setTimeout> | null = null;

  constructor() {
    // Published courses a class may follow (its final quiz then counts towards completion).
    this.http
      .get<Page<CourseSummary>>('/api/courses', { params: { pageSize: '200' } })
      .subscribe({ next: (page) => this.courses.set(page.items), error: () => this.courses.set([]) });
    effect(() => {
      const id = this.id();
      if (!id || id === 'new') {
        this.draft = { ...emptyDraft(), orgUnitId: this.organiserUnits()[0]?.orgUnitId ?? '' };
        return;
      }
      void this.load(id);
    });
  }

  private async load(id: string): Promise<void> {
    try {
      const c = await this.api.get(id);
      this.cls.set(c);
      this.draft = {
        title: c.title,
        courseId: c.courseId ?? '',
        mode: c.mode,
        orgUnitId: c.orgUnitId,
        room: c.room ?? '',
        address: c.address ?? '',
        meetingUrl: c.meetingUrl ?? '',
        capacity: c.capacity,
        registrationOpensAt: c.registrationOpensAt ? toVnInput(c.registrationOpensAt) : '',
        registrationClosesAt: c.registrationClosesAt ? toVnInput(c.registrationClosesAt) : '',
        selfRegistration: c.selfRegistration,
        approval: c.approval,
        targetAudience: c.targetAudience,
        periods: c.periods,
        minSessions: c.minSessions,
        refuseConflicts: c.refuseConflicts,
        trainers: c.trainers.filter((t) => !t.personId).map((t) => t.name).join('\n'),
        audienceCategories: [...c.audienceCategories],
      };
      this.registryTrainers.set(c.trainers.filter((t) => t.personId).map((t) => ({ personId: t.personId as string, name: t.name })));
      this.registrations.set(await this.api.registrations(id));
      if (this.sessionId()) await this.pickSession(this.sessionId() as string);
    } catch (e) {
      this.error.set(this.i18n.error(e));
    }
  }

  private async run(action: () => Promise<unknown>, done?: string): Promise<boolean> {
    this.error.set(null);
    try {
      await action();
      if (done) this.snack.open(done, undefined, { duration: 2500 });
      return true;
    } catch (e) {
      this.error.set(this.i18n.error(e));
      return false;
    }
  }

  private body(): Record<string, unknown> {
    const d = this.draft;
    // People of the registry by id (so their double bookings are caught), external trainers by name.
    const trainers = [
      ...this.registryTrainers().map((t) => ({ personId: t.personId })),
      ...d.trainers.split('\n').map((t) => t.trim()).filter(Boolean).map((name) => ({ name })),
    ];
    return {
      title: d.title,
      courseId: d.courseId || null,
      mode: d.mode,
      room: d.mode === 'online' ? null : d.room || null,
      address: d.mode === 'online' ? null : d.address || null,
      meetingUrl: d.mode === 'in_person' ? null : d.meetingUrl || null,
      capacity: Number(d.capacity),
      registrationOpensAt: d.registrationOpensAt ? fromVnInput(d.registrationOpensAt) : null,
      registrationClosesAt: d.registrationClosesAt ? fromVnInput(d.registrationClosesAt) : null,
      selfRegistration: d.selfRegistration,
      approval: d.approval,
      targetAudience: d.targetAudience,
      periods: d.periods === null ? undefined : Number(d.periods),
      minSessions: d.minSessions ? Number(d.minSessions) : null,
      refuseConflicts: d.refuseConflicts,
      trainers,
      audienceCategories: d.audienceCategories,
    };
  }

  protected async save(): Promise<void> {
    if (!this.draft.title.trim() || !this.draft.capacity || (this.isNew() && !this.draft.orgUnitId)) {
      this.error.set(this.L().fieldsRequired);
      return;
    }
    if (this.isNew()) {
      await this.run(async () => {
        const created = await this.api.create({ ...this.body(), orgUnitId: this.draft.orgUnitId });
        await this.router.navigate(['/classes', created.id]);
      });
    } else {
      const id = this.cls()?.id as string;
      await this.run(async () => this.cls.set(await this.api.update(id, this.body())), this.L().saved);
    }
  }

  protected async status(status: string): Promise<void> {
    const id = this.cls()?.id as string;
    await this.run(async () => this.cls.set(await this.api.setStatus(id, status)));
  }

  protected async cancelClass(): Promise<void> {
    if (confirm(this.L().confirmCancelClass)) await this.status('cancelled');
  }

  protected async addSession(): Promise<void> {
    if (!this.newStart || !this.newEnd) return;
    const id = this.cls()?.id as string;
    if (
      await this.run(async () => {
        await this.api.addSession(id, fromVnInput(this.newStart), fromVnInput(this.newEnd));
      })
    ) {
      this.newStart = '';
      this.newEnd = '';
      await this.load(id);
    }
  }

  protected async moveSession(sessionId: string, start: string, end: string): Promise<void> {
    const id = this.cls()?.id as string;
    if (await this.run(() => this.api.moveSession(sessionId, fromVnInput(start), fromVnInput(end)), this.L().saved)) await this.load(id);
  }

  protected async cancelSession(sessionId: string): Promise<void> {
    const id = this.cls()?.id as string;
    if (await this.run(() => this.api.cancelSession(sessionId))) await this.load(id);
  }

  protected search(q: string): void {
    this.q.set(q);
    if (this.searchTimer) clearTimeout(this.searchTimer);
    if (q.trim().length < 2) {
      this.found.set([]);
      return;
    }
    this.searchTimer = setTimeout(() => {
      this.api
        .searchStaff(q)
        .then((page) => this.found.set(page.items))
        .catch((e) => this.error.set(this.i18n.error(e)));
    }, 250);
  }

  protected async registerPerson(p: PersonSummary): Promise<void> {
    const id = this.cls()?.id as string;
    let warning = '';
    if (
      await this.run(async () => {
        const r = await this.api.register(id, p.id);
        if (r.conflicts.length) warning = fmt(this.L().conflictWarning, { classes: r.conflicts.map((x) => x.classTitle).join(', ') });
      }, this.L().registered)
    ) {
      if (warning) this.snack.open(warning, 'OK', { duration: 6000 });
      this.found.set([]);
      this.q.set('');
      await this.load(id);
    }
  }

  protected async decide(r: ClassRegistrationItem, approve: boolean): Promise<void> {
    if (await this.run(() => this.api.decide(r.id, approve))) await this.load(r.classId);
  }

  protected async cancelRegistration(r: ClassRegistrationItem): Promise<void> {
    if (await this.run(() => this.api.cancelRegistration(r.id))) await this.load(r.classId);
  }

  protected async pickSession(sessionId: string): Promise<void> {
    // Clear the previous session's sheet first, so marks never land on the wrong session.
    this.sessionId.set(sessionId);
    this.shownSessionId.set(null);
    this.attendance.set([]);
    this.marks.set({});
    this.qr.set(null);
    await this.run(async () => {
      const rows = await this.api.attendance(sessionId);
      if (this.sessionId() !== sessionId) return;
      this.attendance.set(rows);
      this.marks.set(Object.fromEntries(rows.map((r) => [r.personId, r.status ?? undefined])));
      this.shownSessionId.set(sessionId);
    });
  }

  protected setMark(personId: string, value: string): void {
    this.marks.update((m) => ({ ...m, [personId]: (value || undefined) as AttendanceStatus | undefined }));
  }

  protected allPresent(): void {
    this.marks.set(Object.fromEntries(this.attendance().map((a) => [a.personId, AttendanceStatus.Present])));
  }

  protected async saveAttendance(): Promise<void> {
    const sessionId = this.sessionId() as string;
    const marks = Object.entries(this.marks())
      .filter((e): e is [string, AttendanceStatus] => !!e[1])
      .map(([personId, status]) => ({ personId, status }));
    // load() re-reads the registrations (completions) and the session's attendance.
    if (await this.run(() => this.api.mark(sessionId, marks), this.L().attendanceSaved)) await this.load(this.cls()?.id as string);
  }

  protected async sheet(): Promise<void> {
    const sessionId = this.sessionId() as string;
    await this.run(() => download(this.http, `/api/class-sessions/${sessionId}/sign-in-sheet.pdf`, 'danh-sach-ky-ten.pdf'));
  }

  protected async showQr(): Promise<void> {
    const sessionId = this.sessionId() as string;
    await this.run(async () => this.qr.set(await this.api.checkInToken(sessionId)));
  }
}
