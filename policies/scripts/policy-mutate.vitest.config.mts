import { defineConfig } from 'vitest/config';
import { runnerConfig } from '../../infra/test/vitest-runner';

// Only for `npm run policy:mutate`: runs scripts/policy-mutate.run.ts, which `npm test` never picks up.
export default defineConfig(runnerConfig(new URL('.', import.meta.url).pathname, 'policy-mutate.run.ts', 300_000));
