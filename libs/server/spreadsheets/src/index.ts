export * from './lib/errors';
export * from './lib/sanitise';
export * from './lib/csv';
export * from './lib/xlsx';
export * from './lib/read-table';
