export * from './lib/names';
export * from './lib/tree';
export * from './lib/people';
export * from './lib/bulk';
export * from './lib/seed';
export * from './lib/synthetic';
