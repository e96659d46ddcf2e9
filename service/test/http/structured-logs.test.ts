import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../src/contract.js';
import { rawRequest } from '../helpers/raw-http.js';
import { type ServiceUnderTest, startServiceUnderTest } from '../helpers/service-under-test.js';

describe('structured logs', () => {
  const lines: string[] = [];
  let target: ServiceUnderTest;

  beforeAll(async () => {
    target = await startServiceUnderTest({
      backend: 'embedded',
      env: { [ENV.logLevel]: 'info' },
      logDestination: { write: (line) => void lines.push(line) },
    });
  });
  afterAll(async () => {
    await target?.close();
  });

  it('writes one JSON object per line, with the correlation id, and never a credential', async () => {
    const token = await target.tokenFor({ sub: 'alice', tenant: 'acme' });
    const secretInQuery = 'query-secret-value-1234';
    const response = await rawRequest(`${target.mcpUrl}?access_token=${secretInQuery}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        cookie: 'session=cookie-secret-value',
        'content-type': 'application/json',
        'x-request-id': 'log-test-correlation-01',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    await target.service.app.close();

    expect(lines.length).toBeGreaterThan(0);
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    // Our own id, the one the response names; the caller's rides along on every line as clientRequestId.
    const ofRequest = entries.filter((entry) => entry.reqId === response.headers['x-request-id']);
    expect(ofRequest.map((entry) => entry.msg)).toEqual(['incoming request', 'request completed']);
    expect(ofRequest.map((entry) => entry.clientRequestId)).toEqual([
      'log-test-correlation-01',
      'log-test-correlation-01',
    ]);
    expect(ofRequest[0]?.req).toMatchObject({ method: 'POST', url: '/mcp' });
    expect(ofRequest[1]?.res).toMatchObject({ statusCode: 400 });
    for (const entry of entries) {
      expect(typeof entry.level).toBe('number');
      expect(typeof entry.time).toBe('number');
    }
    const everything = lines.join('\n');
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(token.split('.')[2]);
    expect(everything).not.toContain(secretInQuery);
    expect(everything).not.toContain('cookie-secret-value');
  });
});
