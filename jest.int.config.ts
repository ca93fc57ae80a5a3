import { readFileSync } from 'node:fs';
import { pathsToModuleNameMapper } from 'ts-jest';

const { compilerOptions } = JSON.parse(readFileSync(`${__dirname}/tsconfig.base.json`, 'utf8'));

/**
 * Integration tests (`*.int-spec.ts`) against the real PostgreSQL and Redis on loopback:
 * a fresh database per run with every migration applied (tools/testing/int-global-setup.ts).
 */
export default {
  displayName: 'integration',
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/{apps,libs}/**/*.int-spec.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tools/tsconfig.tools.json' }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
  globalSetup: '<rootDir>/tools/testing/int-global-setup.ts',
  globalTeardown: '<rootDir>/tools/testing/int-global-teardown.ts',
  testTimeout: 60_000,
};
