import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, effect, inject, input, output, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar, MatSnackBarModule } from '@angular/material/snack-bar';
import { MatTabsModule } from '@angular/material/tabs';
import { RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { CourseAudience, CourseDetail, CourseStatus, CourseVersionDetail, LESSON_KINDS, LessonKind, NetworkCategory, QuizSettings, StoredFileInfo } from '@dxtrain/shared/contracts';
import { I18n } from '../../core/i18n';
import { fmt } from '../learning/learning.i18n';
import { CourseCertificatesComponent } from '../certificates/certificates.component';
import { AUTHORING_I18N } from './authoring.i18n';
import { CourseAudienceComponent } from './course-audience.component';
import { QuestionBankComponent } from './question-bank.component';
import { QuizResultsComponent, QuizzesComponent } from './quizzes.component';

/** Upload limit shown before sending (the server enforces MAX_UPLOAD_MB, 200 MB by default). */
const MAX_UPLOAD_MB = 200;
const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);

/** The draft's fields, sections and lessons: add, rename, reorder, delete; upload lesson files. */
@Component({
  selector: 'dx-course-content',
  imports: [FormsModule, MatButtonModule, MatCheckboxModule, MatFormFieldModule, MatIconModule, MatInputModule, MatSelectModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @let d = draft();
    <form class="grid" (ngSubmit)="saveFields()" data-testid="draft-form">
      <mat-form-field class="wide"><mat-label>{{ L().title }}</mat-label><input matInput name="title" required maxlength="255" [(ngModel)]="f.title" /></mat-form-field>
      <mat-form-field class="narrow"><mat-label>{{ L().periods }}</mat-label><input matInput name="periods" type="number" min="1" max="1000" [(ngModel)]="f.periods" /></mat-form-field>
      <mat-form-field class="narrow"><mat-label>{{ L().periodMinutes }}</mat-label><input matInput name="periodMinutes" type="number" min="1" max="240" [(ngModel)]="f.periodMinutes" /></mat-form-field>
      <mat-form-field class="full"><mat-label>{{ L().summary }}</mat-label><textarea matInput name="summary" rows="3" maxlength="5000" [(ngModel)]="f.summary"></textarea></mat-form-field>
      <mat-form-field class="wide"><mat-label>{{ L().topics }}</mat-label><input matInput name="topics" [(ngModel)]="f.topics" /></mat-form-field>
      <mat-form-field class="wide">
        <mat-label>{{ L().audience }}</mat-label>
        <mat-select name="audience" multiple [(ngModel)]="f.audienceCategories">
          @for (c of i18n.categories(); track c) {
            <mat-option [value]="c">{{ i18n.category(c) }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
      <mat-form-field class="wide"><mat-label>{{ L().positions }}</mat-label><input matInput name="positions" [(ngModel)]="f.audiencePositions" /></mat-form-field>
      <mat-form-field class="wide">
        <mat-label>{{ L().finalQuiz }}</mat-label>
        <mat-select name="finalQuiz" data-testid="draft-final-quiz" [(ngModel)]="f.finalQuizId">
          <mat-option [value]="null">{{ L().none }}</mat-option>
          @for (q of quizzes(); track q.id) {
            <mat-option [value]="q.id">{{ q.title }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
      <div><button mat-flat-button type="submit" data-testid="draft-save">{{ L().save }}</button></div>
    </form>

    <h2>{{ L().sections }}</h2>
    @for (s of d.sections; track s.id; let si = $index, lastS = $last) {
      <section class="section" data-testid="editor-section">
        <div class="row">
          <input class="title-input" [attr.aria-label]="L().sections" [value]="s.title" (change)="renameSection(s.id, $any($event.target).value)" />
          <button mat-icon-button [disabled]="si === 0" [attr.aria-label]="L().up" (click)="moveSection(si, -1)"><mat-icon>arrow_upward</mat-icon></button>
          <button mat-icon-button [disabled]="lastS" [attr.aria-label]="L().down" (click)="moveSection(si, 1)"><mat-icon>arrow_downward</mat-icon></button>
          <button mat-icon-button [attr.aria-label]="L().remove" (click)="removeSection(s.id)"><mat-icon>delete</mat-icon></button>
        </div>
        <ol>
          @for (l of s.lessons; track l.id; let li = $index, lastL = $last) {
            <li class="row" data-testid="editor-lesson">
              <span class="grow">{{ l.title }} <span class="muted">· {{ L().kinds[l.kind] }}{{ l.required ? '' : ' · ' + (i18n.lang() === 'vi' ? 'tự chọn' : 'optional') }}</span></span>
              <button mat-icon-button [disabled]="li === 0" [attr.aria-label]="L().up" (click)="moveLesson(s.id, li, -1)"><mat-icon>arrow_upward</mat-icon></button>
              <button mat-icon-button [disabled]="lastL" [attr.aria-label]="L().down" (click)="moveLesson(s.id, li, 1)"><mat-icon>arrow_downward</mat-icon></button>
              <button mat-icon-button [attr.aria-label]="L().remove" (click)="removeLesson(l.id)"><mat-icon>delete</mat-icon></button>
            </li>
          }
        </ol>
        @if (addingTo() === s.id) {
          <form class="grid lesson-form" (ngSubmit)="addLesson(s.id)" data-testid="lesson-form">
            <mat-form-field class="wide"><mat-label>{{ L().lessonTitle }}</mat-label><input matInput name="ltitle" required maxlength="255" data-testid="lesson-title-input" [(ngModel)]="lf.title" /></mat-form-field>
            <mat-form-field>
              <mat-label>{{ L().kind }}</mat-label>
              <mat-select name="lkind" data-testid="lesson-kind" [(ngModel)]="lf.kind">
                @for (k of kinds; track k) {
                  <mat-option [value]="k">{{ L().kinds[k] }}</mat-option>
                }
              </mat-select>
            </mat-form-field>
            <mat-form-field class="narrow"><mat-label>{{ L().duration }}</mat-label><input matInput name="ldur" type="number" min="1" max="1440" [(ngModel)]="lf.durationMinutes" /></mat-form-field>
            <mat-checkbox name="lreq" [(ngModel)]="lf.required">{{ L().required }}</mat-checkbox>
            @switch (lf.kind) {
              @case (K.Text) {
                <mat-form-field class="full"><mat-label>{{ L().markdown }}</mat-label><textarea matInput name="lmd" rows="8" data-testid="lesson-markdown" [(ngModel)]="lf.markdown"></textarea></mat-form-field>
              }
              @case (K.Quiz) {
                <mat-form-field class="wide">
                  <mat-label>{{ L().quiz }}</mat-label>
                  <mat-select name="lquiz" data-testid="lesson-quiz" [(ngModel)]="lf.quizId">
                    @for (q of quizzes(); track q.id) {
                      <mat-option [value]="q.id">{{ q.title }}</mat-option>
                    }
                  </mat-select>
                </mat-form-field>
              }
              @case (K.Link) {
                <mat-form-field class="full"><mat-label>{{ L().url }}</mat-label><input matInput name="lurl" type="url" [(ngModel)]="lf.url" /></mat-form-field>
              }
              @default {
                <label class="full">{{ L().file }}: <input type="file" accept="application/pdf,video/mp4,video/webm" data-testid="lesson-file" (change)="upload($any($event.target).files?.[0])" /></label>
                @if (uploadState()) {
                  <span class="muted">{{ uploadState() }}</span>
                }
                @if (lf.kind === K.Video) {
                  <mat-form-field class="full"><mat-label>{{ L().url }}</mat-label><input matInput name="lvurl" type="url" [(ngModel)]="lf.url" /></mat-form-field>
                }
              }
            }
            <div>
              <button mat-flat-button type="submit" data-testid="lesson-add">{{ L().addLesson }}</button>
              <button mat-button type="button" (click)="addingTo.set(null)">{{ L().cancel }}</button>
            </div>
          </form>
        } @else {
          <button mat-stroked-button data-testid="section-add-lesson" (click)="startLesson(s.id)">{{ L().addLesson }}</button>
        }
      </section>
    }
    <form class="row" (ngSubmit)="addSection()">
      <mat-form-field class="wide"><mat-label>{{ L().newSection }}</mat-label><input matInput name="stitle" maxlength="255" data-testid="section-title" [(ngModel)]="sectionTitle" /></mat-form-field>
      <button mat-stroked-button type="submit" data-testid="section-add">{{ L().addSection }}</button>
    </form>
  `,
  styles: [
    `.grid { display: flex; flex-wrap: wrap; gap: 0 12px; align-items: center; }
     .full { flex: 1 1 100%; } .wide { flex: 1 1 280px; } .narrow { width: 140px; }
     .section { border: 1px solid #e0e4ec; border-radius: 12px; padding: 8px 12px; margin: 12px 0; }
     .row { display: flex; align-items: center; gap: 4px; flex-wrap: wrap; }
     .grow { flex: 1; }
     .title-input { flex: 1; font: inherit; font-weight: 500; font-size: 16px; border: 1px solid transparent; padding: 6px; border-radius: 6px; }
     .title-input:hover, .title-input:focus { border-color: #c4cad6; }
     .lesson-form { background: #f7f9fc; padding: 12px; border-radius: 8px; }`,
  ],
})
export class CourseContentComponent {
  readonly courseId = input.required<string>();
  readonly draft = input.required<CourseVersionDetail>();
  readonly quizzes = input<QuizSettings[]>([]);
  readonly changed = output<void>();
  protected readonly i18n = inject(I18n);
  protected readonly L = computed(() => this.i18n.pick(AUTHORING_I18N));
  protected readonly K = LessonKind;
  protected readonly kinds = LESSON_KINDS;
  private readonly http = inject(HttpClient);
  private readonly snack = inject(MatSnackBar);
  protected readonly addingTo = signal<string | null>(null);
  protected readonly uploadState = signal<string | null>(null);
  protected sectionTitle = '';
  protected f = { title: '', summary: '', periods: 1, periodMinutes: 45, topics: '', audienceCategories: [] as NetworkCategory[], audiencePositions: '', finalQuizId: null as string | null };
  protected lf = this.emptyLesson();

  constructor() {
    effect(() => {
      const d = this.draft();
      this.f = {
        title: d.title,
        summary: d.summary,
        periods: d.periods,
        periodMinutes: d.periodMinutes,
        topics: d.topics.join(', '),
        audienceCategories: [...d.audienceCategories],
        audiencePositions: d.audiencePositions.join(', '),
        finalQuizId: d.finalQuizId,
      };
    });
  }

  private emptyLesson() {
    return { title: '', kind: LessonKind.Text, required: true, durationMinutes: null as number | null, markdown: '', url: '', quizId: '', fileId: null as string | null };
  }

  private async call(request: Promise<unknown>, done?: string): Promise<boolean> {
    try {
      await request;
      if (done) this.snack.open(done, undefined, { duration: 2500 });
      this.changed.emit();
      return true;
    } catch (e) {
      this.snack.open(this.i18n.error(e), 'OK', { duration: 8000 });
      return false;
    }
  }

  private base(): string {
    return `/api/courses/${this.courseId()}`;
  }

  saveFields(): void {
    const f = this.f;
    this.call(
      firstValueFrom(
        this.http.patch(`${this.base()}/draft`, {
          title: f.title,
          summary: f.summary,
          periods: Number(f.periods),
          periodMinutes: Number(f.periodMinutes),
          topics: list(f.topics),
          audienceCategories: f.audienceCategories,
          audiencePositions: list(f.audiencePositions),
          finalQuizId: f.finalQuizId,
        }),
      ),
      this.L().saved,
    );
  }

  async addSection(): Promise<void> {
    if (!this.sectionTitle.trim()) return;
    if (await this.call(firstValueFrom(this.http.post(`${this.base()}/sections`, { title: this.sectionTitle })))) this.sectionTitle = '';
  }

  renameSection(id: string, title: string): void {
    if (title.trim()) this.call(firstValueFrom(this.http.patch(`${this.base()}/sections/${id}`, { title })), this.L().saved);
  }

  removeSection(id: string): void {
    if (confirm(`${this.L().remove}?`)) this.call(firstValueFrom(this.http.delete(`${this.base()}/sections/${id}`)));
  }

  moveSection(index: number, delta: number): void {
    const ids = this.draft().sections.map((s) => s.id);
    ids.splice(index + delta, 0, ids.splice(index, 1)[0]);
    this.call(firstValueFrom(this.http.put(`${this.base()}/sections/order`, { ids })));
  }

  moveLesson(sectionId: string, index: number, delta: number): void {
    const ids = this.draft().sections.find((s) => s.id === sectionId)?.lessons.map((l) => l.id) ?? [];
    ids.splice(index + delta, 0, ids.splice(index, 1)[0]);
    this.call(firstValueFrom(this.http.put(`${this.base()}/sections/${sectionId}/lessons/order`, { ids })));
  }

  removeLesson(id: string): void {
    if (confirm(`${this.L().remove}?`)) this.call(firstValueFrom(this.http.delete(`${this.base()}/lessons/${id}`)));
  }

  startLesson(sectionId: string): void {
    this.lf = this.emptyLesson();
    this.uploadState.set(null);
    this.addingTo.set(sectionId);
  }

  async upload(file: File | undefined): Promise<void> {
    if (!file) return;
    if (file.size > MAX_UPLOAD_MB * 1024 * 1024) return this.uploadState.set(fmt(this.L().fileTooBig, { mb: MAX_UPLOAD_MB }));
    this.uploadState.set(this.L().uploading);
    const form = new FormData();
    form.append('file', file);
    try {
      const info = await firstValueFrom(this.http.post<StoredFileInfo>('/api/files', form));
      this.lf.fileId = info.id;
      this.uploadState.set(fmt(this.L().uploaded, { name: info.fileName }));
    } catch (e) {
      this.lf.fileId = null;
      this.uploadState.set(this.i18n.error(e));
    }
  }

  async addLesson(sectionId: string): Promise<void> {
    const lf = this.lf;
    const body: Record<string, unknown> = { title: lf.title, kind: lf.kind, required: lf.required, durationMinutes: lf.durationMinutes ? Number(lf.durationMinutes) : null };
    if (lf.kind === LessonKind.Text) body['markdown'] = lf.markdown;
    if (lf.kind === LessonKind.Quiz) body['quizId'] = lf.quizId || undefined;
    if (lf.kind === LessonKind.Link || (lf.kind === LessonKind.Video && lf.url)) body['url'] = lf.url;
    if (lf.kind === LessonKind.Video || lf.kind === LessonKind.Document) body['fileId'] = lf.fileId;
    if (await this.call(firstValueFrom(this.http.post(`${this.base()}/sections/${sectionId}/lessons`, body)))) this.addingTo.set(null);
  }
}

/** The organiser's course page: status and versions, content, question bank, quizzes, results. */
@Component({
  selector: 'dx-course-editor',
  imports: [RouterLink, MatButtonModule, MatTabsModule, MatSnackBarModule, CourseAudienceComponent, CourseContentComponent, QuestionBankComponent, QuizzesComponent, QuizResultsComponent, CourseCertificatesComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="page">
      <a mat-button routerLink="/authoring">← {{ L().courses }}</a>
      @if (error()) {
        <p class="error" role="alert" data-testid="editor-error">{{ error() }}</p>
      }
      @if (course(); as c) {
        <h1>{{ c.draft?.title ?? c.version?.title }} <span class="muted">({{ c.code }})</span></h1>
        <p>
          <span class="badge" [class.ok]="c.status === S.Published" data-testid="editor-status">{{ L().statuses[c.status] }}</span>
          @if (c.version) {
            {{ L().version }} {{ c.version.version }}
          }
          @if (c.draft) {
            · <span class="muted">{{ L().hasDraft }} ({{ L().version }} {{ c.draft.version }})</span>
          }
        </p>
        <div class="filters">
          @if (c.draft) {
            <button mat-flat-button data-testid="course-publish" [disabled]="busy()" (click)="act('publish')">{{ L().publish }}</button>
            <span class="muted">{{ L().publishHint }}</span>
          } @else if (c.status !== S.Archived) {
            <button mat-stroked-button data-testid="course-new-draft" [disabled]="busy()" (click)="act('draft')">{{ L().newDraft }}</button>
          }
          @if (c.status === S.Published) {
            <a mat-button [routerLink]="['/courses', c.id]">{{ L().preview }}</a>
            <button mat-button [disabled]="busy()" (click)="archive()">{{ L().archive }}</button>
          }
        </div>
        <mat-tab-group [selectedIndex]="tab()" (selectedIndexChange)="tab.set($event)" dynamicHeight>
          <mat-tab [label]="L().tabContent">
            @if (c.canEdit) {
              <dx-course-audience [courseId]="c.id" [audience]="c.audience" (saved)="audienceSaved($event)" />
            }
            @if (c.draft) {
              <dx-course-content [courseId]="c.id" [draft]="c.draft" [quizzes]="quizzes()" (changed)="reload()" />
            } @else {
              <p class="muted">{{ L().noDraft }}</p>
            }
          </mat-tab>
          <mat-tab [label]="L().tabQuestions">
            <ng-template matTabContent><dx-question-bank [courseId]="c.id" /></ng-template>
          </mat-tab>
          <mat-tab [label]="L().tabQuizzes">
            <ng-template matTabContent><dx-quizzes [courseId]="c.id" (changed)="loadQuizzes()" /></ng-template>
          </mat-tab>
          <mat-tab [label]="L().tabResults">
            <ng-template matTabContent><dx-quiz-results [quizzes]="quizzes()" /></ng-template>
          </mat-tab>
          <mat-tab [label]="i18n.lang() === 'vi' ? 'Chứng nhận' : 'Certificates'">
            <ng-template matTabContent><dx-course-certificates [courseId]="c.id" /></ng-template>
          </mat-tab>
        </mat-tab-group>
      }
    </div>
  `,
})
export class CourseEditorComponent {
  readonly id = input.required<string>();
  protected readonly S = CourseStatus;
  protected readonly i18n = inject(I18n);
  protected readonly L = computed(() => this.i18n.pick(AUTHORING_I18N));
  private readonly http = inject(HttpClient);
  private readonly snack = inject(MatSnackBar);
  protected readonly course = signal<CourseDetail | null>(null);
  protected readonly quizzes = signal<QuizSettings[]>([]);
  protected readonly error = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected readonly tab = signal(0);

  constructor() {
    effect(() => {
      this.id();
      this.reload();
      this.loadQuizzes();
    });
  }

  reload(): void {
    firstValueFrom(this.http.get<CourseDetail>(`/api/courses/${this.id()}`))
      .then((c) => (this.course.set(c), this.error.set(null)))
      .catch((e) => this.error.set(this.i18n.error(e)));
  }

  loadQuizzes(): void {
    firstValueFrom(this.http.get<QuizSettings[]>(`/api/courses/${this.id()}/quizzes`))
      .then((q) => this.quizzes.set(q))
      .catch((e) => this.error.set(this.i18n.error(e)));
  }

  async act(action: 'publish' | 'draft' | 'archive'): Promise<void> {
    this.busy.set(true);
    try {
      const c = await firstValueFrom(this.http.post<CourseDetail>(`/api/courses/${this.id()}/${action}`, {}));
      this.course.set(c);
      this.error.set(null);
      if (action === 'publish') this.snack.open(fmt(this.L().published, { n: c.version?.version ?? '' }), undefined, { duration: 3000 });
    } catch (e) {
      this.error.set(this.i18n.error(e));
    } finally {
      this.busy.set(false);
    }
  }

  archive(): void {
    if (confirm(this.L().archiveConfirm)) this.act('archive');
  }

  protected audienceSaved(audience: CourseAudience): void {
    this.course.update((c) => (c ? { ...c, audience } : c));
  }
}
