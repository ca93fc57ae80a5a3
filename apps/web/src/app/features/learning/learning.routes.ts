import { Routes } from '@angular/router';

/** Learner pages: catalogue, My learning, lesson player, quiz player, results. Mounted under the shell. */
export const LEARNING_ROUTES: Routes = [];
