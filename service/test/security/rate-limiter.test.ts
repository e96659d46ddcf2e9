import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../src/contract.js';
import { createRequestRateLimiter } from '../../src/security/rate-limiter.js';
import { createRedisClient, waitForRedis } from '../../src/security/redis-client.js';

const redisUrl = process.env[ENV.redisUrl];
const stores = redisUrl ? (['memory', 'redis'] as const) : (['memory'] as const);
if (!redisUrl) console.info(`rate-limit tests: store redis not run because ${ENV.redisUrl} is not set; memory only`);

const quiet = { warn: () => {} };
const clients: Redis[] = [];
afterAll(async () => {
  for (const client of clients) client.disconnect();
});

describe.each(stores)('request rate limiter (%s store)', (store) => {
  const prefix = `mcp-test:${randomBytes(6).toString('hex')}`;
  const redis = store === 'redis' && redisUrl ? createRedisClient(redisUrl, { logger: quiet }) : undefined;
  if (redis) clients.push(redis);

  beforeAll(async () => {
    // Otherwise the first calls would silently run on the in-memory fallback.
    if (redis) expect(await waitForRedis(redis, 5_000)).toBe(true);
  });

  afterAll(async () => {
    if (!redis) return;
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  });

  const limiterWith = (name: string, perUser: number, perTenant: number) =>
    createRequestRateLimiter({
      perUser: { points: perUser, durationSeconds: 60 },
      perTenant: { points: perTenant, durationSeconds: 60 },
      redis,
      keyPrefix: `${prefix}:${name}`,
    });

  it('allows a user its budget, then refuses with the time to wait', async () => {
    const limiter = limiterWith('user', 3, 100);
    const alice = { tenantId: 'acme', subject: 'alice' };
    const decisions = [];
    for (let i = 0; i < 4; i++) decisions.push(await limiter.consume(alice));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(decisions.map((d) => d.remaining)).toEqual([2, 1, 0, 0]);
    expect(decisions[3]).toMatchObject({ scope: 'user', limit: 3 });
    expect(decisions[3]?.resetSeconds).toBeGreaterThan(0);
    expect(decisions[3]?.resetSeconds).toBeLessThanOrEqual(60);
    // Someone else, even with a look-alike key, has their own budget.
    expect((await limiter.consume({ tenantId: 'acme', subject: 'bob' })).allowed).toBe(true);
    expect((await limiter.consume({ tenantId: 'acme:alice', subject: '' })).allowed).toBe(true);
  });

  it('spends nothing on a refused batch: what was left stays usable', async () => {
    const limiter = limiterWith('refund', 10, 100);
    const caller = { tenantId: 't-refund', subject: 'alice' };
    expect((await limiter.consume({ ...caller, points: 8 })).remaining).toBe(2);
    expect(await limiter.consume({ ...caller, points: 5 })).toMatchObject({ allowed: false, scope: 'user' });
    // Without the refund the window would hold 13 points and this would be refused too.
    expect(await limiter.consume({ ...caller, points: 2 })).toMatchObject({ allowed: true, remaining: 0 });
  });

  it("gives a user's points back when the tenant refuses, and leaves the tenant's rest to be used", async () => {
    const limiter = limiterWith('tenant-refund', 6, 10);
    expect((await limiter.consume({ tenantId: 't-share', subject: 'alice', points: 6 })).allowed).toBe(true);
    const refused = await limiter.consume({ tenantId: 't-share', subject: 'bob', points: 5 });
    expect(refused).toMatchObject({ allowed: false, scope: 'tenant' });
    // bob's 4 fit his own budget only if the refused 5 were given back (9 > 6), and the tenant's 4 are still there.
    expect(await limiter.consume({ tenantId: 't-share', subject: 'bob', points: 4 })).toMatchObject({
      allowed: true,
      scope: 'tenant',
      remaining: 0,
    });
  });

  it('caps a whole tenant across its users, and leaves other tenants alone', async () => {
    const limiter = limiterWith('tenant', 100, 4);
    const allowed = [];
    for (const subject of ['a', 'b', 'c', 'd', 'e', 'f']) {
      allowed.push((await limiter.consume({ tenantId: 'acme', subject })).allowed);
    }
    expect(allowed).toEqual([true, true, true, true, false, false]);
    const refused = await limiter.consume({ tenantId: 'acme', subject: 'g' });
    expect(refused).toMatchObject({ allowed: false, scope: 'tenant', limit: 4 });
    expect((await limiter.consume({ tenantId: 'globex', subject: 'a' })).allowed).toBe(true);
  });

  if (store === 'redis' && redisUrl) {
    it('shares counters between replicas, in Redis', async () => {
      const replicaA = limiterWith('shared', 2, 100);
      const replicaB = limiterWith('shared', 2, 100);
      const caller = { tenantId: 'acme', subject: 'alice' };
      expect((await replicaA.consume(caller)).allowed).toBe(true);
      expect((await replicaB.consume(caller)).allowed).toBe(true);
      expect((await replicaA.consume(caller)).allowed).toBe(false);
      expect(await redis?.keys(`${prefix}:shared:user*`)).toHaveLength(1);
    });
  }
});

describe('request rate limiter with Redis unreachable', () => {
  it('keeps deciding on local counters instead of failing requests', async () => {
    const redis = createRedisClient('redis://127.0.0.1:1', { logger: quiet });
    clients.push(redis);
    const limiter = createRequestRateLimiter({
      perUser: { points: 2, durationSeconds: 60 },
      perTenant: { points: 100, durationSeconds: 60 },
      redis,
    });
    const caller = { tenantId: 'acme', subject: 'alice' };
    const allowed = [];
    for (let i = 0; i < 3; i++) allowed.push((await limiter.consume(caller)).allowed);
    expect(allowed).toEqual([true, true, false]);
  });
});
