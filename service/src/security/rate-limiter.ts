import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

/** So many requests per so many seconds. */
export interface RateLimitTier {
  points: number;
  durationSeconds: number;
}

export interface RateLimitOptions {
  /** Per caller (tenant + user): one agent cannot starve its colleagues. */
  perUser: RateLimitTier;
  /** Per tenant: one tenant cannot starve the others. */
  perTenant: RateLimitTier;
  /** Shared counters across replicas; in-process counters when absent (one replica, or development). */
  redis?: Redis;
  keyPrefix?: string;
}

export interface RateLimitDecision {
  allowed: boolean;
  /** The tier that decided: the tighter of the two when allowed, the exhausted one when refused. */
  scope: 'user' | 'tenant';
  limit: number;
  remaining: number;
  /** Seconds until the window of the deciding tier resets. */
  resetSeconds: number;
}

export interface RequestRateLimiter {
  consume(caller: { tenantId: string; subject: string }): Promise<RateLimitDecision>;
}

function limiterFor(tier: RateLimitTier, keyPrefix: string, redis: Redis | undefined) {
  const memory = new RateLimiterMemory({ points: tier.points, duration: tier.durationSeconds, keyPrefix });
  if (!redis) return memory;
  return new RateLimiterRedis({
    storeClient: redis,
    points: tier.points,
    duration: tier.durationSeconds,
    keyPrefix,
    // Redis down must not mean service down: decide on this replica's own counters meanwhile (fault tolerant,
    // like Kong's rate-limiting with fault_tolerant), and immediately rather than after queued retries.
    rejectIfRedisNotReady: true,
    insuranceLimiter: memory,
  });
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * Fixed-window counters per user and per tenant. A refused request does not count against the other tier, so a
 * user at their own limit cannot use up the tenant's budget.
 */
export function createRequestRateLimiter(options: RateLimitOptions): RequestRateLimiter {
  const prefix = options.keyPrefix ?? 'mcp:rl';
  const perUser = limiterFor(options.perUser, `${prefix}:user`, options.redis);
  const perTenant = limiterFor(options.perTenant, `${prefix}:tenant`, options.redis);

  // Keys are built from verified claims only; JSON keeps "a:b" + "c" apart from "a" + "b:c".
  const consumeOne = async (limiter: typeof perUser, key: string, tier: RateLimitTier, scope: 'user' | 'tenant') => {
    try {
      const res = await limiter.consume(key);
      return {
        allowed: true,
        scope,
        limit: tier.points,
        remaining: res.remainingPoints,
        resetSeconds: seconds(res.msBeforeNext),
      };
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      return { allowed: false, scope, limit: tier.points, remaining: 0, resetSeconds: seconds(refusal.msBeforeNext) };
    }
  };

  return {
    async consume({ tenantId, subject }) {
      const user = await consumeOne(perUser, JSON.stringify([tenantId, subject]), options.perUser, 'user');
      if (!user.allowed) return user;
      const tenant = await consumeOne(perTenant, JSON.stringify([tenantId]), options.perTenant, 'tenant');
      if (!tenant.allowed) return tenant;
      return user.remaining / user.limit <= tenant.remaining / tenant.limit ? user : tenant;
    },
  };
}
