export * from './lib/compliance.entity';
export * from './lib/status';
export * from './lib/compliance-refresh.service';
export * from './lib/compliance.service';
export * from './lib/compliance-exports.service';
export * from './lib/compliance-reminders.service';
export * from './lib/compliance.module';
export * from './lib/demo';
