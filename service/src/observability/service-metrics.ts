import type { Pool } from 'pg';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The service's Prometheus series, in a registry of its own (never prom-client's global one: tests run several
 * services in one process, and a library that registers on the global registry cannot leak into ours).
 *
 * Every label takes its values from a small fixed set (route patterns, method names, registered tool names,
 * outcomes, auth failure reasons): never a token, a user, a tenant or anything else a client can vary at will.
 */
export interface ServiceMetrics {
  readonly registry: Registry;
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpRequestDuration: Histogram<'method' | 'route' | 'status'>;
  readonly inflightRequests: Gauge;
  readonly toolCalls: Counter<'tool' | 'outcome'>;
  readonly toolDuration: Histogram<'tool' | 'outcome'>;
  readonly authFailures: Counter<'reason'>;
  /** One per tier checked: a request is checked against its user budget, then (if allowed) its tenant budget. */
  readonly rateLimitDecisions: Counter<'scope' | 'outcome'>;
  /** Tier checks decided on this replica's own counters because Redis was not ready (or failed the command). */
  readonly rateLimitFallbacks: Counter<'scope'>;
  /**
   * Reports `mcp_rate_limit_redis_up` from this client's connection status at scrape time. Until it is called (no
   * Redis configured: one replica, or development) the gauge has no sample, so "Redis down" cannot be confused with
   * "no Redis". Called again, it watches the new client instead.
   */
  watchRateLimitRedis(client: RedisConnectionStatus): void;
}

/** What the Redis gauge reads: ioredis' `status` ('ready' once connected and authenticated). */
export interface RedisConnectionStatus {
  readonly status: string;
}

export interface ServiceMetricsOptions {
  /** Its connection counts are read at scrape time. */
  pool?: Pool;
}

/** Seconds; from a health probe's microseconds to a slow search's seconds (statement timeout is 10 s). */
const DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createServiceMetrics(options: ServiceMetricsOptions = {}): ServiceMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const pool = options.pool;
  if (pool) {
    new Gauge({
      name: 'mcp_db_pool_connections',
      help: 'Database pool connections by state: total open, idle, and requests waiting for one.',
      labelNames: ['state'] as const,
      registers,
      collect() {
        this.set({ state: 'total' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      },
    });
  }

  let rateLimitRedis: RedisConnectionStatus | undefined;
  new Gauge({
    name: 'mcp_rate_limit_redis_up',
    help: "1 while the rate limiter's Redis connection is ready, 0 while rate limits use this replica's own counters.",
    registers,
    collect() {
      if (rateLimitRedis) this.set(rateLimitRedis.status === 'ready' ? 1 : 0);
      else this.remove();
    },
  });

  return {
    registry,
    httpRequests: new Counter({
      name: 'mcp_http_requests_total',
      help: 'HTTP requests answered on the service port, by method, route pattern and status.',
      labelNames: ['method', 'route', 'status'] as const,
      registers,
    }),
    httpRequestDuration: new Histogram({
      name: 'mcp_http_request_duration_seconds',
      help: 'Time from receiving an HTTP request to the end of its response.',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: DURATION_BUCKETS,
      registers,
    }),
    inflightRequests: new Gauge({
      name: 'mcp_inflight_requests',
      help: 'HTTP requests being served on the service port.',
      registers,
    }),
    toolCalls: new Counter({
      name: 'mcp_tool_calls_total',
      help: 'Audited data accesses (tool calls and resource reads) by operation and audit outcome.',
      labelNames: ['tool', 'outcome'] as const,
      registers,
    }),
    toolDuration: new Histogram({
      name: 'mcp_tool_duration_seconds',
      help: 'Duration of audited data accesses, scope check, transaction and audit record included.',
      labelNames: ['tool', 'outcome'] as const,
      buckets: DURATION_BUCKETS,
      registers,
    }),
    authFailures: new Counter({
      name: 'mcp_auth_failures_total',
      help: 'Requests refused by bearer authentication, by reason.',
      labelNames: ['reason'] as const,
      registers,
    }),
    rateLimitDecisions: new Counter({
      name: 'mcp_rate_limit_decisions_total',
      help: 'Rate-limit checks on /mcp by tier (user, tenant) and outcome (allowed, refused); refused ones answer 429.',
      labelNames: ['scope', 'outcome'] as const,
      registers,
    }),
    rateLimitFallbacks: new Counter({
      name: 'mcp_rate_limit_fallback_total',
      help: "Rate-limit checks decided on this replica's own counters (Redis not ready, or its command failed), by tier.",
      labelNames: ['scope'] as const,
      registers,
    }),
    watchRateLimitRedis(client) {
      rateLimitRedis = client;
    },
  };
}
