import { spawnSync } from 'node:child_process';

export interface PromtoolRun {
  status: number | null;
  output: string;
}

/**
 * Runs promtool (Debian package `prometheus`; .ci/run installs it). Missing promtool fails the test with how to get
 * it: a rules check that silently does not run is worse than none.
 */
export function promtool(args: string[], cwd?: string): PromtoolRun {
  const run = spawnSync('promtool', args, { cwd, encoding: 'utf8', timeout: 30_000 });
  if (run.error && (run.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error(
      'promtool is not on PATH. Install it (Debian/Ubuntu: apt-get install -y --no-install-recommends prometheus; ' +
        'or the prometheus release tarball), as .ci/run does.',
    );
  }
  if (run.error) throw run.error;
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}
