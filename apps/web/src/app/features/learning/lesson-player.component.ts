import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, DestroyRef, effect, ElementRef, inject, input, signal, viewChild } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { DomSanitizer, SafeResourceUrl } from '@angular/platform-browser';
import { RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { CourseDetail, CourseProgressSummary, LessonDetail, LessonKind } from '@dxtrain/shared/contracts';
import { I18n } from '../../core/i18n';
import { flatLessons } from './course-page.component';
import { fmt, LEARNING_I18N } from './learning.i18n';

/** How often time spent (and the video position) is reported while the page is visible. */
const REPORT_EVERY_MS = 30_000;

/** One lesson: text, video (resumes where the learner stopped), PDF inline, link or quiz; time spent is reported. */
@Component({
  selector: 'dx-lesson-player',
  imports: [RouterLink, MatButtonModule, MatIconModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="page">
      @if (error()) {
        <p class="error" role="alert" data-testid="lesson-error">{{ error() }}</p>
      }
      @if (lesson(); as l) {
        <a mat-button [routerLink]="['/courses', l.courseId]" data-testid="lesson-back"><mat-icon>arrow_back</mat-icon>{{ course()?.version?.title ?? L().backToCourse }}</a>
        <h1 data-testid="lesson-title">{{ l.title }}</h1>
        @switch (l.kind) {
          @case (K.Text) {
            <article class="prose" data-testid="lesson-text" [innerHTML]="l.html"></article>
          }
          @case (K.Video) {
            @if (l.fileUrl) {
              <video #video controls preload="metadata" class="media" data-testid="lesson-video" [src]="l.fileUrl" (loadedmetadata)="seekToSaved()" (ended)="markComplete()"></video>
            } @else if (l.url) {
              <p><a [href]="l.url" target="_blank" rel="noopener">{{ l.url }}</a></p>
            }
          }
          @case (K.Document) {
            @if (docUrl(); as u) {
              <object class="pdf" type="application/pdf" [data]="u" data-testid="lesson-pdf">
                <p>{{ L().noPdfViewer }}</p>
              </object>
              <p><a mat-stroked-button [href]="l.fileUrl" [attr.download]="l.fileName">{{ L().download }} ({{ l.fileName }})</a></p>
            }
          }
          @case (K.Link) {
            <p><a mat-stroked-button [href]="l.url" target="_blank" rel="noopener" (click)="markComplete()">{{ L().openLink }}</a> <span class="muted">{{ l.url }}</span></p>
          }
          @case (K.Quiz) {
            <p><a mat-flat-button [routerLink]="['/quizzes', l.quizId]" [queryParams]="{ lesson: l.id }" data-testid="lesson-open-quiz">{{ L().openQuiz }}</a></p>
          }
        }
        <div class="actions">
          @if (completed()) {
            <span class="badge ok" data-testid="lesson-done"><mat-icon inline>check</mat-icon> {{ L().lessonDone }}</span>
          } @else if (l.kind !== K.Quiz && !canEditOnly()) {
            <button mat-flat-button data-testid="lesson-complete" (click)="markComplete()">{{ L().markComplete }}</button>
          }
          <span class="spacer"></span>
          @if (neighbours().prev; as p) {
            <a mat-button [routerLink]="['/lessons', p]" data-testid="lesson-prev">{{ L().previousLesson }}</a>
          }
          @if (neighbours().next; as n) {
            <a mat-stroked-button [routerLink]="['/lessons', n]" data-testid="lesson-next">{{ L().nextLesson }}</a>
          }
        </div>
        @if (courseProgress()?.completedAt) {
          <p class="badge ok" data-testid="course-completed-banner">{{ L().courseCompleted }}</p>
        }
      } @else if (!error()) {
        <p class="muted">{{ L().loading }}</p>
      }
    </div>
  `,
  styles: [
    `.prose { max-width: 760px; line-height: 1.6; overflow-wrap: anywhere; }
     .prose img { max-width: 100%; }
     .media { width: 100%; max-width: 960px; background: #000; border-radius: 8px; }
     .pdf { width: 100%; height: 75vh; border: 1px solid #ddd; }
     .actions { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 16px 0; }
     .spacer { flex: 1; }`,
  ],
})
export class LessonPlayerComponent {
  readonly id = input.required<string>();
  protected readonly K = LessonKind;
  protected readonly i18n = inject(I18n);
  protected readonly L = computed(() => this.i18n.pick(LEARNING_I18N));
  private readonly http = inject(HttpClient);
  private readonly sanitizer = inject(DomSanitizer);
  protected readonly lesson = signal<LessonDetail | null>(null);
  protected readonly course = signal<CourseDetail | null>(null);
  protected readonly courseProgress = signal<CourseProgressSummary | null>(null);
  protected readonly completed = signal(false);
  protected readonly error = signal<string | null>(null);
  private readonly video = viewChild<ElementRef<HTMLVideoElement>>('video');
  /** Editors previewing a course they do not study. */
  protected readonly canEditOnly = computed(() => !!this.course()?.canEdit && !this.course()?.progress);
  protected readonly docUrl = computed<SafeResourceUrl | null>(() => {
    const url = this.lesson()?.fileUrl;
    return url ? this.sanitizer.bypassSecurityTrustResourceUrl(url) : null;
  });
  protected readonly neighbours = computed(() => {
    const lessons = flatLessons(this.course());
    const i = lessons.findIndex((l) => l.id === this.lesson()?.id);
    return { prev: i > 0 ? lessons[i - 1].id : null, next: i >= 0 && i < lessons.length - 1 ? lessons[i + 1].id : null };
  });
  private since = Date.now();

  constructor() {
    effect(() => {
      const id = this.id();
      this.flush(); // time spent on the previous lesson when navigating lesson → lesson
      this.load(id);
    });
    const timer = setInterval(() => this.flush(), REPORT_EVERY_MS);
    const onHide = () => document.visibilityState === 'hidden' && this.flush();
    document.addEventListener('visibilitychange', onHide);
    inject(DestroyRef).onDestroy(() => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onHide);
      this.flush();
    });
  }

  private async load(id: string): Promise<void> {
    try {
      const lesson = await firstValueFrom(this.http.get<LessonDetail>(`/api/lessons/${id}`));
      this.lesson.set(lesson);
      this.completed.set(!!lesson.progress?.completedAt);
      this.error.set(null);
      this.since = Date.now();
      if (this.course()?.id !== lesson.courseId) this.course.set(await firstValueFrom(this.http.get<CourseDetail>(`/api/courses/${lesson.courseId}`)));
      this.courseProgress.set(this.course()?.progress ?? null);
      if (this.course()?.progress) this.report({}); // records the view and the resume point
    } catch (e) {
      this.error.set(this.i18n.error(e));
    }
  }

  protected seekToSaved(): void {
    const seconds = Number(this.lesson()?.progress?.position?.['seconds'] ?? 0);
    const el = this.video()?.nativeElement;
    if (el && seconds > 0 && seconds < el.duration - 1) el.currentTime = seconds;
  }

  async markComplete(): Promise<void> {
    if (this.completed() || !this.course()?.progress) return;
    await this.report({ completed: true });
  }

  /** Reports time spent since the last report (and the video position). */
  private flush(): void {
    const lesson = this.lesson();
    if (!lesson || !this.course()?.progress) return;
    const seconds = Math.min(3600, Math.round((Date.now() - this.since) / 1000));
    if (seconds < 5 && !this.video()) return;
    this.report({});
  }

  private async report(extra: { completed?: boolean }): Promise<void> {
    const lesson = this.lesson();
    if (!lesson) return;
    const seconds = Math.min(3600, Math.round((Date.now() - this.since) / 1000));
    this.since = Date.now();
    const el = this.video()?.nativeElement;
    const body = { ...extra, timeSpentSeconds: seconds, ...(el ? { position: { seconds: Math.floor(el.currentTime) } } : {}) };
    try {
      const p = await firstValueFrom(this.http.post<CourseProgressSummary>(`/api/lessons/${lesson.id}/progress`, body));
      this.courseProgress.set(p);
      if (p.completedLessonIds.includes(lesson.id)) this.completed.set(true);
    } catch (e) {
      this.error.set(this.i18n.error(e));
    }
  }
}
