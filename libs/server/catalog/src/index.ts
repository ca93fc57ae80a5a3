export * from './lib/course.entity';
export * from './lib/progress.entity';
export * from './lib/storage/stored-file.entity';
export * from './lib/course-access';
export * from './lib/quiz-outcome.port';
export * from './lib/catalog.service';
export * from './lib/progress.service';
export * from './lib/catalog.module';
