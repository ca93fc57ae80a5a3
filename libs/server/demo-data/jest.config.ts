/**
 * Unit tests only (`*.spec.ts`, no database). The integration test (`*.int-spec.ts`) runs with the root
 * jest.int.config.ts, or directly:
 *   npx jest -c libs/server/demo-data/jest.config.ts --testMatch '**\/*.int-spec.ts' --runInBand
 */
export default {
  displayName: 'server-demo-data',
  preset: '../../../jest.preset.js',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }] },
  moduleFileExtensions: ['ts', 'js'],
};
