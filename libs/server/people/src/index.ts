export * from './lib/person.entity';
export * from './lib/people.service';
export * from './lib/people.module';
