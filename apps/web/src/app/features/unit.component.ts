import { NgTemplateOutlet } from '@angular/common';
import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { OrgUnitDetail, OrgUnitLineageLink, OrgUnitSummary } from '@dxtrain/shared/contracts';
import { I18n } from '../core/i18n';
import { dmy, fill, ORGANISATION_I18N } from './organisation/organisation.i18n';
import { StaffTableComponent } from './staff-table.component';

@Component({
  selector: 'dx-unit',
  imports: [NgTemplateOutlet, RouterLink, StaffTableComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: [
    '.crumbs a { margin-right: 4px; } dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; }',
    '.lineage ul { padding-left: 20px; } .lineage li { margin-bottom: 4px; overflow-wrap: anywhere; } h4 { margin: 8px 0 4px; }',
  ],
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
          @if (u.validTo) {
            <dt>{{ O().validTo }}</dt><dd data-testid="unit-valid-to">{{ day(u.validTo) }}</dd>
          }
          <dt>{{ i18n.t('staffCount') }}</dt><dd data-testid="unit-staff-count">{{ i18n.number(u.subtreeStaffCount) }}</dd>
        </dl>
        @if (u.predecessors.length || u.successors.length) {
          <section class="lineage" data-testid="unit-lineage">
            <h3>{{ O().lineage }}</h3>
            @if (u.predecessors.length) {
              <h4>{{ O().formedFrom }}</h4>
              <ul data-testid="unit-predecessors">
                @for (l of u.predecessors; track l.unitId + l.relation) {
                  <ng-container *ngTemplateOutlet="link; context: { $implicit: l }" />
                }
              </ul>
            }
            @if (u.successors.length) {
              <h4>{{ O().became }}</h4>
              <ul data-testid="unit-successors">
                @for (l of u.successors; track l.unitId + l.relation) {
                  <ng-container *ngTemplateOutlet="link; context: { $implicit: l }" />
                }
              </ul>
            }
          </section>
        }
        <ng-template #link let-l>
          <li data-testid="lineage-link">
            <a [routerLink]="['/org', l.unitId]" [class.closed]="l.validTo !== null">{{ l.name }}</a>
            <span class="muted"> ({{ l.code }})</span>
            <span class="badge">{{ relation(l) }}</span>
            <span class="muted">{{ fmt(O().effective, { date: day(l.effectiveDate) }) }}</span>
          </li>
        </ng-template>
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
  protected readonly O = computed(() => this.i18n.pick(ORGANISATION_I18N));
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

  protected relation(l: OrgUnitLineageLink): string {
    return this.O().relations[l.relation];
  }
  protected day(value: string | null): string {
    return dmy(value);
  }
  protected fmt(text: string, params: Record<string, string | number>): string {
    return fill(text, params);
  }
}
