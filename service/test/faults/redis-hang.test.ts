import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PATHS } from '../../src/contract.js';
import { freePort } from '../helpers/free-port.js';
import { rawRequest } from '../helpers/raw-http.js';
import { ANSWER_BOUND_MS, type RedisFaultTarget, startRedisFaultTarget } from './redis-rate-limit-target.js';
import { hasRedisServer, type RedisServerProcess, startRedisServer } from './redis-server-process.js';

if (!hasRedisServer) console.info('Redis fault tests not run: redis-server is not on PATH');

const CALLERS = 10;

/**
 * A hung Redis (SIGSTOP: the process keeps its sockets open and answers nothing, as behind a black-holed network)
 * used to stall every /mcp request for as long as it lasted: ioredis waits for an answer forever by default.
 */
describe.runIf(hasRedisServer)('rate limiting through a hung Redis (SIGSTOP)', () => {
  let redis: RedisServerProcess;
  let target: RedisFaultTarget;
  let stopped = false;

  beforeAll(async () => {
    redis = await startRedisServer(await freePort());
    target = await startRedisFaultTarget(redis);
  });
  afterAll(async () => {
    redis?.resume();
    if (!stopped) await target?.close();
    await redis?.kill();
  });

  it('counts every caller in the shared Redis while it answers', async () => {
    const outcomes = await target.callConcurrently(CALLERS);
    expect(outcomes.map((o) => o.status)).toEqual(Array(CALLERS).fill(200));
    expect(await target.tenantCount('acme')).toBe(CALLERS);
    const metrics = await target.metrics();
    expect(metrics.breakerOpen).toBe(0);
    expect(metrics.fallbacks('user')).toBe(0);
  });

  it('answers every call within the bound while Redis is hung, on local counters, and opens the circuit', async () => {
    // Counted from here: only this test's calls are asserted below.
    const before = await target.metrics();
    redis.hang();
    const rounds = 3;
    const outcomes = [];
    for (let round = 0; round < rounds; round++) outcomes.push(...(await target.callConcurrently(CALLERS)));

    expect(outcomes.map((o) => o.status)).toEqual(Array(rounds * CALLERS).fill(200));
    for (const { ms } of outcomes) expect(ms).toBeLessThan(ANSWER_BOUND_MS);
    const metrics = await target.metrics();
    expect(metrics.fallbacks('user') - before.fallbacks('user')).toBe(rounds * CALLERS);
    expect(metrics.fallbacks('tenant') - before.fallbacks('tenant')).toBe(rounds * CALLERS);
    expect(metrics.breakerOpen).toBe(1);
    expect(metrics.breakerOpenings).toBe(1);
    const opened = target.logs.filter((line) => line.msg?.startsWith('redis circuit breaker open'));
    expect(opened).toHaveLength(1);
    expect(opened[0]?.err?.message).toMatch(/timed out/i);
    // Redis is optional by design: its outage degrades the limits, never readiness.
    expect((await rawRequest(`${target.service.baseUrl}${PATHS.ready}`)).status).toBe(200);
  });

  it('drops the silent connection, so the Redis gauge shows it down while it is hung', async () => {
    // The socket stays open while the process is stopped: only the client's own socket timeout can tell.
    await vi.waitFor(async () => expect((await target.metrics()).redisUp).toBe(0), { timeout: 6_000, interval: 100 });
    const outcomes = await target.callConcurrently(CALLERS);
    expect(outcomes.map((o) => o.status)).toEqual(Array(CALLERS).fill(200));
    for (const { ms } of outcomes) expect(ms).toBeLessThan(ANSWER_BOUND_MS);
  });

  it('goes back to the shared counters once Redis answers again', async () => {
    redis.resume();
    await vi.waitFor(
      async () => {
        await target.callConcurrently(1);
        expect((await target.metrics()).breakerOpen).toBe(0);
      },
      { timeout: 8_000, interval: 100 },
    );
    const before = await target.metrics();
    // A tenant never seen before: its counter in Redis can only come from these calls.
    const outcomes = await target.callConcurrently(CALLERS, 'recovered');
    expect(outcomes.map((o) => o.status)).toEqual(Array(CALLERS).fill(200));
    expect(await target.tenantCount('recovered')).toBe(CALLERS);
    expect((await target.metrics()).fallbacks('tenant')).toBe(before.fallbacks('tenant'));
    expect(target.logs.some((line) => line.msg?.startsWith('redis circuit breaker closed'))).toBe(true);
  });

  it('shuts down within the bound while Redis is hung (closing its connection does not wait for an answer)', async () => {
    redis.hang();
    await target.callConcurrently(1);
    const started = performance.now();
    stopped = true;
    await target.close();
    expect(performance.now() - started).toBeLessThan(ANSWER_BOUND_MS);
  });
});
