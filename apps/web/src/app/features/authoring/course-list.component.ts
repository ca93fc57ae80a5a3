import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { Router, RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { CourseDetail, CourseStatus, CourseSummary, OrgUnitSummary, Page } from '@dxtrain/shared/contracts';
import { I18n } from '../../core/i18n';
import { fmt } from '../learning/learning.i18n';
import { AUTHORING_I18N } from './authoring.i18n';

/** Every unit the caller may act on (their grant roots and subtrees), current ones only. */
export async function unitsInScope(http: HttpClient): Promise<OrgUnitSummary[]> {
  const tops = await firstValueFrom(http.get<OrgUnitSummary[]>('/api/org-units'));
  const all: OrgUnitSummary[] = [];
  for (const top of tops) all.push(...(await firstValueFrom(http.get<OrgUnitSummary[]>(`/api/org-units/${top.id}/subtree`))));
  return all.filter((u) => !u.validTo);
}

/** The courses an organiser can edit (drafts included), and a form to create one. */
@Component({
  selector: 'dx-course-list',
  imports: [FormsModule, RouterLink, MatButtonModule, MatFormFieldModule, MatInputModule, MatSelectModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="page">
      <h1>{{ L().courses }}</h1>
      <form class="filters" (ngSubmit)="create()" data-testid="course-create-form">
        <mat-form-field class="narrow">
          <mat-label>{{ L().code }}</mat-label>
          <input matInput name="code" required maxlength="50" data-testid="new-course-code" [(ngModel)]="code" />
        </mat-form-field>
        <mat-form-field class="wide">
          <mat-label>{{ L().title }}</mat-label>
          <input matInput name="title" required maxlength="255" data-testid="new-course-title" [(ngModel)]="title" />
        </mat-form-field>
        <mat-form-field class="narrow">
          <mat-label>{{ L().periods }}</mat-label>
          <input matInput name="periods" type="number" min="1" max="1000" data-testid="new-course-periods" [(ngModel)]="periods" />
        </mat-form-field>
        <mat-form-field>
          <mat-label>{{ L().ownerUnit }}</mat-label>
          <mat-select name="unit" data-testid="new-course-unit" [(ngModel)]="ownerUnitId">
            @for (u of units(); track u.id) {
              <mat-option [value]="u.id">{{ u.name }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
        <button mat-flat-button type="submit" data-testid="new-course-create" [disabled]="busy()">{{ L().create }}</button>
      </form>
      @if (error()) {
        <p class="error" role="alert" data-testid="course-create-error">{{ error() }}</p>
      }
      <table class="data" data-testid="authoring-courses">
        <thead>
          <tr><th>{{ L().code }}</th><th>{{ L().title }}</th><th>{{ L().status }}</th><th>{{ L().version }}</th><th>{{ L().ownerUnit }}</th></tr>
        </thead>
        <tbody>
          @for (c of courses(); track c.id) {
            <tr class="clickable" [routerLink]="['/authoring/courses', c.id]" data-testid="authoring-course-row">
              <td>{{ c.code }}</td>
              <td><a [routerLink]="['/authoring/courses', c.id]">{{ c.title }}</a></td>
              <td><span class="badge" [class.ok]="c.status === S.Published">{{ L().statuses[c.status] }}</span></td>
              <td>{{ c.publishedVersion ?? '—' }}@if (c.hasDraft) { · <span class="muted">{{ L().hasDraft }}</span> }</td>
              <td>{{ c.ownerUnitName }}</td>
            </tr>
          } @empty {
            <tr><td colspan="5" class="muted">{{ loaded() ? L().noCourses : '…' }}</td></tr>
          }
        </tbody>
      </table>
    </div>
  `,
  styles: ['.narrow { width: 140px; } .wide { min-width: 260px; flex: 1; }'],
})
export class CourseListComponent {
  protected readonly S = CourseStatus;
  protected readonly i18n = inject(I18n);
  protected readonly L = computed(() => this.i18n.pick(AUTHORING_I18N));
  protected readonly fmt = fmt;
  private readonly http = inject(HttpClient);
  private readonly router = inject(Router);
  protected readonly courses = signal<CourseSummary[]>([]);
  protected readonly units = signal<OrgUnitSummary[]>([]);
  protected readonly loaded = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected code = '';
  protected title = '';
  protected periods = 4;
  protected ownerUnitId = '';

  constructor() {
    firstValueFrom(this.http.get<Page<CourseSummary>>('/api/courses', { params: { manage: 'true', pageSize: '200' } }))
      .then((p) => (this.courses.set(p.items), this.loaded.set(true)))
      .catch((e) => this.error.set(this.i18n.error(e)));
    unitsInScope(this.http)
      .then((units) => {
        this.units.set(units);
        this.ownerUnitId ||= units[0]?.id ?? '';
      })
      .catch((e) => this.error.set(this.i18n.error(e)));
  }

  async create(): Promise<void> {
    this.busy.set(true);
    try {
      const c = await firstValueFrom(
        this.http.post<CourseDetail>('/api/courses', { code: this.code, title: this.title, periods: Number(this.periods) || undefined, ownerUnitId: this.ownerUnitId }),
      );
      this.router.navigate(['/authoring/courses', c.id]);
    } catch (e) {
      this.error.set(this.i18n.error(e));
    } finally {
      this.busy.set(false);
    }
  }
}
