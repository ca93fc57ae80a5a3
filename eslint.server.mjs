import baseConfig from './eslint.config.mjs';

/**
 * Server projects (api, worker, libs/server/*): the base rules plus type-aware promise rules,
 * because a forgotten await in a service or job processor loses data silently.
 */
export default [
  ...baseConfig,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/await-thenable': 'error',
    },
  },
];
