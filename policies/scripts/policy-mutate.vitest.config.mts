import { defineConfig } from 'vitest/config';

// Only for `npm run policy:mutate`: runs scripts/policy-mutate.run.ts, which `npm test` never picks up.
export default defineConfig({
  // Keep Vite's cache with the repository's, not in a node_modules folder beside this script.
  cacheDir: new URL('../../node_modules/.vite', import.meta.url).pathname,
  test: {
    root: new URL('.', import.meta.url).pathname,
    include: ['policy-mutate.run.ts'],
    testTimeout: 300_000,
    reporters: ['dot'],
  },
});
