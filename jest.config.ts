import { getJestProjectsAsync } from '@nx/jest';

/** Unit tests of every project (`*.spec.ts`): `npm run test:unit`. */
export default async () => ({
  projects: await getJestProjectsAsync(),
});
