import nx from '@nx/eslint-plugin';

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/node_modules', '**/.angular', '**/.nx', '**/.data', '**/test-results', '**/playwright-report'],
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [],
          depConstraints: [
            // Platforms: the web never reaches server code, and the server never reaches web code.
            { sourceTag: 'platform:web', onlyDependOnLibsWithTags: ['platform:web', 'platform:any'] },
            { sourceTag: 'platform:server', onlyDependOnLibsWithTags: ['platform:server', 'platform:any'] },
            { sourceTag: 'platform:any', onlyDependOnLibsWithTags: ['platform:any'] },
            // Kinds: presentational ui and util libraries stay leaves.
            { sourceTag: 'type:ui', onlyDependOnLibsWithTags: ['type:ui', 'type:util'] },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
            { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:util'] },
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:util'] },
            { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:ui', 'type:util'] },
            // Domains: a domain depends on itself and shared code only (plus the domains it names).
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:audit', onlyDependOnLibsWithTags: ['scope:audit', 'scope:shared'] },
            { sourceTag: 'scope:organisation', onlyDependOnLibsWithTags: ['scope:organisation', 'scope:audit', 'scope:shared'] },
            { sourceTag: 'scope:people', onlyDependOnLibsWithTags: ['scope:people', 'scope:organisation', 'scope:audit', 'scope:shared'] },
            { sourceTag: 'scope:compliance', onlyDependOnLibsWithTags: ['scope:compliance', 'scope:organisation', 'scope:audit', 'scope:shared'] },
            { sourceTag: 'scope:scheduling', onlyDependOnLibsWithTags: ['scope:scheduling', 'scope:enrolment', 'scope:audit', 'scope:shared'] },
            { sourceTag: 'scope:demo-data', onlyDependOnLibsWithTags: ['scope:identity', 'scope:people', 'scope:organisation', 'scope:audit', 'scope:shared'] },
            {
              sourceTag: 'scope:identity',
              onlyDependOnLibsWithTags: ['scope:identity', 'scope:people', 'scope:organisation', 'scope:audit', 'scope:shared'],
            },
          ],
        },
      ],
    },
  },
];
