export * from './lib/engine';
export * from './lib/assessment.entity';
export * from './lib/attempts.service';
export * from './lib/questions.service';
export * from './lib/quizzes.service';
export * from './lib/assessment.module';
