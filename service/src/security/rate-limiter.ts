import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { ServiceMetrics } from '../observability/service-metrics.js';

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
  /** Counts each tier's decisions, and those taken on local counters while Redis is not ready; none when absent. */
  metrics?: RateLimitMetrics;
}

export type RateLimitMetrics = Pick<ServiceMetrics, 'rateLimitDecisions' | 'rateLimitFallbacks'>;

type RateLimitScope = 'user' | 'tenant';

export interface RateLimitDecision {
  allowed: boolean;
  /** The tier that decided: the tighter of the two when allowed, the exhausted one when refused. */
  scope: RateLimitScope;
  limit: number;
  remaining: number;
  /** Seconds until the window of the deciding tier resets. */
  resetSeconds: number;
}

export interface RequestRateLimiter {
  consume(caller: { tenantId: string; subject: string }): Promise<RateLimitDecision>;
}

/**
 * The in-memory limiter Redis insures itself with: rate-limiter-flexible calls its consume() exactly when the Redis
 * one could not decide (not ready, or the command failed), which is what the fallback counter must count.
 */
class InsuranceLimiter extends RateLimiterMemory {
  constructor(
    options: ConstructorParameters<typeof RateLimiterMemory>[0],
    private readonly onFallback: () => void,
  ) {
    super(options);
  }

  override consume(...args: Parameters<RateLimiterMemory['consume']>): Promise<RateLimiterRes> {
    this.onFallback();
    return super.consume(...args);
  }
}

function limiterFor(
  tier: RateLimitTier,
  keyPrefix: string,
  redis: Redis | undefined,
  onFallback: () => void,
): RateLimiterMemory | RateLimiterRedis {
  const options = { points: tier.points, duration: tier.durationSeconds, keyPrefix };
  if (!redis) return new RateLimiterMemory(options);
  const memory = new InsuranceLimiter(options, onFallback);
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
  const metrics = options.metrics;
  const fallbackOf = (scope: RateLimitScope) => () => metrics?.rateLimitFallbacks.inc({ scope });
  const perUser = limiterFor(options.perUser, `${prefix}:user`, options.redis, fallbackOf('user'));
  const perTenant = limiterFor(options.perTenant, `${prefix}:tenant`, options.redis, fallbackOf('tenant'));

  // Keys are built from verified claims only; JSON keeps "a:b" + "c" apart from "a" + "b:c".
  const consumeOne = async (
    limiter: typeof perUser,
    key: string,
    tier: RateLimitTier,
    scope: RateLimitScope,
  ): Promise<RateLimitDecision> => {
    let decision: RateLimitDecision;
    try {
      const res = await limiter.consume(key);
      decision = {
        allowed: true,
        scope,
        limit: tier.points,
        remaining: res.remainingPoints,
        resetSeconds: seconds(res.msBeforeNext),
      };
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      decision = {
        allowed: false,
        scope,
        limit: tier.points,
        remaining: 0,
        resetSeconds: seconds(refusal.msBeforeNext),
      };
    }
    metrics?.rateLimitDecisions.inc({ scope, outcome: decision.allowed ? 'allowed' : 'refused' });
    return decision;
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
