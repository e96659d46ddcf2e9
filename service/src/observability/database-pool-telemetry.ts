import type { DatabasePoolObserver } from '../data/pool-supervision.js';
import type { ServiceMetrics } from './service-metrics.js';

export interface DatabasePoolLogger {
  warn(details: Record<string, unknown>, message: string): void;
  info(details: Record<string, unknown>, message: string): void;
}

type DatabasePoolMetrics = Pick<ServiceMetrics, 'dbConnectionsLost' | 'dbTransactionRetries' | 'dbTenantWaits'>;

/**
 * The database pool's faults as an operator sees them: a counter each, and a log line carrying the request's
 * correlation id (the "Reference" its caller was given). Driver messages go to the log only, never to a client.
 */
export function databasePoolTelemetry(logger: DatabasePoolLogger, metrics: DatabasePoolMetrics): DatabasePoolObserver {
  return {
    connectionLost({ state, error, correlationId }) {
      metrics.dbConnectionsLost.inc({ state });
      logger.warn({ state, correlationId, err: driverError(error) }, 'database connection lost');
    },
    transactionRetried({ error, correlationId }) {
      metrics.dbTransactionRetries.inc();
      logger.info({ correlationId, err: driverError(error) }, 'database transaction retried on a fresh connection');
    },
    tenantWaited({ outcome, waitedMs, tenantId, correlationId, limit }) {
      metrics.dbTenantWaits.inc({ outcome });
      // Waiting is what the share is for; a tenant that waits in vain is one the operator may want to look at.
      if (outcome === 'timed_out') {
        logger.warn(
          { tenantId, correlationId, limit, waitedMs: Math.round(waitedMs) },
          'tenant held its share of database connections for too long; call refused',
        );
      }
    },
  };
}

function driverError(error: Error): { message: string; code?: string } {
  const code = (error as { code?: unknown }).code;
  return { message: error.message, ...(typeof code === 'string' ? { code } : {}) };
}
