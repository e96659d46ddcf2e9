import pg from 'pg';
import { WORKLOAD } from '../contract.js';
import { type DatabasePassword, resolveConnectionConfig } from './connection-config.js';
import { poolSupervision, supervisePool } from './pool-supervision.js';
import { TenantConnectionShare } from './tenant-connection-share.js';

export interface DatabasePoolOptions {
  connectionString: string;
  /** Overrides the URL's password; the service reads it from the secrets mount (or passes a token provider). */
  password?: DatabasePassword;
  /** Embedded Postgres needs 1 (see embedded-postgres.ts). Default 10. */
  maxConnections?: number;
  /** Server-side limit per statement. Default 10 s. */
  statementTimeoutMs?: number;
  /** Shown in pg_stat_activity. Default the workload name. */
  applicationName?: string;
  /** Close connections idle this long. Default 30 s. */
  idleTimeoutMs?: number;
  /** Give up waiting for a connection (new or from the pool) after this long. Default 5 s. */
  connectionTimeoutMs?: number;
  /**
   * At most this many connections per tenant at once (see TenantConnectionShare); a tenant's further transactions
   * wait up to the connection timeout. Default: half the pool, rounded up.
   */
  tenantMaxConnections?: number;
  /**
   * Called when an idle pooled connection fails (server restart, network cut). The pool has already dropped it;
   * without a listener such an error would crash the process. Default: the pool's observer (observeDatabasePool),
   * else a process warning.
   */
  onIdleClientError?: (error: Error) => void;
}

const DEFAULTS = {
  maxConnections: 10,
  statementTimeoutMs: 10_000,
  idleTimeoutMs: 30_000,
  connectionTimeoutMs: 5_000,
  // A transaction left open by a bug holds locks and a pooled connection; the server ends it after this.
  idleInTransactionTimeoutMs: 60_000,
} as const;

export function createDatabasePool(options: DatabasePoolOptions): pg.Pool {
  const maxConnections = options.maxConnections ?? DEFAULTS.maxConnections;
  const connectionTimeoutMs = options.connectionTimeoutMs ?? DEFAULTS.connectionTimeoutMs;
  const pool = new pg.Pool({
    ...resolveConnectionConfig(options.connectionString, options.password),
    application_name: options.applicationName ?? WORKLOAD.name,
    max: maxConnections,
    idleTimeoutMillis: options.idleTimeoutMs ?? DEFAULTS.idleTimeoutMs,
    connectionTimeoutMillis: connectionTimeoutMs,
    statement_timeout: options.statementTimeoutMs ?? DEFAULTS.statementTimeoutMs,
    idle_in_transaction_session_timeout: DEFAULTS.idleInTransactionTimeoutMs,
    keepAlive: true,
  });
  supervisePool(pool, {
    tenantShare: new TenantConnectionShare(options.tenantMaxConnections ?? Math.ceil(maxConnections / 2)),
    tenantWaitTimeoutMs: connectionTimeoutMs,
  });
  pool.on('error', (error: Error) => {
    if (options.onIdleClientError) return options.onIdleClientError(error);
    const observer = poolSupervision(pool).observer;
    if (observer) observer.connectionLost({ state: 'idle', error });
    else process.emitWarning(`Idle database connection failed: ${error.message}`, 'DatabasePool');
  });
  return pool;
}
