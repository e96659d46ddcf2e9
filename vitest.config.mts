import { defineConfig } from 'vitest/config';

// One project per part, so `npm test` runs everything and `vitest --project infra` runs one part.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'service',
          root: './service',
          include: ['test/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'infra',
          root: './infra',
          include: ['test/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'policies',
          root: './policies',
          include: ['test/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
