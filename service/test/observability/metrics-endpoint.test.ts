import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MCP_SCOPES, PATHS } from '../../src/contract.js';
import { callTool, jsonRpcCall } from '../helpers/json-rpc-call.js';
import { rawRequest } from '../helpers/raw-http.js';
import { type ServiceUnderTest, startServiceUnderTest } from '../helpers/service-under-test.js';
import { parsePrometheusText, type Sample, sampleValue } from './prometheus-text.js';

const USER = 'metrics-user-7f3a';
const TENANT = 'metrics-tenant-91c2';

describe('Prometheus metrics on their own port', () => {
  let target: ServiceUnderTest;
  const tokens: string[] = [];
  let exposition: { status: number; contentType: string | undefined; body: string };
  let samples: Sample[];

  beforeAll(async () => {
    target = await startServiceUnderTest({ backend: 'embedded' });
    const writer = await target.tokenFor({ sub: USER, tenant: TENANT });
    const reader = await target.tokenFor({ sub: USER, tenant: TENANT, scopes: [MCP_SCOPES.read] });
    const forged = await target.issuer.mintToken({
      key: target.issuer.keys.attacker,
      claims: { sub: USER, tenant_id: TENANT },
    });
    tokens.push(writer, reader, forged);

    // Real traffic: two successful tool calls, a not-found, and three kinds of refusal.
    const created = await callTool(target.mcpUrl, writer, 'create_document', { title: 'Metrics', body: 'counted' });
    expect(created.isError).toBe(false);
    expect((await callTool(target.mcpUrl, writer, 'list_documents', {})).isError).toBe(false);
    expect((await callTool(target.mcpUrl, writer, 'get_document', { id: randomUUID() })).isError).toBe(true);
    const listCall = { name: 'list_documents', arguments: {} };
    expect((await jsonRpcCall(target.mcpUrl, '', 'tools/call', listCall)).status).toBe(401);
    expect((await jsonRpcCall(target.mcpUrl, forged, 'tools/call', listCall)).status).toBe(401);
    const createCall = { name: 'create_document', arguments: { title: 'x', body: 'y' } };
    expect((await jsonRpcCall(target.mcpUrl, reader, 'tools/call', createCall)).status).toBe(403);
    expect((await rawRequest(`${target.baseUrl}/no-such-path-4d1e?access_token=${writer}`)).status).toBe(404);

    // A request is recorded on its response's 'finish' event, which the client may see the body before: scrape
    // until nothing is in flight (which also proves the gauge comes down again).
    await vi.waitFor(async () => {
      const scrape = await rawRequest(`${target.service.metricsAddress}${PATHS.metrics}`);
      exposition = { status: scrape.status, contentType: scrape.headers['content-type'] as string, body: scrape.body };
      samples = parsePrometheusText(scrape.body);
      expect(sampleValue(samples, 'mcp_inflight_requests')).toBe(0);
    });
  });
  afterAll(async () => {
    await target?.close();
  });

  it('answers the Prometheus text format on the metrics port, and nothing else there', async () => {
    expect(exposition.status).toBe(200);
    expect(exposition.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(new URL(target.service.metricsAddress).port).not.toBe(new URL(target.baseUrl).port);
    expect((await rawRequest(`${target.service.metricsAddress}/mcp`)).status).toBe(404);
    expect((await rawRequest(`${target.service.metricsAddress}${PATHS.metrics}`, { method: 'POST' })).status).toBe(405);
  });

  it('is not served on the service port, which the gateway routes to', async () => {
    const response = await rawRequest(`${target.baseUrl}${PATHS.metrics}`);
    expect(response.status).toBe(404);
    expect(response.body).not.toContain('mcp_http_requests_total');
  });

  it('counts tool calls by tool and audit outcome, with their durations', () => {
    expect(sampleValue(samples, 'mcp_tool_calls_total', { tool: 'create_document', outcome: 'ok' })).toBe(1);
    expect(sampleValue(samples, 'mcp_tool_calls_total', { tool: 'list_documents', outcome: 'ok' })).toBe(1);
    expect(sampleValue(samples, 'mcp_tool_calls_total', { tool: 'get_document', outcome: 'not_found' })).toBe(1);
    // Refused at the HTTP layer: the tool never ran, so it is not a tool call.
    expect(sampleValue(samples, 'mcp_tool_calls_total', { tool: 'create_document', outcome: 'forbidden' })).toBe(
      undefined,
    );
    const okCount = sampleValue(samples, 'mcp_tool_duration_seconds_count', { tool: 'create_document', outcome: 'ok' });
    expect(okCount).toBe(1);
    const okSum = sampleValue(samples, 'mcp_tool_duration_seconds_sum', { tool: 'create_document', outcome: 'ok' });
    expect(okSum).toBeGreaterThan(0);
    const infBucket = sampleValue(samples, 'mcp_tool_duration_seconds_bucket', {
      tool: 'get_document',
      outcome: 'not_found',
      le: '+Inf',
    });
    expect(infBucket).toBe(1);
  });

  it('counts HTTP requests by route pattern and status, hijacked /mcp requests included', () => {
    const mcp = (status: string) =>
      sampleValue(samples, 'mcp_http_requests_total', { method: 'POST', route: PATHS.mcp, status });
    expect(mcp('200')).toBe(3);
    expect(mcp('401')).toBe(2);
    expect(mcp('403')).toBe(1);
    expect(sampleValue(samples, 'mcp_http_requests_total', { method: 'GET', route: 'unmatched', status: '404' })).toBe(
      1,
    );
    expect(
      sampleValue(samples, 'mcp_http_request_duration_seconds_count', {
        method: 'POST',
        route: PATHS.mcp,
        status: '200',
      }),
    ).toBe(3);
    expect(sampleValue(samples, 'mcp_inflight_requests')).toBe(0);
  });

  it('counts authentication failures by a bounded reason', () => {
    expect(sampleValue(samples, 'mcp_auth_failures_total', { reason: 'missing_token' })).toBe(1);
    expect(sampleValue(samples, 'mcp_auth_failures_total', { reason: 'bad_signature' })).toBe(1);
    expect(sampleValue(samples, 'mcp_auth_failures_total', { reason: 'insufficient_scope' })).toBe(1);
    const reasons = samples.filter((s) => s.name === 'mcp_auth_failures_total').map((s) => s.labels.reason);
    expect(reasons.sort()).toEqual(['bad_signature', 'insufficient_scope', 'missing_token']);
  });

  it('reads the database pool at scrape time', () => {
    const pool = target.service.pool;
    expect(sampleValue(samples, 'mcp_db_pool_connections', { state: 'total' })).toBe(pool.totalCount);
    expect(sampleValue(samples, 'mcp_db_pool_connections', { state: 'idle' })).toBe(pool.idleCount);
    expect(sampleValue(samples, 'mcp_db_pool_connections', { state: 'waiting' })).toBe(0);
    // The tool calls above opened at least one connection.
    expect(pool.totalCount).toBeGreaterThan(0);
  });

  it('includes the standard process metrics, unprefixed', () => {
    for (const name of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect(samples.some((sample) => sample.name === name)).toBe(true);
    }
  });

  it('never carries a token, user, tenant or raw URL in a label', () => {
    const labelValues = samples.flatMap((sample) => Object.values(sample.labels));
    for (const secret of [...tokens, ...tokens.map((token) => token.split('.')[2] ?? token), USER, TENANT]) {
      expect(exposition.body).not.toContain(secret);
    }
    expect(exposition.body).not.toContain('no-such-path');
    const labelNames = new Set(samples.flatMap((sample) => Object.keys(sample.labels)));
    for (const name of ['user', 'tenant', 'sub', 'token', 'client', 'url', 'path'])
      expect(labelNames.has(name)).toBe(false);
    expect(labelValues.length).toBeGreaterThan(0);
  });
});
