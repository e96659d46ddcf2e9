/**
 * Origin is compared as a whole origin (scheme, host, port). Before, only the hostname was compared, so
 * `http://app.example.com:8080` was served where only `https://app.example.com` is allowed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableDatabaseBackends } from '../helpers/database.js';
import { rawRequest } from '../helpers/raw-http.js';
import { type ServiceUnderTest, startServiceUnderTest, TEST_ALLOWED_ORIGIN } from '../helpers/service-under-test.js';

const backend = availableDatabaseBackends()[0] ?? 'embedded';

describe('Origin validation on /mcp', () => {
  let target: ServiceUnderTest;
  let token: string;

  const listToolsFrom = (origin: string | undefined) =>
    rawRequest(target.mcpUrl, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...(origin === undefined ? {} : { origin }),
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });

  beforeAll(async () => {
    target = await startServiceUnderTest({ backend });
    token = await target.tokenFor({ sub: 'alice', tenant: 'acme' });
  });
  afterAll(async () => {
    await target?.close();
  });

  it('serves the exact allowed origin (with CORS), and requests without an Origin (non-browser clients)', async () => {
    expect(TEST_ALLOWED_ORIGIN).toBe('https://app.example.com');
    const allowed = await listToolsFrom(TEST_ALLOWED_ORIGIN);
    expect(allowed.status).toBe(200);
    expect(allowed.headers['access-control-allow-origin']).toBe(TEST_ALLOWED_ORIGIN);
    expect((await listToolsFrom(undefined)).status).toBe(200);
    // The same origin spelled with its default port is the same origin.
    expect((await listToolsFrom('https://app.example.com:443')).status).toBe(200);
  });

  it.each([
    ['another scheme', 'http://app.example.com'],
    ['another port', 'https://app.example.com:8443'],
    ['another scheme and port', 'http://app.example.com:8080'],
    ['another host', 'https://evil.example.com'],
    ['an opaque origin', 'null'],
    ['no origin at all', 'not a url'],
  ])('refuses %s (%s) with 403 before looking at the token', async (_case, origin) => {
    const refused = await listToolsFrom(origin);
    expect(refused.status).toBe(403);
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    expect(JSON.parse(refused.body)).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 }, id: null });
    expect(refused.body).not.toContain('tools');
  });
});
