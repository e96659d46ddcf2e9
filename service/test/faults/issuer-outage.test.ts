/**
 * An identity-provider outage against the real service: the test issuer's JWKS is reached through a proxy the test
 * takes down and brings back, with the cache age and the stale limit made short by configuration (0.5 s and 2.5 s
 * instead of 10 min and 24 h). Before the fix, every token got 503 and /ready turned 503 once the cached keys were
 * older than the cache age, though they were still valid.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ENV } from '../../src/contract.js';
import { availableDatabaseBackends } from '../helpers/database.js';
import { freePort } from '../helpers/free-port.js';
import { callTool, jsonRpcCall } from '../helpers/json-rpc-call.js';
import { rawRequest } from '../helpers/raw-http.js';
import { type ServiceUnderTest, startServiceUnderTest } from '../helpers/service-under-test.js';
import { parsePrometheusText, sampleValue } from '../observability/prometheus-text.js';
import { type IssuerEndpointProxy, startIssuerEndpointProxy } from './issuer-endpoint-proxy.js';

const CACHE_MAX_AGE_SECONDS = 0.5;
const MAX_STALE_SECONDS = 2.5;
const DEADLINE = { timeout: 8_000, interval: 50 };

const backend = availableDatabaseBackends()[0] ?? 'embedded';

describe(`an identity-provider outage (JWKS unreachable), on the ${backend} database`, () => {
  let target: ServiceUnderTest;
  let proxy: IssuerEndpointProxy;
  const logLines: string[] = [];
  const alice = { sub: 'alice', tenant: 'acme', scopes: ['mcp:read'] };

  /** A token never seen before: the verified-token cache must not hide the key lookup. */
  const freshToken = () => target.tokenFor(alice);
  const ready = async () => {
    const answer = await rawRequest(`${target.baseUrl}/ready`);
    return { status: answer.status, body: JSON.parse(answer.body) as { checks?: Record<string, string> } };
  };
  const signingKeyMetrics = async () => {
    const samples = parsePrometheusText(await (await fetch(`${target.service.metricsAddress}/metrics`)).text());
    const labels = { issuer: target.issuer.issuer };
    return {
      age: sampleValue(samples, 'mcp_auth_signing_keys_age_seconds', labels),
      stale: sampleValue(samples, 'mcp_auth_signing_keys_stale', labels),
    };
  };
  const logged = (message: string) =>
    logLines.map((line) => JSON.parse(line) as { level: number; msg: string }).filter((line) => line.msg === message);

  beforeAll(async () => {
    const proxyPort = await freePort();
    target = await startServiceUnderTest({
      backend,
      logDestination: { write: (line) => void logLines.push(line) },
      env: {
        [ENV.logLevel]: 'info',
        // The keys come through the proxy; nothing is fetched before the first token, when the proxy listens.
        [ENV.jwksUrl]: `http://127.0.0.1:${proxyPort}/keys`,
        [ENV.jwksCacheMaxAgeSeconds]: String(CACHE_MAX_AGE_SECONDS),
        [ENV.jwksMaxStaleSeconds]: String(MAX_STALE_SECONDS),
      },
    });
    proxy = await startIssuerEndpointProxy(target.issuer.baseUrl, proxyPort);
  });

  afterAll(async () => {
    await target?.close();
    await proxy?.close();
  });

  it('serves with fresh keys while the issuer answers', async () => {
    expect((await jsonRpcCall(target.mcpUrl, await freshToken(), 'tools/list', {})).status).toBe(200);
    expect((await ready()).status).toBe(200);
    expect(await signingKeyMetrics()).toMatchObject({ stale: 0 });
  });

  it('keeps valid tokens working and /ready green with the last good keys once they pass the cache age', async () => {
    await proxy.setMode('down');
    await vi.waitFor(async () => expect((await signingKeyMetrics()).stale).toBe(1), DEADLINE);

    const search = await callTool(target.mcpUrl, await freshToken(), 'search_documents', { query: 'anything' });
    expect(search.isError, search.text).toBe(false);
    const answer = await ready();
    expect(answer.status).toBe(200);
    expect(answer.body.checks).toMatchObject({ 'signing-keys': 'ok' });
    const metrics = await signingKeyMetrics();
    expect(metrics.age).toBeGreaterThan(CACHE_MAX_AGE_SECONDS);
    const warnings = logged('signing keys could not be refreshed; verifying with the last good keys (stale)');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.level).toBe(40);
  });

  it('still refuses a token signed with an unknown key as invalid (401), not unavailable', async () => {
    const stranger = await target.issuer.generateKey('ES256');
    const token = await target.issuer.mintToken({ key: stranger, claims: { sub: 'alice', tenant_id: 'acme' } });
    const answer = await jsonRpcCall(target.mcpUrl, token, 'tools/list', {});
    expect(answer.status).toBe(401);
    expect(answer.raw).toContain('invalid_token');
  });

  it('past the stale limit answers 503 and /ready turns 503, as before', async () => {
    await vi.waitFor(async () => expect((await ready()).status).toBe(503), DEADLINE);
    expect((await ready()).body.checks).toMatchObject({ 'signing-keys': 'failed' });

    const answer = await jsonRpcCall(target.mcpUrl, await freshToken(), 'tools/list', {});
    expect(answer.status).toBe(503);
    expect(answer.raw).toContain('temporarily_unavailable');
    expect(
      logged('signing keys older than the stale limit and the issuer is unreachable; refusing tokens (503)'),
    ).toHaveLength(1);
  });

  it('with the issuer back, the keys are fresh again', async () => {
    await proxy.setMode('forward');
    await vi.waitFor(async () => expect((await ready()).status).toBe(200), DEADLINE);

    expect((await jsonRpcCall(target.mcpUrl, await freshToken(), 'tools/list', {})).status).toBe(200);
    expect(await signingKeyMetrics()).toMatchObject({ stale: 0 });
    expect(logged('signing keys refreshed again; no longer stale')).toHaveLength(1);
  });
});
