import { defineConfig } from 'vitest/config';

// Only for `npm run policy:check`: runs scripts/policy-check.run.ts, which `npm test` never picks up.
export default defineConfig({
  // Keep Vite's cache with the repository's, not in a node_modules folder beside this script.
  cacheDir: new URL('../../node_modules/.vite', import.meta.url).pathname,
  test: {
    root: new URL('.', import.meta.url).pathname,
    include: ['policy-check.run.ts'],
    testTimeout: 120_000,
    reporters: ['dot'],
  },
});
