import type pg from 'pg';
import type { TenantConnectionShare } from './tenant-connection-share.js';

/**
 * What the data layer reports about its connections, for logs and metrics. The pool exists before the service's
 * logger and metrics do, so the observer is attached later (observeDatabasePool); events before that fall back to a
 * process warning.
 */
export interface DatabasePoolObserver {
  /** A connection died: `idle` in the pool, or `in_use` inside a transaction (that request fails). */
  connectionLost(event: { state: 'idle' | 'in_use'; error: Error; correlationId?: string }): void;
  /** A transaction lost its connection before the caller's work ran, and was started again on a fresh one. */
  transactionRetried(event: { error: Error; correlationId: string }): void;
  /** A tenant at its share of connections waited for one of its own to come free: it got one, or gave up. */
  tenantWaited(event: {
    outcome: 'acquired' | 'timed_out';
    waitedMs: number;
    tenantId: string;
    correlationId: string;
    limit: number;
  }): void;
}

/** Per pool: the tenant share (absent: no cap) and how long a caller waits, for pools built by createDatabasePool. */
export interface PoolSupervision {
  tenantShare?: TenantConnectionShare;
  /** A tenant waits for its share at most this long: the pool's own connection timeout. */
  tenantWaitTimeoutMs: number;
  observer?: DatabasePoolObserver;
}

// Kept beside the pool rather than on it: pg.Pool is the driver's type, and every caller already holds the pool.
const supervisions = new WeakMap<pg.Pool, PoolSupervision>();

const UNSUPERVISED: PoolSupervision = { tenantWaitTimeoutMs: 0 };

export function supervisePool(pool: pg.Pool, supervision: PoolSupervision): void {
  supervisions.set(pool, supervision);
}

/** The pool's supervision; a pool built elsewhere (a test's own) has no tenant share and no observer. */
export function poolSupervision(pool: pg.Pool): PoolSupervision {
  return supervisions.get(pool) ?? UNSUPERVISED;
}

/** Sends the pool's connection events to the service's logs and metrics from now on. */
export function observeDatabasePool(pool: pg.Pool, observer: DatabasePoolObserver): void {
  const supervision = supervisions.get(pool);
  if (supervision) supervision.observer = observer;
  else supervisions.set(pool, { tenantWaitTimeoutMs: 0, observer });
}
