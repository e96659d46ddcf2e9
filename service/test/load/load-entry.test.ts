import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { freePort } from '../helpers/free-port.js';

const SERVICE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));

/** The entry point as `npm run load` starts it: its exit status and what it prints. */
function load(args: string[]) {
  const run = spawnSync(TSX, ['load/load.ts', ...args], {
    cwd: SERVICE_ROOT,
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('the load command’s exit status', () => {
  it('exits 2 with the message and the usage, no stack trace, for bad arguments', () => {
    const run = load(['http://127.0.0.1:1/mcp', '--duration', 'forever']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^load: --duration must be a time from 1ms to 24h .*\n\nUsage: npm run load/);
    expect(run.stderr).not.toMatch(/\bat .*\.ts:\d+/);
    expect(run.stdout).toBe('');
  });

  it('exits 1 when requests fail to connect, after printing the summary', async () => {
    const tokens = join(mkdtempSync(join(tmpdir(), 'load-entry-')), 'tokens.txt');
    writeFileSync(tokens, 'a.b.c\n');
    const run = load([`http://127.0.0.1:${await freePort()}/mcp`, '--requests', '5', '--tokens', tokens]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('errors: connection error: 5');
    expect(run.stdout).toContain('FAILED: 5 requests ended in a 5xx, a timeout or a connection error');
  });
});
