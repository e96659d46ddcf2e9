import { afterEach, describe, expect, it } from 'vitest';
import { ALL_RIGHT, ALL_WRONG, type MisconfiguredServer, startMisconfiguredServer } from './misconfigured-server.js';
import { outcomes, runAuditJson, whyOf } from './run-audit-cli.js';

describe('npm run audit against a misconfigured server', () => {
  let server: MisconfiguredServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('passes the same server with nothing wrong (so the failures below are the misconfigurations)', async () => {
    server = await startMisconfiguredServer(ALL_RIGHT);
    const { code, report } = await runAuditJson([server.baseUrl, '--token', server.token, '--batch-size', '3']);
    expect(report.results.filter((r) => r.outcome === 'fail')).toEqual([]);
    expect(code).toBe(0);
  });

  it('fails exactly the checks it gets wrong, exits 1 and says why in the JSON report', async () => {
    server = await startMisconfiguredServer(ALL_WRONG);
    const { code, report } = await runAuditJson([server.baseUrl, '--token', server.token, '--batch-size', '3']);
    expect(code).toBe(1);
    expect(outcomes(report)).toEqual({
      tls: 'skip',
      'security-headers': 'fail',
      'no-token-401': 'pass',
      'resource-metadata': 'pass',
      'authorization-server-metadata': 'pass',
      'forged-token-401': 'pass',
      'cors-foreign-origin': 'fail',
      'origin-validation': 'pass',
      'host-validation': 'pass',
      'token-in-query': 'fail',
      'metrics-public-path': 'fail',
      'metrics-port': 'skip',
      'error-disclosure': 'fail',
      'rate-limit-batch': 'pass',
      'rate-limit-single': 'pass',
    });
    expect(report.summary).toEqual({ pass: 8, fail: 5, skip: 2 });
    for (const result of report.results) {
      expect(Object.keys(result).sort()).toEqual(['id', 'outcome', 'title', 'why']);
      expect(result.why).not.toMatch(/\n/);
    }
    expect(whyOf(report, 'security-headers')).toMatch(/banner x-powered-by: Express/);
    expect(whyOf(report, 'cors-foreign-origin')).toMatch(
      /access-control-allow-origin: https:\/\/evil\.example with credentials/,
    );
    expect(whyOf(report, 'token-in-query')).toMatch(/answered 200: tokens in URLs/);
    expect(whyOf(report, 'metrics-public-path')).toMatch(/\/metrics answered 200 with Prometheus metrics/);
    expect(whyOf(report, 'error-disclosure')).toMatch(/malformed JSON answered 500 with a stack frame/);
  });

  it.each([
    ['poweredBy', ['security-headers', 'error-disclosure']],
    ['noNosniff', ['security-headers']],
    ['noChallengeMetadata', ['no-token-401']],
    ['wrongResource', ['resource-metadata']],
    ['wrongIssuer', ['authorization-server-metadata']],
    ['acceptsAnyToken', ['forged-token-401']],
    ['noInvalidTokenError', ['forged-token-401']],
    ['forbiddenWithoutToken', ['no-token-401']],
    ['noAuth', ['no-token-401', 'forged-token-401', 'token-in-query']],
    ['echoOrigin', ['cors-foreign-origin']],
    ['corsWildcard', ['cors-foreign-origin']],
    ['noOriginCheck', ['origin-validation']],
    ['noHostCheck', ['host-validation']],
    ['queryToken', ['token-in-query']],
    ['publicMetrics', ['metrics-public-path']],
    ['stackTraces', ['error-disclosure']],
    ['batchCountsOnce', ['rate-limit-batch']],
    ['noRateLimit', ['rate-limit-batch', 'rate-limit-single']],
    ['noRetryAfter', ['rate-limit-batch', 'rate-limit-single']],
  ] as const)('%s alone fails %j and nothing else', async (flag, failing) => {
    server = await startMisconfiguredServer({ ...ALL_RIGHT, [flag]: true });
    const argv = [server.baseUrl, '--token', server.token, '--batch-size', '3', '--max-requests', '60'];
    const { code, report } = await runAuditJson(argv);
    expect(report.results.filter((r) => r.outcome === 'fail').map((r) => r.id)).toEqual(failing);
    expect(code).toBe(1);
  });

  it('skips Origin and Host when the token check answers an anonymous probe first, and judges them with a token', async () => {
    server = await startMisconfiguredServer({ ...ALL_RIGHT, tokenCheckFirst: true });
    const anonymous = await runAuditJson([server.baseUrl]);
    expect(outcomes(anonymous.report)).toMatchObject({ 'origin-validation': 'skip', 'host-validation': 'skip' });
    expect(whyOf(anonymous.report, 'origin-validation')).toMatch(
      /answered 401: the token check answered first; pass --token$/,
    );
    expect(anonymous.code).toBe(0);
    const authenticated = await runAuditJson([server.baseUrl, '--token', server.token, '--max-requests', '20']);
    expect(outcomes(authenticated.report)).toMatchObject({ 'origin-validation': 'pass', 'host-validation': 'pass' });
  });

  it('says why: a batch counted as one call, metadata for another resource, no 429 at all', async () => {
    server = await startMisconfiguredServer({ ...ALL_RIGHT, batchCountsOnce: true, wrongResource: true });
    const { report } = await runAuditJson([server.baseUrl, '--token', server.token, '--batch-size', '3']);
    expect(whyOf(report, 'resource-metadata')).toMatch(/resource is ".*\/other", expected ".*\/mcp"/);
    expect(whyOf(report, 'rate-limit-batch')).toMatch(/more calls admitted than RateLimit-Limit 6/);
    // The issuer is never asked when the metadata is wrong: skipped with the reason, not failed twice.
    expect(whyOf(report, 'authorization-server-metadata')).toMatch(/^no authorization_servers learnt/);
    await server.close();

    server = await startMisconfiguredServer({ ...ALL_RIGHT, noRateLimit: true });
    const unlimited = await runAuditJson([server.baseUrl, '--token', server.token, '--max-requests', '20']);
    expect(whyOf(unlimited.report, 'rate-limit-single')).toBe(
      '20 single calls (20 calls, 20 admitted): no 429 within --max-requests 20; expected a rate limit',
    );
  });
});
