import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// The program runs on the base test config, evaluated once per `npm test` and shared by the infra and policies files.
const programRunStore = new URL('./infra/test/shared-runs/store.ts', import.meta.url).pathname;
// Fails the run when a service test the security checklist names did not pass (.ci/run lists it too).
const checklistProof = new URL('./policies/checklist/proof-reporter.ts', import.meta.url).pathname;

// One project per part, so `npm test` runs everything and `vitest --project infra` runs one part.
export default defineConfig({
  test: {
    reporters: ['default', checklistProof],
    // Vitest's default, one worker per core but one, is a single worker on a 2-core machine, where most service files
    // wait on Postgres, Redis and child processes. Two at a time (and the shared program runs): 296 s to 181 s here.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // One module graph per worker, not per file: importing the service (Fastify, the MCP SDK, OpenTelemetry, pg) or
    // Pulumi in each of 110 files was most of the suite's CPU (service alone: 164 s → 99 s wall, 295 → 166 CPU
    // seconds; infra 53 s → 38 s). So a test file leaves no global state behind: real timers back, no module mocks,
    // servers and pools closed. (The infra harness still re-evaluates the program per run: vi.resetModules.)
    isolate: false,
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
          globalSetup: [programRunStore],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'policies',
          root: './policies',
          include: ['test/**/*.test.ts'],
          globalSetup: [programRunStore],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
