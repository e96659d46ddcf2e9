import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort } from '../helpers/free-port.js';
import { ANSWER_BOUND_MS, type RedisFaultTarget, startRedisFaultTarget } from './redis-rate-limit-target.js';
import { hasRedisServer, type RedisServerProcess, startRedisServer } from './redis-server-process.js';

if (!hasRedisServer) console.info('Redis fault tests not run: redis-server is not on PATH');

const CALLERS = 10;

/** Redis killed (kill -9, a crashed or replaced node) and started again, empty, on the same address. */
describe.runIf(hasRedisServer)('rate limiting through a Redis killed and restarted', () => {
  let port: number;
  let redis: RedisServerProcess;
  let target: RedisFaultTarget;

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedisServer(port);
    target = await startRedisFaultTarget(redis);
  });
  afterAll(async () => {
    await target?.close();
    await redis?.kill();
  });

  it('counts in the shared Redis while it runs', async () => {
    const outcomes = await target.callConcurrently(CALLERS);
    expect(outcomes.map((o) => o.status)).toEqual(Array(CALLERS).fill(200));
    expect(await target.tenantCount('acme')).toBe(CALLERS);
  });

  it('answers on local counters while Redis is gone, and opens the circuit', async () => {
    await redis.kill();
    const rounds = 2;
    const outcomes = [];
    for (let round = 0; round < rounds; round++) outcomes.push(...(await target.callConcurrently(CALLERS)));

    expect(outcomes.map((o) => o.status)).toEqual(Array(rounds * CALLERS).fill(200));
    for (const { ms } of outcomes) expect(ms).toBeLessThan(ANSWER_BOUND_MS);
    const metrics = await target.metrics();
    expect(metrics.fallbacks('user')).toBe(rounds * CALLERS);
    expect(metrics.breakerOpen).toBe(1);
    expect(metrics.breakerOpenings).toBe(1);
    expect(metrics.redisUp).toBe(0);
  });

  it('goes back to the shared counters once Redis is back on the same address', async () => {
    redis = await startRedisServer(port);
    // No calls meanwhile: the reconnection's own ready check closes the circuit, without waiting for a probe.
    await vi.waitFor(async () => expect((await target.metrics()).redisUp).toBe(1), { timeout: 8_000, interval: 100 });
    const before = await target.metrics();
    expect(before.breakerOpen).toBe(0);
    const outcomes = await target.callConcurrently(CALLERS, 'recovered');
    expect(outcomes.map((o) => o.status)).toEqual(Array(CALLERS).fill(200));
    expect(await target.tenantCount('recovered')).toBe(CALLERS);
    expect((await target.metrics()).fallbacks('user')).toBe(before.fallbacks('user'));
    expect(target.logs.some((line) => line.msg?.startsWith('redis circuit breaker closed'))).toBe(true);
  });
});
