import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, effect, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { Router } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { NetworkCategory, Page, PersonSummary } from '@dxtrain/shared/contracts';
import { I18n } from '../core/i18n';

/** Staff search with filters and paging; `unitId` limits it to a unit's subtree. */
@Component({
  selector: 'dx-staff-table',
  imports: [FormsModule, MatFormFieldModule, MatInputModule, MatSelectModule, MatButtonModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="filters">
      <mat-form-field>
        <mat-label>{{ i18n.t('searchStaff') }}</mat-label>
        <input matInput data-testid="staff-search" [ngModel]="q()" (ngModelChange)="onSearch($event)" />
      </mat-form-field>
      <mat-form-field>
        <mat-label>{{ i18n.t('category') }}</mat-label>
        <mat-select data-testid="staff-category" [ngModel]="category()" (ngModelChange)="category.set($event); page.set(1)">
          <mat-option [value]="''">{{ i18n.t('allCategories') }}</mat-option>
          @for (c of i18n.categories(); track c) {
            <mat-option [value]="c">{{ i18n.category(c) }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
      <mat-form-field>
        <mat-label>{{ i18n.t('status') }}</mat-label>
        <mat-select [ngModel]="active()" (ngModelChange)="active.set($event); page.set(1)">
          <mat-option value="true">{{ i18n.t('active') }}</mat-option>
          <mat-option value="false">{{ i18n.t('inactive') }}</mat-option>
          <mat-option value="all">{{ i18n.t('all') }}</mat-option>
        </mat-select>
      </mat-form-field>
    </div>
    @if (error()) {
      <p class="error" data-testid="staff-error">{{ error() }}</p>
    }
    <table class="data">
      <thead>
        <tr><th>{{ i18n.t('fullName') }}</th><th>{{ i18n.t('staffCode') }}</th><th>{{ i18n.t('unit') }}</th><th>{{ i18n.t('position') }}</th><th>{{ i18n.t('category') }}</th></tr>
      </thead>
      <tbody>
        @for (p of result()?.items ?? []; track p.id) {
          <tr class="clickable" data-testid="staff-row" (click)="open(p)">
            <td>
              {{ p.fullName }}
              @if (p.isFocalPoint) {
                <span class="badge ok">{{ i18n.t('focalPoint') }}</span>
              }
              @if (!p.active) {
                <span class="badge warn">{{ i18n.t('inactive') }}</span>
              }
            </td>
            <td>{{ p.staffCode }}</td>
            <td>{{ p.orgUnitName }}</td>
            <td>{{ p.position }}</td>
            <td>{{ i18n.category(p.networkCategory) }}</td>
          </tr>
        } @empty {
          <tr><td colspan="5" class="muted">{{ result() ? i18n.t('noResults') : i18n.t('loading') }}</td></tr>
        }
      </tbody>
    </table>
    @if (result(); as r) {
      <div class="filters">
        <button mat-button [disabled]="page() <= 1" (click)="page.set(page() - 1)">{{ i18n.t('previous') }}</button>
        <span data-testid="staff-total">{{ i18n.t('pageOf', { page: r.page, pages: pages(r), total: i18n.number(r.total) }) }}</span>
        <button mat-button [disabled]="page() >= pages(r)" (click)="page.set(page() + 1)">{{ i18n.t('next') }}</button>
      </div>
    }
  `,
})
export class StaffTableComponent {
  readonly unitId = input<string | null>(null);
  protected readonly i18n = inject(I18n);
  private readonly http = inject(HttpClient);
  private readonly router = inject(Router);
  protected readonly q = signal('');
  private readonly debouncedQ = signal('');
  protected readonly category = signal<NetworkCategory | ''>('');
  protected readonly active = signal<'true' | 'false' | 'all'>('true');
  protected readonly page = signal(1);
  protected readonly result = signal<Page<PersonSummary> | null>(null);
  protected readonly error = signal<string | null>(null);
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    effect(() => {
      const params: Record<string, string> = { page: String(this.page()), pageSize: '25', active: this.active() };
      if (this.unitId()) params['unitId'] = this.unitId() as string;
      if (this.debouncedQ().trim()) params['q'] = this.debouncedQ();
      if (this.category()) params['category'] = this.category();
      firstValueFrom(this.http.get<Page<PersonSummary>>('/api/staff', { params }))
        .then((r) => (this.result.set(r), this.error.set(null)))
        .catch((e) => this.error.set(this.i18n.error(e)));
    });
  }

  onSearch(value: string): void {
    this.q.set(value);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => (this.debouncedQ.set(value), this.page.set(1)), 250);
  }

  pages(r: Page<PersonSummary>): number {
    return Math.max(1, Math.ceil(r.total / r.pageSize));
  }

  open(p: PersonSummary): void {
    void this.router.navigate(['/staff', p.id]);
  }
}
