import { inject } from '@angular/core';
import { CanActivateFn, Route, Router, Routes } from '@angular/router';
import { CLASS_NOMINATOR_ROLES } from '@dxtrain/shared/contracts';
import { Auth } from '../../core/auth';

/** Organisers, admins and unit managers (who nominate) see the class list. */
export const classNominator: CanActivateFn = () =>
  inject(Auth).roles().some((r) => CLASS_NOMINATOR_ROLES.includes(r)) ? true : inject(Router).createUrlTree(['/no-access']);

/** The QR check-in page: outside the shell (it signs a scanning phone in itself, keeping the token). */
export const CHECK_IN_ROUTE: Route = { path: 'check-in/:token', loadComponent: () => import('./my-classes.component').then((m) => m.CheckInComponent) };

/** Routes of the training-class pages, under the signed-in shell. */
export const SCHEDULING_ROUTES: Routes = [
  { path: 'classes', canActivate: [classNominator], loadComponent: () => import('./classes.component').then((m) => m.ClassesComponent) },
  { path: 'classes/:id', canActivate: [classNominator], loadComponent: () => import('./class-editor.component').then((m) => m.ClassEditorComponent) },
  { path: 'my-classes', loadComponent: () => import('./my-classes.component').then((m) => m.MyClassesComponent) },
];
