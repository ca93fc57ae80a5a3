import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, effect, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { firstValueFrom } from 'rxjs';
import { AuditEvent, Page } from '@dxtrain/shared/contracts';
import { I18n } from '../core/i18n';

@Component({
  selector: 'dx-audit',
  imports: [MatButtonModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: ['pre { white-space: pre-wrap; font-size: 12px; margin: 0; }'],
  template: `
    <div class="page">
      <h2>{{ i18n.t('navAudit') }}</h2>
      @if (error()) {
        <p class="error">{{ error() }}</p>
      }
      <table class="data">
        <thead><tr><th>{{ i18n.t('time') }}</th><th>{{ i18n.t('actor') }}</th><th>{{ i18n.t('action') }}</th><th>{{ i18n.t('object') }}</th><th>{{ i18n.t('details') }}</th></tr></thead>
        <tbody>
          @for (e of result()?.items ?? []; track e.id) {
            <tr data-testid="audit-row">
              <td>{{ i18n.date(e.occurredAt) }}</td>
              <td>{{ e.actorUsername ?? '—' }}</td>
              <td>{{ e.action }}</td>
              <td>{{ e.entityType }}</td>
              <td><pre>{{ describe(e) }}</pre></td>
            </tr>
          }
        </tbody>
      </table>
      <button mat-button [disabled]="page() <= 1" (click)="page.set(page() - 1)">{{ i18n.t('previous') }}</button>
      <button mat-button [disabled]="(result()?.items?.length ?? 0) < 50" (click)="page.set(page() + 1)">{{ i18n.t('next') }}</button>
    </div>
  `,
})
export class AuditComponent {
  protected readonly i18n = inject(I18n);
  private readonly http = inject(HttpClient);
  protected readonly page = signal(1);
  protected readonly result = signal<Page<AuditEvent> | null>(null);
  protected readonly error = signal<string | null>(null);

  constructor() {
    effect(() => {
      firstValueFrom(this.http.get<Page<AuditEvent>>('/api/audit', { params: { page: String(this.page()), pageSize: '50' } }))
        .then((r) => this.result.set(r))
        .catch((e) => this.error.set(this.i18n.error(e)));
    });
  }

  describe(e: AuditEvent): string {
    return [e.before ? `− ${JSON.stringify(e.before)}` : '', e.after ? `+ ${JSON.stringify(e.after)}` : ''].filter(Boolean).join('\n');
  }
}
