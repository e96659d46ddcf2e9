import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../src/contract.js';
import { type ServiceUnderTest, startServiceUnderTest } from '../helpers/service-under-test.js';
import { outcomes, runAuditCli, runAuditJson, whyOf } from './run-audit-cli.js';

describe('npm run audit against the real service', () => {
  let target: ServiceUnderTest;

  beforeAll(async () => {
    target = await startServiceUnderTest({
      backend: 'embedded',
      // A small budget, so the rate-limit checks reach 429 in a few requests.
      env: { [ENV.rateLimitUser]: '5/60', [ENV.rateLimitTenant]: '100/60' },
    });
  });
  afterAll(async () => {
    await target?.close();
  });

  it('passes every check it can run without a token and says why it skips the others', async () => {
    const { code, report } = await runAuditJson([target.baseUrl]);
    expect(outcomes(report)).toEqual({
      tls: 'skip',
      'security-headers': 'pass',
      'no-token-401': 'pass',
      'resource-metadata': 'pass',
      'authorization-server-metadata': 'pass',
      'forged-token-401': 'pass',
      'cors-foreign-origin': 'pass',
      'origin-validation': 'pass',
      'host-validation': 'pass',
      'token-in-query': 'skip',
      'metrics-public-path': 'pass',
      'metrics-port': 'skip',
      'error-disclosure': 'pass',
      'rate-limit-batch': 'skip',
      'rate-limit-single': 'skip',
    });
    expect(code).toBe(0);
    expect(report.target).toEqual({ baseUrl: target.baseUrl, mcpUrl: target.mcpUrl, authenticated: false });
    expect(report.summary).toEqual({ pass: 10, fail: 0, skip: 5 });
    expect(whyOf(report, 'tls')).toMatch(/plain http on loopback/);
    expect(whyOf(report, 'token-in-query')).toMatch(/needs --token/);
    expect(whyOf(report, 'rate-limit-single')).toMatch(/needs --token/);
    expect(whyOf(report, 'metrics-port')).toMatch(/pass --metrics-port/);
    expect(whyOf(report, 'no-token-401')).toContain(
      `resource_metadata="${target.baseUrl}/.well-known/oauth-protected-resource/mcp"`,
    );
    expect(whyOf(report, 'forged-token-401')).toMatch(/unknown key: 401 invalid_token, alg none: 401 invalid_token/);
    expect(whyOf(report, 'origin-validation')).toMatch(/answered 403$/);
    expect(whyOf(report, 'host-validation')).toMatch(/answered 403$/);
  });

  it('reaches the metrics listener when told its port: on loopback it is reachable, which the audit reports', async () => {
    const { code, report } = await runAuditJson([
      target.baseUrl,
      '--metrics-port',
      new URL(target.service.metricsAddress).port,
    ]);
    expect(outcomes(report)['metrics-port']).toBe('fail');
    expect(whyOf(report, 'metrics-port')).toMatch(/answered 200 with Prometheus metrics/);
    expect(code).toBe(1);
  });

  it('with a token, refuses it in the query string and reaches 429 for batches and single calls', async () => {
    const token = await target.tokenFor({ sub: 'audit-alice', tenant: 'acme', scopes: ['mcp:read'] });
    const run = await runAuditCli([target.mcpUrl, '--token', token, '--batch-size', '2']);
    expect(run.code).toBe(0);
    const lines = run.out.split('\n');
    expect(lines[0]).toBe(`Security audit of ${target.mcpUrl} (with a token)`);
    expect(lines).toContainEqual(
      expect.stringMatching(/^PASS {2}token-in-query +POST .*\?access_token=<the token> .*answered 400$/),
    );
    // 5 calls of budget: the error-disclosure check's wrong-shaped message, sent with the token, spends one; two
    // batches of 2 pass and the next is refused whole (spending nothing); then no single call is left.
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^PASS {2}rate-limit-batch .*\(\d+ calls, 4 admitted\): 429 with Retry-After \d+, RateLimit-Limit 5$/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^PASS {2}rate-limit-single .*\(\d+ calls, 0 admitted\): 429 with Retry-After \d+, RateLimit-Limit 5$/,
      ),
    );
    expect(lines.filter((line) => line.startsWith('FAIL'))).toEqual([]);
    expect(lines.at(-2)).toBe('13 passed, 0 failed, 2 skipped');
    expect(run.out).not.toContain(token);
  });
});
