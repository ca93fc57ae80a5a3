export * from './grading';
export * from './gift';
export * from './aiken';
export * from './table-import';
export * from './item-analysis';
export * from './import-result';
