import { BreakpointObserver } from '@angular/cdk/layout';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatListModule } from '@angular/material/list';
import { MatSidenavModule } from '@angular/material/sidenav';
import { MatToolbarModule } from '@angular/material/toolbar';
import { Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { map } from 'rxjs';
import { Auth } from '../core/auth';
import { I18n } from '../core/i18n';
import { COMPLIANCE_READER_ROLES } from '@dxtrain/shared/contracts';
import { COMPLIANCE_I18N } from './compliance/compliance.i18n';
import { CLASS_NOMINATOR_ROLES } from '@dxtrain/shared/contracts';
import { SCHEDULING_I18N } from './scheduling/scheduling.i18n';
import { ORGANISATION_I18N } from './organisation/organisation.i18n';

@Component({
  selector: 'dx-shell',
  imports: [RouterOutlet, RouterLink, RouterLinkActive, MatToolbarModule, MatSidenavModule, MatListModule, MatIconModule, MatButtonModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: ['mat-sidenav-container { height: 100vh; } mat-sidenav { width: 240px; } .spacer { flex: 1; } .user { font-size: 14px; margin-right: 8px; } @media (max-width: 600px) { .user { display: none; } }'],
  template: `
    <mat-sidenav-container>
      <mat-sidenav #nav [mode]="handset() ? 'over' : 'side'" [opened]="!handset()">
        <mat-nav-list>
          <a mat-list-item routerLink="/courses" routerLinkActive="active" data-testid="nav-catalogue"><mat-icon matListItemIcon>school</mat-icon>{{ i18n.t('navCatalogue') }}</a>
          <a mat-list-item routerLink="/my-learning" routerLinkActive="active" data-testid="nav-my-learning"><mat-icon matListItemIcon>menu_book</mat-icon>{{ i18n.t('navMyLearning') }}</a>
          <a mat-list-item routerLink="/my-certificates" routerLinkActive="active" data-testid="nav-my-certificates"><mat-icon matListItemIcon>workspace_premium</mat-icon>{{ i18n.t('navMyCertificates') }}</a>
          @if (canSeeDashboard()) {
            <a mat-list-item routerLink="/dashboard" routerLinkActive="active" data-testid="nav-dashboard"><mat-icon matListItemIcon>insights</mat-icon>{{ i18n.pick(complianceI18n).nav }}</a>
          }
          <a mat-list-item routerLink="/my-classes" routerLinkActive="active" data-testid="nav-my-classes"><mat-icon matListItemIcon>event</mat-icon>{{ i18n.pick(schedulingI18n).myClasses }}</a>
          @if (canSeeClasses()) {
            <a mat-list-item routerLink="/classes" routerLinkActive="active" data-testid="nav-classes"><mat-icon matListItemIcon>calendar_month</mat-icon>{{ i18n.pick(schedulingI18n).classes }}</a>
          }
          @if (auth.canCheckCertificates()) {
            <a mat-list-item routerLink="/certificates/verify-bulk" routerLinkActive="active" data-testid="nav-bulk-verify"><mat-icon matListItemIcon>fact_check</mat-icon>{{ i18n.t('navBulkVerify') }}</a>
          }
          @if (auth.canEditCourses()) {
            <a mat-list-item routerLink="/authoring" routerLinkActive="active" data-testid="nav-authoring"><mat-icon matListItemIcon>edit_note</mat-icon>{{ i18n.t('navAuthoring') }}</a>
            <a mat-list-item routerLink="/certificates/templates" routerLinkActive="active" data-testid="nav-certificate-templates"><mat-icon matListItemIcon>draw</mat-icon>{{ i18n.t('navCertificateTemplates') }}</a>
          }
          @if (auth.canManageEnrolment()) {
            <a mat-list-item routerLink="/enrolment" routerLinkActive="active" data-testid="nav-enrolment"><mat-icon matListItemIcon>how_to_reg</mat-icon>{{ i18n.t('navEnrolment') }}</a>
          }
          @if (auth.canReadStaff()) {
            <a mat-list-item routerLink="/org" routerLinkActive="active" data-testid="nav-org"><mat-icon matListItemIcon>account_tree</mat-icon>{{ i18n.t('navOrg') }}</a>
            <a mat-list-item routerLink="/staff" routerLinkActive="active" data-testid="nav-staff"><mat-icon matListItemIcon>groups</mat-icon>{{ i18n.t('navStaff') }}</a>
          }
          @if (auth.isAdmin()) {
            <a mat-list-item routerLink="/admin/audit" routerLinkActive="active" data-testid="nav-audit"><mat-icon matListItemIcon>history</mat-icon>{{ i18n.t('navAudit') }}</a>
            <a mat-list-item routerLink="/admin/reorganisation" routerLinkActive="active" data-testid="nav-reorganisation"><mat-icon matListItemIcon>merge_type</mat-icon>{{ i18n.pick(organisationI18n).nav }}</a>
          }
          <a mat-list-item routerLink="/me" routerLinkActive="active" data-testid="nav-me"><mat-icon matListItemIcon>person</mat-icon>{{ i18n.t('navMe') }}</a>
        </mat-nav-list>
      </mat-sidenav>
      <mat-sidenav-content>
        <mat-toolbar>
          @if (handset()) {
            <button mat-icon-button (click)="nav.toggle()" aria-label="menu"><mat-icon>menu</mat-icon></button>
          }
          <span>{{ i18n.t('appName') }}</span>
          <span class="spacer"></span>
          <span class="user" data-testid="current-user">{{ displayName() }}</span>
          <button mat-button data-testid="lang-switch" (click)="i18n.toggle()">{{ i18n.t('language') }}</button>
          <button mat-button data-testid="sign-out" (click)="signOut()">{{ i18n.t('signOut') }}</button>
        </mat-toolbar>
        <router-outlet />
      </mat-sidenav-content>
    </mat-sidenav-container>
  `,
})
export class ShellComponent {
  protected readonly auth = inject(Auth);
  protected readonly i18n = inject(I18n);
  private readonly router = inject(Router);
  protected readonly handset = toSignal(inject(BreakpointObserver).observe('(max-width: 700px)').pipe(map((r) => r.matches)), { initialValue: false });
  protected readonly displayName = computed(() => this.auth.me()?.user.displayName ?? '');
  protected readonly complianceI18n = COMPLIANCE_I18N;
  protected readonly canSeeDashboard = computed(() => this.auth.roles().some((r) => COMPLIANCE_READER_ROLES.includes(r)));
  protected readonly schedulingI18n = SCHEDULING_I18N;
  protected readonly organisationI18n = ORGANISATION_I18N;
  protected readonly canSeeClasses = computed(() => this.auth.roles().some((r) => CLASS_NOMINATOR_ROLES.includes(r)));

  async signOut(): Promise<void> {
    await this.auth.logout();
    await this.router.navigate(['/login']);
  }
}
