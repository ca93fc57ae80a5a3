import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, effect, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { CourseSummary, MyLearningItem, NetworkCategory, Page } from '@dxtrain/shared/contracts';
import { I18n } from '../../core/i18n';
import { duration, fmt, LEARNING_I18N } from './learning.i18n';

/** Published courses the learner may take: search (diacritics-insensitive on the server), topic and audience filters. */
@Component({
  selector: 'dx-catalogue',
  imports: [FormsModule, RouterLink, MatFormFieldModule, MatInputModule, MatSelectModule, MatButtonModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="page">
      <h1>{{ L().catalogue }}</h1>
      <div class="filters">
        <mat-form-field class="grow">
          <mat-label>{{ L().searchCourses }}</mat-label>
          <input matInput data-testid="catalogue-search" [ngModel]="q()" (ngModelChange)="onSearch($event)" />
        </mat-form-field>
        <mat-form-field>
          <mat-label>{{ L().topic }}</mat-label>
          <mat-select data-testid="catalogue-topic" [ngModel]="topic()" (ngModelChange)="topic.set($event)">
            <mat-option [value]="''">{{ L().allTopics }}</mat-option>
            @for (t of topics(); track t) {
              <mat-option [value]="t">{{ t }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
        <mat-form-field>
          <mat-label>{{ L().audience }}</mat-label>
          <mat-select [ngModel]="audience()" (ngModelChange)="audience.set($event)">
            <mat-option [value]="''">{{ L().allAudiences }}</mat-option>
            @for (c of i18n.categories(); track c) {
              <mat-option [value]="c">{{ i18n.category(c) }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
      </div>
      @if (error()) {
        <p class="error" role="alert">{{ error() }}</p>
      }
      <div class="cards" data-testid="catalogue-list">
        @for (c of courses()?.items ?? []; track c.id) {
          <a class="card" [routerLink]="['/courses', c.id]" data-testid="catalogue-item">
            <span class="muted">{{ c.code }} · {{ fmt(L().periods, { n: c.periods }) }} · {{ fmt(L().lessons, { n: c.lessonCount }) }}</span>
            <strong>{{ c.title }}</strong>
            <span class="summary">{{ c.summary }}</span>
            <span>
              @for (t of c.topics; track t) {
                <span class="badge">{{ t }}</span>
              }
            </span>
            @if (mine().get(c.id); as p) {
              <span class="badge" [class.ok]="p.completedAt">{{ p.completedAt ? L().completed : fmt(L().percent, { n: p.percentComplete }) }}</span>
            }
          </a>
        } @empty {
          <p class="muted">{{ courses() ? L().noCourses : L().loading }}</p>
        }
      </div>
    </div>
  `,
  styles: [
    `.grow { flex: 1; min-width: 240px; }
     .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(280px, 1fr)); gap: 12px; }
     .card { display: flex; flex-direction: column; gap: 6px; padding: 16px; border: 1px solid #dde3ee; border-radius: 12px; color: inherit; text-decoration: none; background: #fff; }
     .card:hover { border-color: #5c7cfa; }
     .summary { color: #444; display: -webkit-box; -webkit-line-clamp: 3; -webkit-box-orient: vertical; overflow: hidden; }`,
  ],
})
export class CatalogueComponent {
  protected readonly i18n = inject(I18n);
  protected readonly L = computed(() => this.i18n.pick(LEARNING_I18N));
  protected readonly fmt = fmt;
  private readonly http = inject(HttpClient);
  protected readonly q = signal('');
  private readonly debouncedQ = signal('');
  protected readonly topic = signal('');
  protected readonly audience = signal<NetworkCategory | ''>('');
  protected readonly courses = signal<Page<CourseSummary> | null>(null);
  protected readonly topics = signal<string[]>([]);
  protected readonly error = signal<string | null>(null);
  protected readonly mine = signal(new Map<string, MyLearningItem['progress']>());
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    effect(() => {
      const params: Record<string, string> = { pageSize: '100' };
      if (this.debouncedQ().trim()) params['q'] = this.debouncedQ().trim();
      if (this.topic()) params['topic'] = this.topic();
      if (this.audience()) params['audience'] = this.audience();
      firstValueFrom(this.http.get<Page<CourseSummary>>('/api/courses', { params }))
        .then((page) => {
          this.courses.set(page);
          this.error.set(null);
          if (!this.topics().length) {
            const all = new Set(page.items.flatMap((c) => c.topics));
            this.topics.set([...all].sort((a, b) => a.localeCompare(b, 'vi')));
          }
        })
        .catch((e) => this.error.set(this.i18n.error(e)));
    });
    firstValueFrom(this.http.get<MyLearningItem[]>('/api/me/learning'))
      .then((items) => this.mine.set(new Map(items.map((i) => [i.course.id, i.progress]))))
      .catch(() => undefined); // accounts without a staff record have no learning of their own
  }

  onSearch(value: string): void {
    this.q.set(value);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.debouncedQ.set(value), 250);
  }
}

/** "My learning": every course the learner started, with a progress bar. */
@Component({
  selector: 'dx-my-learning',
  imports: [RouterLink, MatProgressBarModule, MatButtonModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="page">
      <h1>{{ L().myLearning }}</h1>
      @if (error()) {
        <p class="error" role="alert">{{ error() }}</p>
      }
      @for (item of items() ?? []; track item.course.id) {
        <a class="row" [routerLink]="['/courses', item.course.id]" data-testid="my-learning-item">
          <div class="head">
            <strong>{{ item.course.title }}</strong>
            <span class="muted">{{ item.course.code }} · {{ fmt(L().periods, { n: item.course.periods }) }}</span>
          </div>
          <mat-progress-bar mode="determinate" [value]="item.progress.percentComplete" [attr.aria-label]="fmt(L().percent, { n: item.progress.percentComplete })" />
          <div class="muted">
            @if (item.progress.completedAt) {
              <span class="badge ok" data-testid="my-learning-status">{{ L().completed }}</span>
              {{ fmt(L().completedOn, { date: i18n.day(item.progress.completedAt) }) }}
              @if (item.progress.score !== null) {
                · {{ fmt(L().score, { score: percent(item.progress.score) }) }}
              }
            } @else {
              <span class="badge" data-testid="my-learning-status">{{ fmt(L().percent, { n: item.progress.percentComplete }) }}</span>
              {{ item.progress.lessonsCompleted }}/{{ item.progress.lessonsRequired }}
            }
            · {{ fmt(L().timeSpent, { t: dur(item.progress.timeSpentSeconds) }) }}
          </div>
        </a>
      } @empty {
        @if (items()) {
          <p class="muted">{{ L().myLearningEmpty }}</p>
          <a mat-stroked-button routerLink="/courses">{{ L().toCatalogue }}</a>
        } @else {
          <p class="muted">{{ L().loading }}</p>
        }
      }
    </div>
  `,
  styles: [
    `.row { display: flex; flex-direction: column; gap: 8px; padding: 12px 16px; border: 1px solid #dde3ee; border-radius: 12px; margin-bottom: 12px; color: inherit; text-decoration: none; }
     .head { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 8px; }`,
  ],
})
export class MyLearningComponent {
  protected readonly i18n = inject(I18n);
  protected readonly L = computed(() => this.i18n.pick(LEARNING_I18N));
  protected readonly fmt = fmt;
  private readonly http = inject(HttpClient);
  protected readonly items = signal<MyLearningItem[] | null>(null);
  protected readonly error = signal<string | null>(null);

  constructor() {
    firstValueFrom(this.http.get<MyLearningItem[]>('/api/me/learning'))
      .then((items) => this.items.set(items))
      .catch((e) => (this.items.set([]), this.error.set(this.i18n.error(e))));
  }

  protected dur(seconds: number): string {
    return duration(seconds, this.i18n.lang());
  }

  protected percent(fraction: number): string {
    return `${this.i18n.number(Math.round(fraction * 1000) / 10)}%`;
  }
}
