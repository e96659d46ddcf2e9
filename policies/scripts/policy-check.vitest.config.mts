import { defineConfig } from 'vitest/config';
import { runnerConfig } from '../../infra/test/vitest-runner';

// Only for `npm run policy:check`: runs scripts/policy-check.run.ts, which `npm test` never picks up.
export default defineConfig(runnerConfig(new URL('.', import.meta.url).pathname, 'policy-check.run.ts', 120_000));
