import { describe, expect, it } from 'vitest';
import { jsonRpcAttributes } from '../../src/observability/mcp-request-span.js';
import { authFailureReasonLabel, httpMethodLabel } from '../../src/observability/metric-labels.js';
import { createServiceMetrics } from '../../src/observability/service-metrics.js';
import { databaseNameOf } from '../../src/observability/service-telemetry.js';
import { otlpTracesUrl } from '../../src/observability/tracing.js';

describe('auth failure reason label', () => {
  it('keeps a known verifier reason, and falls back to the OAuth error for anything open-ended', () => {
    expect(authFailureReasonLabel({ status: 401, error: 'invalid_token', reason: 'expired' })).toBe('expired');
    expect(authFailureReasonLabel({ status: 400, error: 'invalid_request', reason: 'token_in_query' })).toBe(
      'token_in_query',
    );
    expect(authFailureReasonLabel({ status: 401, error: 'missing_token' })).toBe('missing_token');
    // Names scopes: bounded only by accident, so it becomes the error code.
    expect(authFailureReasonLabel({ status: 403, error: 'insufficient_scope', reason: 'missing mcp:write' })).toBe(
      'insufficient_scope',
    );
    expect(authFailureReasonLabel({ status: 401, error: 'invalid_token', reason: 'eyJhbGciOi.secret' })).toBe(
      'invalid_token',
    );
  });
});

describe('HTTP method label', () => {
  it('passes the usual methods and folds the rest into _OTHER', () => {
    expect(httpMethodLabel('POST')).toBe('POST');
    expect(httpMethodLabel('PROPFIND')).toBe('_OTHER');
  });
});

describe('OTLP traces URL', () => {
  it('appends the signal path to the base endpoint, keeping any path prefix', () => {
    expect(otlpTracesUrl('http://collector:4318')).toBe('http://collector:4318/v1/traces');
    expect(otlpTracesUrl('http://collector:4318/')).toBe('http://collector:4318/v1/traces');
    expect(otlpTracesUrl('https://gateway.example.com/otlp/')).toBe('https://gateway.example.com/otlp/v1/traces');
  });
});

describe('JSON-RPC span attributes', () => {
  it('names the method, tool and request id of a single message', () => {
    expect(
      jsonRpcAttributes({
        jsonrpc: '2.0',
        id: 3,
        method: 'tools/call',
        params: { name: 'get_document', arguments: {} },
      }),
    ).toEqual({ 'mcp.method.name': 'tools/call', 'gen_ai.tool.name': 'get_document', 'jsonrpc.request.id': '3' });
  });

  it('says nothing of a batch or an unparsed body, and caps what a client can make long', () => {
    expect(jsonRpcAttributes([{ method: 'tools/list' }])).toEqual({});
    expect(jsonRpcAttributes(undefined)).toEqual({});
    expect(jsonRpcAttributes('{"method":"tools/list"}')).toEqual({});
    const long = jsonRpcAttributes({ method: 'tools/call', params: { name: 'x'.repeat(10_000) } });
    expect(long['gen_ai.tool.name']).toHaveLength(128);
  });

  it('never takes a tool name from a message that is not a tool call', () => {
    expect(jsonRpcAttributes({ method: 'prompts/get', params: { name: 'p' } })).toEqual({
      'mcp.method.name': 'prompts/get',
    });
  });
});

describe('database name of a URL', () => {
  it('reads the path, and nothing when there is none', () => {
    expect(databaseNameOf('postgres://mcp_app@db.example.com:5432/mcp?sslmode=verify-full')).toBe('mcp');
    expect(databaseNameOf('postgres://127.0.0.1:5432')).toBeUndefined();
  });
});

describe('counters an alert watches with increase()', () => {
  it('export each state of lost database connections at 0 from the start, so the first loss is an increase', async () => {
    const text = await createServiceMetrics().registry.metrics();
    expect(text).toMatch(/^mcp_db_connections_lost_total\{state="idle"\} 0$/m);
    expect(text).toMatch(/^mcp_db_connections_lost_total\{state="in_use"\} 0$/m);
  });
});
