import { Routes } from '@angular/router';

/** Organiser pages: course editor, question bank, quiz settings, results and item analysis. Mounted under the shell at /authoring. */
export const AUTHORING_ROUTES: Routes = [
  { path: '', pathMatch: 'full', loadComponent: () => import('./course-list.component').then((m) => m.CourseListComponent) },
  { path: 'courses/:id', loadComponent: () => import('./course-editor.component').then((m) => m.CourseEditorComponent) },
];
