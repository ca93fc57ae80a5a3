import { Routes } from '@angular/router';

/** Learner pages: catalogue, My learning, lesson player, quiz player, results. Mounted under the shell. */
export const LEARNING_ROUTES: Routes = [
  { path: 'courses', loadComponent: () => import('./catalogue.component').then((m) => m.CatalogueComponent) },
  { path: 'courses/:id', loadComponent: () => import('./course-page.component').then((m) => m.CoursePageComponent) },
  { path: 'my-learning', loadComponent: () => import('./catalogue.component').then((m) => m.MyLearningComponent) },
  { path: 'lessons/:id', loadComponent: () => import('./lesson-player.component').then((m) => m.LessonPlayerComponent) },
  { path: 'quizzes/:id', loadComponent: () => import('./quiz-page.component').then((m) => m.QuizPageComponent) },
  { path: 'attempts/:id', loadComponent: () => import('./quiz-page.component').then((m) => m.AttemptPlayerComponent) },
];
