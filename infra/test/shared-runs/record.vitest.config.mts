import { defineConfig } from 'vitest/config';
import { runnerConfig } from '../vitest-runner';

// Only for the program-run recorder that store.ts starts; `npm test` never picks record.run.ts up itself. It lives as
// long as the test run that started it (no timeout): the store kills it at teardown.
export default defineConfig(runnerConfig(new URL('.', import.meta.url).pathname, 'record.run.ts', 0));
