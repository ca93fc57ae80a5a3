import { inject } from '@angular/core';
import { CanActivateFn, Router, Routes } from '@angular/router';
import { COMPLIANCE_READER_ROLES, COMPLIANCE_RULE_ROLES } from '@dxtrain/shared/contracts';
import { Auth } from '../../core/auth';

export const complianceReader: CanActivateFn = () =>
  inject(Auth).roles().some((r) => COMPLIANCE_READER_ROLES.includes(r)) ? true : inject(Router).createUrlTree(['/no-access']);
export const complianceRuleEditor: CanActivateFn = () =>
  inject(Auth).roles().some((r) => COMPLIANCE_RULE_ROLES.includes(r)) ? true : inject(Router).createUrlTree(['/no-access']);

/** `/dashboard` (the 2030 target) and `/dashboard/requirements`. */
export const COMPLIANCE_ROUTES: Routes = [
  { path: 'dashboard', canActivate: [complianceReader], loadComponent: () => import('./dashboard.component').then((m) => m.DashboardComponent) },
  { path: 'dashboard/requirements', canActivate: [complianceRuleEditor], loadComponent: () => import('./requirements.component').then((m) => m.RequirementsComponent) },
];
