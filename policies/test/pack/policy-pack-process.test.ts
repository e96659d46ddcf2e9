/**
 * index.ts in its own process, the way `pulumi preview --policy-pack policies` starts it: the PolicyPack must build
 * (names, config schemas) and serve the analyzer on a port it prints. Never imported here: it starts a gRPC server.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';

it('starts the analyzer and prints its port', async () => {
  const root = join(__dirname, '..', '..', '..');
  const child = spawn(
    process.execPath,
    [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'policies', 'index.ts')],
    {
      cwd: join(root, 'policies'),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  try {
    const firstLine = await new Promise<string>((resolve, reject) => {
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('\n')) resolve(stdout.split('\n')[0] ?? '');
      });
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      child.on('exit', (code) => reject(new Error(`the policy pack exited with ${code}: ${stderr}`)));
    });
    expect(firstLine).toMatch(/^\d+$/);
  } finally {
    child.kill();
  }
});
