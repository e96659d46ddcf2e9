import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { ENV } from '../../src/contract.js';
import { callTool } from '../helpers/json-rpc-call.js';
import { type ServiceUnderTest, startServiceUnderTest } from '../helpers/service-under-test.js';
import { messagesOf, postMcp, toolCallBatch } from './batch-messages.js';

const databaseUrl = process.env[ENV.databaseUrl];
// The embedded Postgres serves one connection: nothing there can run concurrently.
if (!databaseUrl) console.info(`batch concurrency not tested: ${ENV.databaseUrl} is not set (needs a pool of 10)`);

const BATCH_CONCURRENCY = 3;
const POOL_SIZE = 10;

/** Connections checked out of the service's pool, i.e. transactions running, watched through the pool's events. */
function watchPool(pool: Pool) {
  const seen = { inUse: 0, maxInUse: 0 };
  const onAcquire = () => {
    seen.inUse += 1;
    seen.maxInUse = Math.max(seen.maxInUse, seen.inUse);
  };
  const onRelease = () => {
    seen.inUse -= 1;
  };
  pool.on('acquire', onAcquire);
  pool.on('release', onRelease);
  return {
    seen,
    stop: () => {
      pool.off('acquire', onAcquire);
      pool.off('release', onRelease);
    },
  };
}

describe.runIf(databaseUrl)('a JSON-RPC batch runs its calls with bounded concurrency', () => {
  let target: ServiceUnderTest;

  beforeAll(async () => {
    target = await startServiceUnderTest({
      backend: 'postgres',
      // The service's own pool of 10, as in production, rather than the test database's single connection.
      ownPool: true,
      env: {
        [ENV.databasePoolMax]: String(POOL_SIZE),
        [ENV.batchConcurrency]: String(BATCH_CONCURRENCY),
        [ENV.rateLimitUser]: '1000/60',
      },
    });
  });
  afterAll(async () => {
    await target?.close();
  });

  it(`never runs more than ${BATCH_CONCURRENCY} calls of one batch at once, and answers all 100`, async () => {
    const token = await target.tokenFor({ sub: 'alice', tenant: 'acme' });
    const { batchCallsWaiting } = target.service.telemetry.metrics;
    const waiting = async () => (await batchCallsWaiting.get()).values[0]?.value ?? 0;
    const watch = watchPool(target.service.pool);
    try {
      const pending = postMcp(target.mcpUrl, token, toolCallBatch(100, 'search_documents', { query: 'plan' }));
      // The rest of the batch waits its turn, and the gauge says so.
      await expect.poll(waiting, { timeout: 5_000, interval: 1 }).toBeGreaterThan(0);
      const answer = await pending;
      expect(await waiting()).toBe(0);
      expect(answer.status).toBe(200);
      const messages = messagesOf(answer);
      expect(messages).toHaveLength(100);
      expect(messages.filter((m) => !m.result || m.result.isError)).toEqual([]);
    } finally {
      watch.stop();
    }
    // Concurrent (more than one at a time), yet within the bound.
    expect(watch.seen.maxInUse).toBeGreaterThan(1);
    expect(watch.seen.maxInUse).toBeLessThanOrEqual(BATCH_CONCURRENCY);
  });

  it("leaves the rest of the pool to others: another tenant's call never waits for a connection", async () => {
    const batchToken = await target.tokenFor({ sub: 'alice', tenant: 'acme' });
    const otherToken = await target.tokenFor({ sub: 'carol', tenant: 'globex' });
    const watch = watchPool(target.service.pool);
    try {
      const batch = postMcp(target.mcpUrl, batchToken, toolCallBatch(100, 'search_documents', { query: 'plan' }));
      // Once the batch holds its connections, the other tenant calls.
      await expect.poll(() => watch.seen.inUse, { timeout: 5_000, interval: 1 }).toBeGreaterThan(0);
      const other = await callTool(target.mcpUrl, otherToken, 'list_documents', {});
      expect(other.isError).toBe(false);
      expect(messagesOf(await batch)).toHaveLength(100);
    } finally {
      watch.stop();
    }
    // The batch's slots and the other call, and never the whole pool: nobody ever waited for a connection.
    expect(watch.seen.maxInUse).toBeLessThanOrEqual(BATCH_CONCURRENCY + 1);
    expect(watch.seen.maxInUse).toBeLessThan(POOL_SIZE);
  });
});

describe(`${ENV.batchConcurrency}`, () => {
  it('defaults to 4 and names itself when the setting is wrong', () => {
    const base = {
      [ENV.resourceUrl]: 'https://mcp.example.com/mcp',
      [ENV.issuers]: 'https://issuer.example.com',
      [ENV.databaseUrl]: 'postgres://mcp_app@db/mcp',
    };
    expect(loadConfig(base).batchConcurrency).toBe(4);
    for (const wrong of ['0', '101', '2.5', 'many']) {
      const load = () => loadConfig({ ...base, [ENV.batchConcurrency]: wrong });
      expect(load, wrong).toThrow(ConfigError);
      expect(load, wrong).toThrow(`${ENV.batchConcurrency}: must be a whole number of calls between 1 and 100`);
    }
  });
});
