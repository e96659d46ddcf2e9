import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from '../helpers/raw-http.js';
import { type ServiceUnderTest, startServiceUnderTest, TEST_ALLOWED_ORIGIN } from '../helpers/service-under-test.js';
import { type ServiceWithoutDatabase, startServiceWithoutDatabase } from '../helpers/service-without-database.js';

const listCall = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/call',
  params: { name: 'list_documents', arguments: {} },
});
const STACK_TRACE = /at .+\.(ts|js):\d+|node_modules|ECONNREFUSED/;

describe('the HTTP surface of the real service', () => {
  let target: ServiceUnderTest;
  let token: string;
  const mcpHeaders = () => ({
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
  });

  beforeAll(async () => {
    target = await startServiceUnderTest({ backend: 'embedded' });
    token = await target.tokenFor({ sub: 'alice', tenant: 'acme' });
  });
  afterAll(async () => {
    await target?.close();
  });

  it('answers malformed JSON with a JSON-RPC parse error', async () => {
    for (const body of ['{"jsonrpc": "2.0",', 'not json at all', '']) {
      const response = await rawRequest(target.mcpUrl, { method: 'POST', headers: mcpHeaders(), body });
      expect(response.status).toBe(400);
      expect(JSON.parse(response.body)).toEqual({
        jsonrpc: '2.0',
        id: null,
        error: { code: -32700, message: 'Parse error: the body is not valid JSON.' },
      });
    }
  });

  it('refuses a non-JSON media type (415) and an oversized body (413), in JSON-RPC shape', async () => {
    const wrongType = await rawRequest(target.mcpUrl, {
      method: 'POST',
      headers: { ...mcpHeaders(), 'content-type': 'text/plain' },
      body: listCall,
    });
    expect(wrongType.status).toBe(415);
    expect(JSON.parse(wrongType.body)).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: expect.any(Number) } });

    const huge = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { pad: 'x'.repeat(1_100_000) } });
    const tooLarge = await rawRequest(target.mcpUrl, { method: 'POST', headers: mcpHeaders(), body: huge });
    expect(tooLarge.status).toBe(413);
    expect(JSON.parse(tooLarge.body).error.message).toBe('Request body too large.');
  });

  it('refuses a forged Host header (DNS rebinding) and a foreign Origin before looking at the token', async () => {
    const forgedHost = await rawRequest(target.mcpUrl, {
      method: 'POST',
      headers: { ...mcpHeaders(), host: 'attacker.example:80' },
      body: listCall,
    });
    expect(forgedHost.status).toBe(403);

    const foreignOrigin = await rawRequest(target.mcpUrl, {
      method: 'POST',
      headers: { ...mcpHeaders(), origin: 'https://evil.example' },
      body: listCall,
    });
    expect(foreignOrigin.status).toBe(403);
    expect(foreignOrigin.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('serves an allowed browser origin with CORS headers, preflight included', async () => {
    const preflight = await rawRequest(target.mcpUrl, {
      method: 'OPTIONS',
      headers: {
        origin: TEST_ALLOWED_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, mcp-protocol-version',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(TEST_ALLOWED_ORIGIN);
    expect(String(preflight.headers['access-control-allow-headers'])).toContain('authorization');

    const call = await rawRequest(target.mcpUrl, {
      method: 'POST',
      headers: { ...mcpHeaders(), origin: TEST_ALLOWED_ORIGIN },
      body: listCall,
    });
    expect(call.status).toBe(200);
    expect(call.headers['access-control-allow-origin']).toBe(TEST_ALLOWED_ORIGIN);
    expect(String(call.headers['access-control-expose-headers'])).toContain('www-authenticate');
  });

  it('sends security headers on MCP and plain routes alike', async () => {
    for (const response of [
      await rawRequest(target.mcpUrl, { method: 'POST', headers: mcpHeaders(), body: listCall }),
      await rawRequest(`${target.baseUrl}/health`),
    ]) {
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.headers['strict-transport-security']).toContain('max-age=31536000');
      expect(response.headers['x-request-id']).toBeDefined();
    }
  });

  it("answers with a request id of its own, never the caller's", async () => {
    for (const sent of ['kong-1234-abcd', 'bad id <script>']) {
      const response = await rawRequest(`${target.baseUrl}/health`, { headers: { 'x-request-id': sent } });
      expect(response.headers['x-request-id']).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      );
    }
  });

  it('has no sessions: GET and DELETE on /mcp answer 405 to an authenticated caller', async () => {
    for (const method of ['GET', 'DELETE']) {
      const response = await rawRequest(target.mcpUrl, {
        method,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json, text/event-stream' },
      });
      expect(response.status).toBe(405);
    }
  });

  it('answers unknown routes with a JSON 404', async () => {
    const response = await rawRequest(`${target.baseUrl}/admin?access_token=abc`);
    expect(response.status).toBe(404);
    expect(JSON.parse(response.body)).toEqual({
      error: 'not_found',
      message: 'No route for GET /admin. MCP is at /mcp.',
    });
  });

  it('reports ready with every check, and 503 while draining, while liveness stays 200', async () => {
    const ready = await rawRequest(`${target.baseUrl}/ready`);
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toEqual({ status: 'ready', checks: { database: 'ok', 'signing-keys': 'ok' } });

    target.service.lifecycle.draining = true;
    try {
      expect((await rawRequest(`${target.baseUrl}/ready`)).status).toBe(503);
      expect((await rawRequest(`${target.baseUrl}/health`)).status).toBe(200);
    } finally {
      target.service.lifecycle.draining = false;
    }
  });
});

describe('the service with its database down', () => {
  let target: ServiceWithoutDatabase;

  beforeAll(async () => {
    target = await startServiceWithoutDatabase();
  });
  afterAll(async () => {
    await target?.close();
  });

  it('stays live, turns unready naming the failed check, and answers tools with a reference, not internals', async () => {
    expect((await rawRequest(`${target.baseUrl}/health`)).status).toBe(200);
    const ready = await rawRequest(`${target.baseUrl}/ready`);
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.body)).toEqual({
      status: 'unavailable',
      checks: { database: 'failed', 'signing-keys': 'ok' },
    });

    const response = await rawRequest(target.mcpUrl, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await target.issuer.mintToken()}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'x-request-id': 'trace-db-down-0001',
      },
      body: listCall,
    });
    expect(response.status).toBe(200);
    expect(response.body).toContain('"isError":true');
    // The reference is the server's own request id, never the one the caller chose.
    expect(response.body).toContain(`Reference: ${response.headers['x-request-id']}.`);
    expect(response.body).not.toContain('trace-db-down-0001');
    expect(response.body).not.toMatch(STACK_TRACE);
  });
});
