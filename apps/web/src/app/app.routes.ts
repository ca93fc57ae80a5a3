import { Routes } from '@angular/router';
import { adminOnly, certificateChecker, courseEditor, enrolmentManager, signedIn, staffReader } from './core/auth';
import { AUTHORING_ROUTES } from './features/authoring/authoring.routes';
import { COMPLIANCE_ROUTES } from './features/compliance/compliance.routes';
import { LEARNING_ROUTES } from './features/learning/learning.routes';
import { CHECK_IN_ROUTE, SCHEDULING_ROUTES } from './features/scheduling/scheduling.routes';

export const routes: Routes = [
  { path: 'login', loadComponent: () => import('./features/login.component').then((m) => m.LoginComponent) },
  // Public: anyone scanning a certificate's QR code lands here, signed in or not.
  { path: 'verify', loadComponent: () => import('./features/certificates/certificates.component').then((m) => m.VerifyComponent) },
  { path: 'verify/:code', loadComponent: () => import('./features/certificates/certificates.component').then((m) => m.VerifyComponent) },
  // A learner's phone scanning a session's QR code: signs in on the page itself if needed.
  CHECK_IN_ROUTE,
  {
    path: '',
    canActivate: [signedIn],
    loadComponent: () => import('./features/shell.component').then((m) => m.ShellComponent),
    children: [
      { path: '', pathMatch: 'full', loadComponent: () => import('./features/home.component').then((m) => m.HomeComponent) },
      { path: 'org', canActivate: [staffReader], loadComponent: () => import('./features/org-tree.component').then((m) => m.OrgTreeComponent) },
      { path: 'org/:id', canActivate: [staffReader], loadComponent: () => import('./features/unit.component').then((m) => m.UnitComponent) },
      { path: 'staff', canActivate: [staffReader], loadComponent: () => import('./features/staff-list.component').then((m) => m.StaffListComponent) },
      { path: 'staff/:id', loadComponent: () => import('./features/person.component').then((m) => m.PersonComponent) },
      { path: 'me', loadComponent: () => import('./features/person.component').then((m) => m.PersonComponent) },
      { path: 'admin/audit', canActivate: [adminOnly], loadComponent: () => import('./features/audit.component').then((m) => m.AuditComponent) },
      {
        path: 'admin/reorganisation',
        canActivate: [adminOnly],
        loadComponent: () => import('./features/organisation/reorganisation.component').then((m) => m.ReorganisationComponent),
      },
      ...LEARNING_ROUTES,
      ...COMPLIANCE_ROUTES,
      ...SCHEDULING_ROUTES,
      { path: 'authoring', canActivate: [courseEditor], children: AUTHORING_ROUTES },
      {
        path: 'enrolment',
        canActivate: [enrolmentManager],
        loadComponent: () => import('./features/enrolment/enrolment-page.component').then((m) => m.EnrolmentPageComponent),
      },
      { path: 'my-certificates', loadComponent: () => import('./features/certificates/certificates.component').then((m) => m.MyCertificatesComponent) },
      {
        path: 'certificates/templates',
        canActivate: [courseEditor],
        loadComponent: () => import('./features/certificates/certificates.component').then((m) => m.CertificateTemplatesComponent),
      },
      {
        path: 'certificates/verify-bulk',
        canActivate: [certificateChecker],
        loadComponent: () => import('./features/certificates/certificates.component').then((m) => m.BulkVerifyComponent),
      },
      { path: 'no-access', loadComponent: () => import('./features/home.component').then((m) => m.NoAccessComponent) },
    ],
  },
  { path: '**', redirectTo: '' },
];
