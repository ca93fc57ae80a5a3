export * from './lib/errors';
export { DEFAULT_MAX_UNCOMPRESSED_BYTES, type ReadLimits } from './lib/limits';
export * from './lib/sanitise';
export * from './lib/csv';
export * from './lib/xlsx';
export type { TableReader } from './lib/table-reader';
export * from './lib/read-table';
