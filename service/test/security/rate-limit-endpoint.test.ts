import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../src/contract.js';
import { postMcp, rawRequest } from '../helpers/raw-http.js';
import { type ServiceUnderTest, startServiceUnderTest } from '../helpers/service-under-test.js';

const listCall = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/call',
  params: { name: 'list_documents', arguments: {} },
});

describe('rate limits on /mcp', () => {
  let target: ServiceUnderTest;

  beforeAll(async () => {
    target = await startServiceUnderTest({
      backend: 'embedded',
      env: { [ENV.rateLimitUser]: '2/60', [ENV.rateLimitTenant]: '100/60' },
    });
  });
  afterAll(async () => {
    await target?.close();
  });

  const call = async (sub: string) =>
    rawRequest(target.mcpUrl, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await target.tokenFor({ sub, tenant: 'acme' })}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: listCall,
    });

  it('answers 429 with Retry-After once a caller has spent its budget, and counts others apart', async () => {
    const first = await call('alice');
    expect(first.status).toBe(200);
    expect(first.headers['ratelimit-limit']).toBe('2');
    expect(first.headers['ratelimit-remaining']).toBe('1');
    expect((await call('alice')).status).toBe(200);

    const refused = await call('alice');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.headers['ratelimit-remaining']).toBe('0');
    const body = JSON.parse(refused.body) as { jsonrpc: string; id: unknown; error: { code: number; message: string } };
    expect(body.jsonrpc).toBe('2.0');
    // The request's own id, so a client can tell which call was refused.
    expect(body.id).toBe(JSON.parse(listCall).id);
    expect(body.error.message).toMatch(/^Rate limit exceeded \(your 2 requests\); retry after \d+ s\.$/);

    expect((await call('bob')).status).toBe(200);
  });

  it('does not count requests the token check refused', async () => {
    const anonymous = await rawRequest(target.mcpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: listCall,
    });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['ratelimit-limit']).toBeUndefined();
  });
});

const redisUrl = process.env[ENV.redisUrl];
if (!redisUrl) console.info(`rate limits across replicas not tested: ${ENV.redisUrl} is not set`);

describe.runIf(redisUrl)('rate limits across replicas (Redis)', () => {
  const replicas: ServiceUnderTest[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      replicas.push(
        await startServiceUnderTest({
          backend: 'embedded',
          env: { [ENV.redisUrl]: redisUrl ?? '', [ENV.rateLimitUser]: '3/60', [ENV.rateLimitTenant]: '100/60' },
        }),
      );
    }
  });
  afterAll(async () => {
    for (const replica of replicas) await replica.close();
  });

  it('shares one budget per caller between service instances', async () => {
    // A fresh caller per run: counters live in Redis for the window, across test runs.
    const caller = { sub: `user-${randomUUID()}`, tenant: 'acme' };
    const statuses: number[] = [];
    for (const replica of [0, 1, 0, 1]) {
      const target = replicas[replica];
      if (!target) throw new Error('replica missing');
      const token = await target.tokenFor(caller);
      const response = await postMcp(target.mcpUrl, token, listCall);
      statuses.push(response.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});
