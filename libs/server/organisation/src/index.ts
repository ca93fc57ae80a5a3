export * from './lib/org-unit.entity';
export * from './lib/org-unit-people.port';
export * from './lib/organisation.service';
export * from './lib/organisation.module';
export * from './lib/lineage.entity';
export * from './lib/reorganisation/plan';
export * from './lib/reorganisation/reorganisation.service';
