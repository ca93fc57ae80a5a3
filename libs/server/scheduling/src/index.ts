export * from './lib/scheduling.entity';
export * from './lib/ics';
export * from './lib/conflicts';
export * from './lib/check-in-token';
export * from './lib/classes.service';
export * from './lib/attendance.service';
export * from './lib/invite.service';
export * from './lib/scheduling.module';
