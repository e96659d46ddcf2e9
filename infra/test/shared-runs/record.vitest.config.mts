import { defineConfig } from 'vitest/config';

// Only for the program-run recorder that store.ts starts; `npm test` never picks record.run.ts up itself.
export default defineConfig({
  cacheDir: new URL('../../../node_modules/.vite', import.meta.url).pathname,
  test: {
    root: new URL('.', import.meta.url).pathname,
    include: ['record.run.ts'],
    // The recorder lives as long as the test run that started it; the store kills it at teardown.
    testTimeout: 0,
    reporters: ['dot'],
  },
});
