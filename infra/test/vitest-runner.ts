/**
 * Runner files: a vitest "test" that does one job outside `npm test` (the program-run recorder, policy:check,
 * policy:mutate), run in a vitest process of its own because the harness needs vitest's module reset.
 */
import { join } from 'node:path';
import type { ViteUserConfig } from 'vitest/config';

const repositoryRoot = join(__dirname, '..', '..');

/** The arguments for `process.execPath` that run vitest once with `config`, from the repository root. */
export function vitestRunArgs(config: string): string[] {
  return [join(repositoryRoot, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', config];
}

/** The config of a runner: only `file`, in `dir`, with Vite's cache kept with the repository's. */
export function runnerConfig(dir: string, file: string, testTimeout: number): ViteUserConfig {
  return {
    cacheDir: join(repositoryRoot, 'node_modules', '.vite'),
    test: { root: dir, include: [file], testTimeout, reporters: ['dot'] },
  };
}
