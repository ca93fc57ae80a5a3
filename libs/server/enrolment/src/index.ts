export * from './lib/enrolment.entity';
export * from './lib/enrolment.service';
export * from './lib/outbox.service';
export * from './lib/import/columns';
export * from './lib/import/import.pipeline';
export * from './lib/import/import.service';
export * from './lib/enrolment.module';
export * from './lib/enrolment.processor';
