import type { Redis } from 'ioredis';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { ServiceMetrics } from '../observability/service-metrics.js';
import { type CircuitBreaker, createCircuitBreaker } from './circuit-breaker.js';
import type { RedisLogger } from './redis-client.js';

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
  /** Counts each tier's decisions, those taken on local counters while Redis cannot decide, and the circuit to Redis. */
  metrics?: RateLimitMetrics;
  /** How long the circuit to Redis stays open before one probe command (DEFAULT_REDIS_BREAKER_OPEN_MS). */
  redisBreakerOpenMs?: number;
  /** Where the circuit to Redis says it opened or closed. */
  logger?: RedisLogger;
}

export type RateLimitMetrics = Pick<
  ServiceMetrics,
  'rateLimitDecisions' | 'rateLimitFallbacks' | 'rateLimitBreakerOpenings' | 'watchRateLimitBreaker'
>;

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
  /** `points`: what the request costs (a JSON-RPC batch counts each of its calls); default 1. */
  consume(caller: { tenantId: string; subject: string; points?: number }): Promise<RateLimitDecision>;
}

/** Consecutive Redis failures (timeouts, errors, connection not ready) that open the circuit. */
const REDIS_FAILURES_TO_OPEN = 3;

/** How long the circuit to Redis stays open before one probe command may go through, unless configured. */
export const DEFAULT_REDIS_BREAKER_OPEN_MS = 1_000;

/** One tier's counters: shared ones in Redis when configured, and this replica's own. */
interface TierCounters {
  shared?: RateLimiterRedis;
  local: RateLimiterMemory;
}

function countersFor(tier: RateLimitTier, keyPrefix: string, redis: Redis | undefined): TierCounters {
  const options = { points: tier.points, duration: tier.durationSeconds, keyPrefix };
  return {
    // No insuranceLimiter: the fallback is taken below, where the circuit breaker sees each command's outcome.
    // Not ready (reconnecting) fails at once instead of queueing behind an outage.
    shared: redis && new RateLimiterRedis({ ...options, storeClient: redis, rejectIfRedisNotReady: true }),
    local: new RateLimiterMemory(options),
  };
}

/** A refusal by the counters is an answer from Redis, not a failure of it. */
const isRedisFailure = (error: unknown) => !(error instanceof RateLimiterRes);

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Guards the rate limiter's Redis commands: after a few consecutive failures (a hung Redis times out each command
 * after the client's command timeout) every check goes straight to local counters, with one probe command per open
 * period; a reconnection that passes its ready check closes the circuit at once.
 */
function createRedisBreaker(redis: Redis, options: RateLimitOptions): CircuitBreaker {
  const { metrics, logger } = options;
  const breaker = createCircuitBreaker({
    name: 'rate-limit redis',
    failureThreshold: REDIS_FAILURES_TO_OPEN,
    openMs: options.redisBreakerOpenMs ?? DEFAULT_REDIS_BREAKER_OPEN_MS,
    onStateChange({ from, to, cause }) {
      // Half-open and reopening after a failed probe are the open period's own rhythm: not worth a line each.
      if (to === 'open' && from === 'closed') {
        metrics?.rateLimitBreakerOpenings.inc();
        logger?.warn(
          { circuit: 'rate-limit-redis', state: to, err: { message: reasonOf(cause) } },
          "redis circuit breaker open: rate limits use this replica's own counters",
        );
      } else if (to === 'closed') {
        logger?.warn(
          { circuit: 'rate-limit-redis', state: to },
          'redis circuit breaker closed: rate limits use the shared counters again',
        );
      }
    },
  });
  redis.on('ready', () => breaker.reset());
  metrics?.watchRateLimitBreaker(breaker);
  return breaker;
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * Fixed-window counters per user and per tenant. A refused request counts against neither tier: its points are given
 * back, so a user at their own limit (or a batch too large for what is left) cannot use up the tenant's budget.
 */
export function createRequestRateLimiter(options: RateLimitOptions): RequestRateLimiter {
  const prefix = options.keyPrefix ?? 'mcp:rl';
  const metrics = options.metrics;
  const breaker = options.redis && createRedisBreaker(options.redis, options);
  const perUser = countersFor(options.perUser, `${prefix}:user`, options.redis);
  const perTenant = countersFor(options.perTenant, `${prefix}:tenant`, options.redis);

  /**
   * Resolves when allowed, rejects with RateLimiterRes when refused: on Redis while it answers, else locally. Either
   * way it says which counters decided, so points can be given back to the same ones.
   */
  const consumeOn = async (
    counters: TierCounters,
    key: string,
    scope: RateLimitScope,
    points: number,
  ): Promise<{ res: RateLimiterRes; allowed: boolean; store: RateLimiterAbstract }> => {
    const { shared } = counters;
    const on = async (store: RateLimiterAbstract, consume: () => Promise<RateLimiterRes>) => {
      try {
        return { res: await consume(), allowed: true, store };
      } catch (refusal) {
        if (refusal instanceof RateLimiterRes) return { res: refusal, allowed: false, store };
        throw refusal;
      }
    };
    if (shared && breaker) {
      try {
        return await on(shared, () => breaker.run(() => shared.consume(key, points), isRedisFailure));
      } catch (error) {
        if (!isRedisFailure(error)) throw error;
        // Redis could not decide (timed out, failed, not connected, or the circuit is open): decide here instead.
      }
      metrics?.rateLimitFallbacks.inc({ scope });
    }
    return on(counters.local, () => counters.local.consume(key, points));
  };

  /**
   * The counters add a refused request's points too. Given back, a refused batch of 100 does not spend the budget it
   * was refused for, so one caller's oversized batch cannot lock its colleagues out of the tenant's remaining budget.
   * Best effort: a failed refund leaves the window's count high, never lets more through.
   */
  const refund = (store: RateLimiterAbstract, key: string, points: number) =>
    store.reward(key, points).catch((error: unknown) => {
      options.logger?.warn({ err: { message: reasonOf(error) } }, 'rate limit refund failed');
    });

  // Keys are built from verified claims only; JSON keeps "a:b" + "c" apart from "a" + "b:c".
  const consumeOne = async (
    counters: TierCounters,
    key: string,
    tier: RateLimitTier,
    scope: RateLimitScope,
    points: number,
  ): Promise<{ decision: RateLimitDecision; giveBack: () => Promise<unknown> }> => {
    const { res, allowed, store } = await consumeOn(counters, key, scope, points);
    const decision: RateLimitDecision = allowed
      ? { allowed, scope, limit: tier.points, remaining: res.remainingPoints, resetSeconds: seconds(res.msBeforeNext) }
      : { allowed, scope, limit: tier.points, remaining: 0, resetSeconds: seconds(res.msBeforeNext) };
    metrics?.rateLimitDecisions.inc({ scope, outcome: allowed ? 'allowed' : 'refused' });
    if (!allowed) await refund(store, key, points);
    return { decision, giveBack: () => refund(store, key, points) };
  };

  return {
    async consume({ tenantId, subject, points = 1 }) {
      const perUserCheck = await consumeOne(
        perUser,
        JSON.stringify([tenantId, subject]),
        options.perUser,
        'user',
        points,
      );
      const user = perUserCheck.decision;
      if (!user.allowed) return user;
      const tenant = (await consumeOne(perTenant, JSON.stringify([tenantId]), options.perTenant, 'tenant', points))
        .decision;
      if (!tenant.allowed) {
        // Not served: the user's own budget gets its points back too.
        await perUserCheck.giveBack();
        return tenant;
      }
      return user.remaining / user.limit <= tenant.remaining / tenant.limit ? user : tenant;
    },
  };
}
