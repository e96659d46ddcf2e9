import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ENV, PATHS } from '../../src/contract.js';
import { freePort } from '../helpers/free-port.js';
import { postMcp, rawRequest } from '../helpers/raw-http.js';
import { type ServiceUnderTest, startServiceUnderTest } from '../helpers/service-under-test.js';
import { parsePrometheusText, type Sample, sampleValue } from './prometheus-text.js';

const listCall = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/call',
  params: { name: 'list_documents', arguments: {} },
});

describe('rate-limit metrics on the metrics port, Redis configured but unreachable', () => {
  let target: ServiceUnderTest;
  let samples: Sample[];
  const statuses: number[] = [];

  beforeAll(async () => {
    // A closed port: the service starts on local counters after its short start-up wait for Redis.
    const closedPort = await freePort();
    target = await startServiceUnderTest({
      backend: 'embedded',
      env: {
        [ENV.redisUrl]: `redis://127.0.0.1:${closedPort}`,
        [ENV.rateLimitUser]: '2/60',
        [ENV.rateLimitTenant]: '100/60',
      },
    });
    const token = await target.tokenFor({ sub: 'alice', tenant: 'acme' });
    for (let i = 0; i < 3; i++) {
      const response = await postMcp(target.mcpUrl, token, listCall);
      statuses.push(response.status);
    }
    await vi.waitFor(async () => {
      const scrape = await rawRequest(`${target.service.metricsAddress}${PATHS.metrics}`);
      samples = parsePrometheusText(scrape.body);
      expect(sampleValue(samples, 'mcp_inflight_requests')).toBe(0);
    });
  });
  afterAll(async () => {
    await target?.close();
  });

  it('counts the allowed and refused checks per tier, matching the 429s answered', () => {
    expect(statuses).toEqual([200, 200, 429]);
    const decisions = (scope: string, outcome: string) =>
      sampleValue(samples, 'mcp_rate_limit_decisions_total', { scope, outcome });
    expect(decisions('user', 'allowed')).toBe(2);
    expect(decisions('user', 'refused')).toBe(1);
    expect(decisions('tenant', 'allowed')).toBe(2);
    expect(sampleValue(samples, 'mcp_http_requests_total', { method: 'POST', route: PATHS.mcp, status: '429' })).toBe(
      1,
    );
  });

  it('shows the fallback to local counters: Redis down, every check counted as a fallback', () => {
    expect(sampleValue(samples, 'mcp_rate_limit_redis_up')).toBe(0);
    expect(sampleValue(samples, 'mcp_rate_limit_fallback_total', { scope: 'user' })).toBe(3);
    expect(sampleValue(samples, 'mcp_rate_limit_fallback_total', { scope: 'tenant' })).toBe(2);
  });

  it('labels the rate-limit series by tier and outcome only', () => {
    const labelNames = new Set(
      samples.filter((s) => s.name.startsWith('mcp_rate_limit_')).flatMap((s) => Object.keys(s.labels)),
    );
    expect([...labelNames].sort()).toEqual(['outcome', 'scope']);
  });
});
