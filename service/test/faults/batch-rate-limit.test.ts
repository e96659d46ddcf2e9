import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../src/contract.js';
import { type ServiceUnderTest, startServiceUnderTest } from '../helpers/service-under-test.js';
import { messagesOf, postMcp, toolCallBatch } from './batch-messages.js';

const backend = process.env[ENV.databaseUrl] ? 'postgres' : 'embedded';
const redisUrl = process.env[ENV.redisUrl];
if (!redisUrl) console.info(`batch counting on shared counters not tested: ${ENV.redisUrl} is not set`);
const counters = redisUrl ? (['local', 'redis'] as const) : (['local'] as const);

describe.each(counters)('every call of a JSON-RPC batch counts against the rate limits (%s counters)', (kind) => {
  let target: ServiceUnderTest;
  // Shared Redis keeps counters across runs and test files: tenants of this run's own.
  const tenant = `batch-${randomUUID()}`;
  const otherTenant = `batch-${randomUUID()}`;

  beforeAll(async () => {
    target = await startServiceUnderTest({
      backend,
      env: {
        [ENV.rateLimitUser]: '150/60',
        [ENV.rateLimitTenant]: '250/60',
        ...(kind === 'redis' && { [ENV.redisUrl]: redisUrl ?? '' }),
      },
    });
  });
  afterAll(async () => {
    await target?.close();
  });

  const batchOf = async (sub: string, size: number, ofTenant = tenant) =>
    postMcp(
      target.mcpUrl,
      await target.tokenFor({ sub, tenant: ofTenant }),
      toolCallBatch(size, 'list_documents', { limit: 1 }),
    );
  // The calls a request ran, by their audit rows. A refused batch may also get the 429's own row (outcome
  // forbidden, written just after the answer by the refusal audit): that one is not a call, and its timing is not ours.
  const auditRows = async (correlationId: unknown) => {
    const { rows } = await target.database.adminPool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_events WHERE correlation_id = $1 AND outcome <> 'forbidden'",
      [String(correlationId)],
    );
    return rows[0]!.n;
  };

  it('counts a batch of 100 as 100 and runs and audits each call', async () => {
    const answer = await batchOf('alice', 100);
    expect(answer.status).toBe(200);
    expect(answer.headers['ratelimit-limit']).toBe('150');
    expect(answer.headers['ratelimit-remaining']).toBe('50');
    const messages = messagesOf(answer);
    expect(messages.map((m) => m.id).sort((a, b) => Number(a) - Number(b))).toEqual(
      Array.from({ length: 100 }, (_, i) => i + 1),
    );
    expect(messages.every((m) => m.result && !m.result.isError)).toBe(true);
    expect(await auditRows(answer.headers['x-request-id'])).toBe(100);
    const sizes = await target.service.telemetry.metrics.batchMessages.get();
    expect(sizes.values.find((v) => v.metricName === 'mcp_jsonrpc_batch_messages_sum')?.value).toBe(100);
  });

  it('refuses a batch over the remaining budget whole, with 429, running none of its calls', async () => {
    const refused = await batchOf('alice', 100);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    const errors = messagesOf(refused);
    // One error per call of the batch, each with its call's id.
    expect(errors.map((message) => message.id)).toEqual(Array.from({ length: 100 }, (_, index) => index + 1));
    const [error] = errors;
    expect(error?.error?.code).toBe(-32029);
    expect(error?.error?.message).toMatch(/^Rate limit exceeded \(your 150 requests; this batch counts 100\); retry/);
    expect(await auditRows(refused.headers['x-request-id'])).toBe(0);
  });

  it("counts each call against the tenant's budget too", async () => {
    expect((await batchOf('bob', 100)).status).toBe(200);
    // 100 (alice) + 100 (bob) of the tenant's 250: a third colleague's batch of 100 does not fit.
    const refused = await batchOf('carol', 100);
    expect(refused.status).toBe(429);
    expect(messagesOf(refused)[0]?.error?.message).toMatch(/^Rate limit exceeded \(your tenant's 250 requests;/);
    expect(await auditRows(refused.headers['x-request-id'])).toBe(0);
  });

  it('refuses a batch of more than 100 before the token check, spending no budget', async () => {
    const body = toolCallBatch(101, 'list_documents', {});
    for (const token of [undefined, await target.tokenFor({ sub: 'dave', tenant: otherTenant })]) {
      const refused = await postMcp(target.mcpUrl, token, body);
      expect(refused.status).toBe(400);
      expect(refused.headers['ratelimit-remaining']).toBeUndefined();
      const [error] = messagesOf(refused);
      expect(error?.error?.code).toBe(-32600);
      expect(error?.error?.message).toBe(
        `Invalid Request: a batch may carry at most 100 messages (this one has 101); send it in parts. Reference: ${refused.headers['x-request-id']}.`,
      );
    }
    const next = await batchOf('dave', 1, otherTenant);
    expect(next.headers['ratelimit-remaining']).toBe('149');
  });
});
