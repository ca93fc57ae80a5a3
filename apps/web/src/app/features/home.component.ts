import { ChangeDetectionStrategy, Component, OnInit, inject } from '@angular/core';
import { Router } from '@angular/router';
import { Auth } from '../core/auth';
import { I18n } from '../core/i18n';

/** Sends each role to its home page. */
@Component({ selector: 'dx-home', template: '', changeDetection: ChangeDetectionStrategy.OnPush })
export class HomeComponent implements OnInit {
  private readonly auth = inject(Auth);
  private readonly router = inject(Router);
  ngOnInit(): void {
    void this.router.navigate([this.auth.canReadStaff() ? '/org' : '/me'], { replaceUrl: true });
  }
}

@Component({
  selector: 'dx-no-access',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<div class="page"><p class="error" data-testid="no-access">{{ i18n.t('noAccess') }}</p></div>`,
})
export class NoAccessComponent {
  protected readonly i18n = inject(I18n);
}
