export * from './lib/org-unit.entity';
export * from './lib/org-unit-people.port';
export * from './lib/organisation.service';
export * from './lib/organisation.module';
