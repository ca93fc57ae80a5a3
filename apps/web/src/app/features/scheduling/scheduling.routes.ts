import { inject } from '@angular/core';
import { CanActivateFn, Router, Routes } from '@angular/router';
import { CLASS_NOMINATOR_ROLES } from '@dxtrain/shared/contracts';
import { Auth } from '../../core/auth';

/** Organisers, admins and unit managers (who nominate) see the class list. */
export const classNominator: CanActivateFn = () =>
  inject(Auth).roles().some((r) => CLASS_NOMINATOR_ROLES.includes(r)) ? true : inject(Router).createUrlTree(['/no-access']);

/** Routes of the training-class pages, under the signed-in shell. */
export const SCHEDULING_ROUTES: Routes = [
  { path: 'classes', canActivate: [classNominator], loadComponent: () => import('./classes.component').then((m) => m.ClassesComponent) },
  { path: 'classes/:id', canActivate: [classNominator], loadComponent: () => import('./class-editor.component').then((m) => m.ClassEditorComponent) },
  { path: 'my-classes', loadComponent: () => import('./my-classes.component').then((m) => m.MyClassesComponent) },
  { path: 'check-in/:token', loadComponent: () => import('./my-classes.component').then((m) => m.CheckInComponent) },
];
