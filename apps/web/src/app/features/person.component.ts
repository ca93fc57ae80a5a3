import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { PersonDetail, Role } from '@dxtrain/shared/contracts';
import { Auth } from '../core/auth';
import { I18n } from '../core/i18n';

/** A person's record; on /me, the signed-in user's own. */
@Component({
  selector: 'dx-person',
  imports: [RouterLink, MatButtonModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: ['dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; }'],
  template: `
    <div class="page">
      @if (error()) {
        <p class="error" data-testid="person-error">{{ error() }}</p>
      }
      @if (person(); as p) {
        <h2 data-testid="person-name">{{ p.fullName }}</h2>
        <dl>
          <dt>{{ i18n.t('staffCode') }}</dt><dd>{{ p.staffCode }}</dd>
          <dt>{{ i18n.t('unit') }}</dt><dd>@if (auth.canReadStaff()) { <a [routerLink]="['/org', p.orgUnitId]">{{ p.orgUnitName }}</a> } @else { {{ p.orgUnitName }} }</dd>
          <dt>{{ i18n.t('position') }}</dt><dd>{{ p.position ?? '—' }}</dd>
          <dt>{{ i18n.t('category') }}</dt><dd>{{ i18n.category(p.networkCategory) }}</dd>
          <dt>{{ i18n.t('email') }}</dt><dd>{{ p.email ?? '—' }}</dd>
          <dt>{{ i18n.t('phone') }}</dt><dd>{{ p.phone ?? '—' }}</dd>
          <dt>{{ i18n.t('status') }}</dt><dd>{{ p.active ? i18n.t('active') : i18n.t('inactive') }}</dd>
          @if (p.isFocalPoint) {
            <dt>{{ i18n.t('focalPoint') }}</dt><dd>✓</dd>
          }
        </dl>
        @if (canEdit() && !isMe()) {
          <button mat-stroked-button data-testid="toggle-active" (click)="toggleActive(p)">{{ p.active ? i18n.t('deactivate') : i18n.t('reactivate') }}</button>
        }
      } @else if (isMe() && noPerson()) {
        <p class="muted" data-testid="no-person">{{ i18n.t('noPerson') }}</p>
      }
      @if (isMe()) {
        <h3>{{ i18n.t('roles') }}</h3>
        <ul data-testid="my-grants">
          @for (g of auth.me()?.grants ?? []; track g.id) {
            <li>{{ i18n.role(g.role) }} — {{ g.orgUnitName }}</li>
          }
        </ul>
      }
    </div>
  `,
})
export class PersonComponent {
  readonly id = input<string | undefined>(undefined);
  protected readonly auth = inject(Auth);
  protected readonly i18n = inject(I18n);
  private readonly http = inject(HttpClient);
  protected readonly person = signal<PersonDetail | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly isMe = computed(() => !this.id());
  protected readonly noPerson = computed(() => this.auth.me()?.person === null);
  protected readonly canEdit = computed(() => this.auth.roles().some((r) => [Role.Admin, Role.Organiser, Role.UnitManager].includes(r)));

  constructor() {
    effect(() => {
      const id = this.id() ?? this.auth.me()?.person?.id;
      if (!id) return;
      firstValueFrom(this.http.get<PersonDetail>(`/api/staff/${id}`))
        .then((p) => (this.person.set(p), this.error.set(null)))
        .catch((e) => this.error.set(this.i18n.error(e)));
    });
  }

  async toggleActive(p: PersonDetail): Promise<void> {
    try {
      this.person.set(await firstValueFrom(this.http.post<PersonDetail>(`/api/staff/${p.id}/${p.active ? 'deactivate' : 'reactivate'}`, {})));
    } catch (e) {
      this.error.set(this.i18n.error(e));
    }
  }
}
