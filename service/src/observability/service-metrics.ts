import type { Pool } from 'pg';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { createHttpMetrics, DURATION_BUCKETS, type HttpMetrics } from './http-metrics.js';

/**
 * The service's Prometheus series, in a registry of its own (never prom-client's global one: tests run several
 * services in one process, and a library that registers on the global registry cannot leak into ours).
 *
 * Every label takes its values from a small fixed set (route patterns, method names, registered tool names,
 * outcomes, auth failure reasons): never a token, a user, a tenant or anything else a client can vary at will.
 */
export interface ServiceMetrics extends HttpMetrics {
  readonly registry: Registry;
  readonly toolCalls: Counter<'tool' | 'outcome'>;
  readonly toolDuration: Histogram<'tool' | 'outcome'>;
  readonly authFailures: Counter<'reason'>;
  /** Database connections that died: `idle` in the pool, or `in_use` inside a transaction (that request failed). */
  readonly dbConnectionsLost: Counter<'state'>;
  /** Transactions started again on a fresh connection because theirs died before the caller's work ran. */
  readonly dbTransactionRetries: Counter;
  /** Waits of a tenant at its share of pool connections, by outcome (acquired, timed_out). */
  readonly dbTenantWaits: Counter<'outcome'>;
  /** Messages per JSON-RPC batch received on /mcp (each counts against the rate limits). */
  readonly batchMessages: Histogram;
  /** Calls of JSON-RPC batches waiting for one of their request's slots (MCP_BATCH_CONCURRENCY at a time). */
  readonly batchCallsWaiting: Gauge;
  /**
   * Reports `mcp_auth_signing_keys_age_seconds` and `mcp_auth_signing_keys_stale` per configured issuer from this
   * source at scrape time; an issuer whose keys never loaded has no sample.
   */
  watchSigningKeys(source: () => readonly SigningKeysStatus[]): void;
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
  /** Times the circuit to the rate limiter's Redis opened (closed to open; failed probes are not counted again). */
  readonly rateLimitBreakerOpenings: Counter;
  /**
   * Reports `mcp_rate_limit_redis_breaker_open` from this circuit's state at scrape time; no sample until called (no
   * Redis configured), like `mcp_rate_limit_redis_up`.
   */
  watchRateLimitBreaker(circuit: CircuitBreakerStatus): void;
  /** Secret reads answered with the last good value because Key Vault did not answer, by secret name (contract). */
  readonly keyVaultStaleReads: Counter<'secret'>;
}

/** What the breaker gauge reads: 'closed' while checks go to Redis, 'open' or 'half-open' while they do not. */
export interface CircuitBreakerStatus {
  readonly state: string;
}

/** What the signing-key gauges read for each configured issuer whose keys are loaded (the token verifier's status). */
export interface SigningKeysStatus {
  /** A configured issuer URL: a bounded label value, set by configuration, never by a client. */
  readonly issuer: string;
  readonly ageSeconds: number;
  readonly stale: boolean;
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

  let rateLimitBreaker: CircuitBreakerStatus | undefined;
  new Gauge({
    name: 'mcp_rate_limit_redis_breaker_open',
    help: "1 while the circuit to the rate limiter's Redis is open (checks use this replica's own counters without asking Redis, one probe per open period), 0 while closed.",
    registers,
    collect() {
      if (rateLimitBreaker) this.set(rateLimitBreaker.state === 'closed' ? 0 : 1);
      else this.remove();
    },
  });

  let signingKeys: (() => readonly SigningKeysStatus[]) | undefined;
  new Gauge({
    name: 'mcp_auth_signing_keys_age_seconds',
    help: "Seconds since each configured issuer's signing keys were last fetched; above the cache age they are stale.",
    labelNames: ['issuer'] as const,
    registers,
    collect() {
      this.reset();
      for (const key of signingKeys?.() ?? []) this.set({ issuer: key.issuer }, key.ageSeconds);
    },
  });
  new Gauge({
    name: 'mcp_auth_signing_keys_stale',
    help: "1 while an issuer's signing keys are older than the cache age (its JWKS could not be refetched) and tokens are verified with the last good keys; 0 when fresh.",
    labelNames: ['issuer'] as const,
    registers,
    collect() {
      this.reset();
      for (const key of signingKeys?.() ?? []) this.set({ issuer: key.issuer }, key.stale ? 1 : 0);
    },
  });

  return {
    registry,
    ...createHttpMetrics('mcp', 'on the service port', registers),
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
    dbConnectionsLost: zeroed(
      new Counter({
        name: 'mcp_db_connections_lost_total',
        help: 'Database connections that died (restart, failover, terminated backend, network): idle in the pool, or in_use inside a transaction whose request then failed.',
        labelNames: ['state'] as const,
        registers,
      }),
      'state',
      ['idle', 'in_use'],
    ),
    dbTransactionRetries: new Counter({
      name: 'mcp_db_transaction_retries_total',
      help: 'Transactions started again on a fresh connection because theirs died before any of the request’s work ran.',
      registers,
    }),
    dbTenantWaits: new Counter({
      name: 'mcp_db_tenant_waits_total',
      help: 'Waits of a tenant holding its share of database connections (DATABASE_TENANT_MAX_CONNECTIONS), by outcome: acquired, or timed_out (the call failed).',
      labelNames: ['outcome'] as const,
      registers,
    }),
    batchMessages: new Histogram({
      name: 'mcp_jsonrpc_batch_messages',
      help: 'Messages per JSON-RPC batch received on /mcp; batches over 100 are refused before the token check.',
      buckets: [2, 5, 10, 25, 50, 100],
      registers,
    }),
    batchCallsWaiting: new Gauge({
      name: 'mcp_batch_calls_waiting',
      help: 'Calls of JSON-RPC batches waiting for a slot: each batch runs at most MCP_BATCH_CONCURRENCY of its calls at once.',
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
    watchSigningKeys(source) {
      signingKeys = source;
    },
    rateLimitBreakerOpenings: new Counter({
      name: 'mcp_rate_limit_redis_breaker_openings_total',
      help: "Times the circuit to the rate limiter's Redis opened after consecutive failed or timed-out commands.",
      registers,
    }),
    watchRateLimitBreaker(circuit) {
      rateLimitBreaker = circuit;
    },
    keyVaultStaleReads: new Counter({
      name: 'mcp_key_vault_stale_reads_total',
      help: 'Secret reads served with the last good value (older than KEY_VAULT_CACHE_TTL_SECONDS, within KEY_VAULT_MAX_STALE_SECONDS) because Key Vault did not answer, by secret name.',
      labelNames: ['secret'],
      registers,
    }),
  };
}

/**
 * Exports each label value at 0 from the start. A series that first appears already at 1 is invisible to
 * `increase()` (it needs two samples), so an alert on it would miss the first event on each pod, often the only one.
 */
function zeroed<L extends string>(counter: Counter<L>, label: L, values: readonly string[]): Counter<L> {
  for (const value of values) counter.inc({ [label]: value } as Partial<Record<L, string>>, 0);
  return counter;
}
