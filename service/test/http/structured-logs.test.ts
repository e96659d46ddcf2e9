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
    // A client's mistake the SDK refuses (it must accept both answer types): logged, without a stack trace.
    const refused = await rawRequest(target.mcpUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    expect(refused.status).toBe(406);
    await target.service.app.close();

    expect(lines.length).toBeGreaterThan(0);
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    // Our own id, the one the response names; the caller's rides along on every line as clientRequestId.
    const ofRequest = entries.filter((entry) => entry.reqId === response.headers['x-request-id']);
    // One line per request, at its end, with what came in and what went out.
    expect(ofRequest.map((entry) => entry.msg)).toEqual(['request completed']);
    expect(ofRequest[0]?.clientRequestId).toBe('log-test-correlation-01');
    expect(ofRequest[0]?.req).toMatchObject({ method: 'POST', url: '/mcp' });
    expect(ofRequest[0]?.res).toMatchObject({ statusCode: 400 });
    expect(typeof ofRequest[0]?.responseTime).toBe('number');
    for (const entry of entries) {
      expect(typeof entry.level).toBe('number');
      expect(typeof entry.time).toBe('number');
    }
    const ofRefused = entries.filter((entry) => entry.reqId === refused.headers['x-request-id']);
    expect(ofRefused.map((entry) => [entry.msg, (entry.res as { statusCode?: number })?.statusCode])).toEqual([
      ['request completed', 406],
    ]);
    expect(lines.join('\n')).not.toMatch(/"stack"|\\n\s+at /);
    const everything = lines.join('\n');
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(token.split('.')[2]);
    expect(everything).not.toContain(secretInQuery);
    expect(everything).not.toContain('cookie-secret-value');
  });
});
