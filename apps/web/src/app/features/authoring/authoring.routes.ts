import { Routes } from '@angular/router';

/** Organiser pages: course editor, question bank, quiz settings, results and item analysis. Mounted under the shell at /authoring. */
export const AUTHORING_ROUTES: Routes = [];
