import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, effect, inject, input, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { OrgUnitDetail, OrgUnitSummary } from '@dxtrain/shared/contracts';
import { I18n } from '../core/i18n';
import { StaffTableComponent } from './staff-table.component';

@Component({
  selector: 'dx-unit',
  imports: [RouterLink, StaffTableComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: ['.crumbs a { margin-right: 4px; } dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; }'],
  template: `
    <div class="page">
      @if (error()) {
        <p class="error" data-testid="unit-error">{{ error() }}</p>
      }
      @if (unit(); as u) {
        <div class="crumbs muted">
          <a routerLink="/org">{{ i18n.t('navOrg') }}</a>
          @for (a of u.ancestors; track a.id) {
            › <a [routerLink]="['/org', a.id]">{{ a.name }}</a>
          }
        </div>
        <h2 data-testid="unit-name" [class.closed]="u.validTo !== null">{{ u.name }}</h2>
        @if (u.hasFocalPoint) {
          <p><span class="badge ok" data-testid="focal-status">{{ i18n.t('hasFocal') }}</span>
            @for (fp of u.focalPoints; track fp.id) { <span>{{ fp.fullName }} </span> }</p>
        } @else {
          <p><span class="badge warn" data-testid="focal-status">{{ i18n.t('noFocal') }}</span></p>
        }
        <dl>
          <dt>{{ i18n.t('code') }}</dt><dd>{{ u.code }}</dd>
          <dt>{{ i18n.t('kind') }}</dt><dd>{{ i18n.kind(u.kind) }}</dd>
          <dt>{{ i18n.t('validFrom') }}</dt><dd>{{ i18n.day(u.validFrom) }}</dd>
          @if (u.mergedIntoId) {
            <dt>{{ i18n.t('mergedInto') }}</dt><dd><a [routerLink]="['/org', u.mergedIntoId]">{{ i18n.day(u.mergedAt) }}</a></dd>
          }
          <dt>{{ i18n.t('staffCount') }}</dt><dd data-testid="unit-staff-count">{{ i18n.number(u.subtreeStaffCount) }}</dd>
        </dl>
        @if (children().length) {
          <h3>{{ i18n.t('subUnits') }}</h3>
          <ul>
            @for (c of children(); track c.id) {
              <li><a [routerLink]="['/org', c.id]" [class.closed]="c.validTo !== null">{{ c.name }}</a> <span class="badge">{{ i18n.kind(c.kind) }}</span></li>
            }
          </ul>
        }
        <h3>{{ i18n.t('staff') }}</h3>
        <dx-staff-table [unitId]="u.id" />
      }
    </div>
  `,
})
export class UnitComponent {
  readonly id = input.required<string>();
  protected readonly i18n = inject(I18n);
  private readonly http = inject(HttpClient);
  protected readonly unit = signal<OrgUnitDetail | null>(null);
  protected readonly children = signal<OrgUnitSummary[]>([]);
  protected readonly error = signal<string | null>(null);

  constructor() {
    effect(() => {
      const id = this.id();
      this.unit.set(null);
      Promise.all([
        firstValueFrom(this.http.get<OrgUnitDetail>(`/api/org-units/${id}`)),
        firstValueFrom(this.http.get<OrgUnitSummary[]>('/api/org-units', { params: { parentId: id } })),
      ])
        .then(([u, c]) => (this.unit.set(u), this.children.set(c), this.error.set(null)))
        .catch((e) => this.error.set(this.i18n.error(e)));
    });
  }
}
