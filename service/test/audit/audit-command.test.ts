import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/free-port.js';
import { ALL_WRONG, type MisconfiguredServer, startMisconfiguredServer } from './misconfigured-server.js';
import { runAuditJson } from './run-audit-cli.js';

const REPOSITORY_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const execute = promisify(execFile);

/** `npm run --silent audit -- ...` from the repository root, as a user types it: exit code and output. */
async function npmRunAudit(args: string[], env: Record<string, string> = {}) {
  return execute('npm', ['run', '--silent', 'audit', '--', ...args], {
    cwd: REPOSITORY_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

describe('npm run audit (the command)', () => {
  let server: MisconfiguredServer;
  beforeAll(async () => {
    server = await startMisconfiguredServer(ALL_WRONG);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('prints the text report and exits 1 when a check fails; the token comes from MCP_AUDIT_TOKEN', async () => {
    const { code, stdout, stderr } = await npmRunAudit([server.baseUrl], { MCP_AUDIT_TOKEN: server.token });
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(stdout).toMatch(new RegExp(`^Security audit of ${server.baseUrl}/mcp \\(with a token\\)\n\n`));
    expect(stdout).toMatch(/^FAIL {2}token-in-query +POST .* answered 200: tokens in URLs/m);
    expect(stdout).toMatch(/^PASS {2}rate-limit-single /m);
    expect(stdout).toMatch(/\n8 passed, 5 failed, 2 skipped\n$/);
  });

  it('exits 2 on bad usage, naming the problem', async () => {
    const { code, stdout, stderr } = await npmRunAudit(['--json']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^audit: name the base URL to audit\n/);
  });
});

describe('npm run audit against nothing', () => {
  it('fails every check that needs an answer, each saying the connection was refused, without crashing', async () => {
    const nothing = `http://127.0.0.1:${await freePort()}`;
    const token = 'secret-token-that-must-not-be-printed';
    const { code, report } = await runAuditJson([nothing, '--token', token]);
    expect(code).toBe(1);
    const failed = report.results.filter((r) => r.outcome === 'fail');
    expect(failed.map((r) => r.id)).toEqual([
      'security-headers',
      'no-token-401',
      'forged-token-401',
      'cors-foreign-origin',
      'origin-validation',
      'host-validation',
      'token-in-query',
      'metrics-public-path',
      'error-disclosure',
      'rate-limit-batch',
      'rate-limit-single',
    ]);
    for (const result of failed) expect(result.why).toMatch(/^could not complete: .*ECONNREFUSED/);
    expect(JSON.stringify(report)).not.toContain(token);
  });
});
