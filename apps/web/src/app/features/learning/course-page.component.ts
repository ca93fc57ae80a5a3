import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { Router, RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { CourseDetail, CourseProgressSummary, CourseStatus, LessonOutline } from '@dxtrain/shared/contracts';
import { I18n } from '../../core/i18n';
import { duration, fmt, LEARNING_I18N } from './learning.i18n';

const KIND_ICONS: Record<string, string> = { text: 'article', video: 'play_circle', document: 'picture_as_pdf', link: 'link', quiz: 'quiz' };

/** Every lesson of a version in reading order. */
export function flatLessons(course: CourseDetail | null): LessonOutline[] {
  return course?.version?.sections.flatMap((s) => s.lessons) ?? [];
}

/** A course as the learner sees it: summary, outline with what they finished, start / resume. */
@Component({
  selector: 'dx-course-page',
  imports: [RouterLink, MatButtonModule, MatIconModule, MatProgressBarModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="page">
      @if (error()) {
        <p class="error" role="alert" data-testid="course-error">{{ error() }}</p>
      }
      @if (course(); as c) {
        @if (c.version; as v) {
          <p class="muted">{{ c.code }} · {{ c.ownerUnitName }} · {{ fmt(L().periods, { n: v.periods }) }}</p>
          <h1 data-testid="course-title">{{ v.title }}</h1>
          <p class="pre">{{ v.summary }}</p>
          <p>
            @for (t of v.topics; track t) {
              <span class="badge">{{ t }}</span>
            }
            @for (a of v.audienceCategories; track a) {
              <span class="badge">{{ i18n.category(a) }}</span>
            }
          </p>
          @if (c.progress; as p) {
            <div class="progress">
              <mat-progress-bar mode="determinate" [value]="p.percentComplete" />
              @if (p.completedAt) {
                <p class="badge ok" data-testid="course-status">{{ L().completed }} · {{ fmt(L().completedOn, { date: i18n.day(p.completedAt) }) }}</p>
              } @else {
                <p data-testid="course-status">{{ fmt(L().percent, { n: p.percentComplete }) }} · {{ fmt(L().timeSpent, { t: dur(p.timeSpentSeconds) }) }}</p>
              }
            </div>
            <button mat-flat-button data-testid="course-resume" (click)="open(resumeLesson(p))">{{ p.completedAt ? L().review : L().resume }}</button>
          } @else if (c.status === S.Published) {
            <button mat-flat-button data-testid="course-start" [disabled]="busy()" (click)="start()">{{ L().startCourse }}</button>
          }
          @if (c.canEdit) {
            <a mat-button [routerLink]="['/authoring/courses', c.id]" data-testid="course-edit">{{ i18n.t('navAuthoring') }}</a>
          }
          <p class="muted">{{ L().completionRule }}</p>
          <h2>{{ L().outline }}</h2>
          @for (s of v.sections; track s.id) {
            <h3>{{ s.title }}</h3>
            <ol class="lessons">
              @for (l of s.lessons; track l.id) {
                <li data-testid="outline-lesson">
                  <mat-icon class="kind" [attr.aria-label]="L().kinds[l.kind]">{{ icons[l.kind] }}</mat-icon>
                  @if (c.progress) {
                    <a [routerLink]="['/lessons', l.id]">{{ l.title }}</a>
                  } @else {
                    <span>{{ l.title }}</span>
                  }
                  <span class="muted">{{ L().kinds[l.kind] }}@if (l.durationMinutes) { · {{ fmt(L().minutes, { n: l.durationMinutes }) }} } · {{ l.required ? L().required : L().optional }}</span>
                  @if (done().has(l.id)) {
                    <mat-icon class="done" [attr.aria-label]="L().completed">check_circle</mat-icon>
                  }
                </li>
              }
            </ol>
          }
        } @else {
          <h1>{{ c.code }}</h1>
          <p class="muted">{{ i18n.error({ error: { code: 'COURSE_NOT_AVAILABLE' } }) }}</p>
        }
      } @else if (!error()) {
        <p class="muted">{{ L().loading }}</p>
      }
    </div>
  `,
  styles: [
    `.pre { white-space: pre-line; }
     .progress { max-width: 480px; margin: 12px 0; }
     .lessons { padding-left: 0; list-style: none; }
     .lessons li { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; padding: 8px 0; border-bottom: 1px solid #eee; }
     .kind { color: #4a5a85; }
     .done { color: #1c7d3a; }`,
  ],
})
export class CoursePageComponent {
  readonly id = input.required<string>();
  protected readonly S = CourseStatus;
  protected readonly i18n = inject(I18n);
  protected readonly L = computed(() => this.i18n.pick(LEARNING_I18N));
  protected readonly fmt = fmt;
  protected readonly icons = KIND_ICONS;
  private readonly http = inject(HttpClient);
  private readonly router = inject(Router);
  protected readonly course = signal<CourseDetail | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected readonly done = computed(() => new Set(this.course()?.progress?.completedLessonIds ?? []));

  constructor() {
    effect(() => {
      const id = this.id();
      firstValueFrom(this.http.get<CourseDetail>(`/api/courses/${id}`))
        .then((c) => (this.course.set(c), this.error.set(null)))
        .catch((e) => this.error.set(this.i18n.error(e)));
    });
  }

  protected dur(seconds: number): string {
    return duration(seconds, this.i18n.lang());
  }

  /** The last lesson visited, else the first lesson not done, else the first one. */
  protected resumeLesson(p: CourseProgressSummary): string | null {
    const lessons = flatLessons(this.course());
    if (p.lastLessonId && lessons.some((l) => l.id === p.lastLessonId)) return p.lastLessonId;
    return (lessons.find((l) => !p.completedLessonIds.includes(l.id)) ?? lessons[0])?.id ?? null;
  }

  async start(): Promise<void> {
    this.busy.set(true);
    try {
      const p = await firstValueFrom(this.http.post<CourseProgressSummary>(`/api/courses/${this.id()}/start`, {}));
      this.course.update((c) => (c ? { ...c, progress: p } : c));
      this.open(this.resumeLesson(p));
    } catch (e) {
      this.error.set(this.i18n.error(e));
    } finally {
      this.busy.set(false);
    }
  }

  protected open(lessonId: string | null): void {
    if (lessonId) this.router.navigate(['/lessons', lessonId]);
  }
}
