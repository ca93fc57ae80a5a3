export * from './lib/text';
export * from './lib/calendar';
