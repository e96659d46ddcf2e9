import type pg from 'pg';
import { DATABASE } from '../contract.js';
import { isConnectionLoss } from './connection-loss.js';
import { inputErrorFromDatabase } from './database-input-errors.js';
import { type PoolSupervision, poolSupervision } from './pool-supervision.js';
import { sqlLiteral } from './sql-literal.js';
import type { TenantShareSlot } from './tenant-connection-share.js';
import { assertValidTenantContext, type TenantContext } from './tenant-context.js';

export interface TenantTransactionOptions {
  /**
   * Not counted against the tenant's share of connections. Only for one short statement that must not wait behind
   * the tenant's own slow work: the audit record of a call that has already failed or been refused.
   */
  outsideTenantShare?: boolean;
}

/**
 * A statement sent with COMMIT in one round trip, built from `work`'s result (the audit record of what it did). It
 * is SQL text without parameters (see sqlLiteral): if it fails, COMMIT does not run and the transaction rolls back.
 */
export type FinalStatement<T> = (result: T) => string;

/**
 * Runs `work` in one transaction that carries the caller's identity, commits when it resolves and rolls back
 * when it throws. Every query of a request goes through here: row-level security sees the tenant, user and
 * roles only inside this transaction, and they vanish at COMMIT/ROLLBACK, so a pooled connection never carries
 * one request's tenant into the next.
 *
 * The role switch (set_config('role', ..., true), the function form of SET LOCAL ROLE) is what makes the same
 * code safe on every backend:
 * - production logs in as the application role or as a principal that is a member of it: switching to the
 *   role itself is a no-op, and a member gets exactly the role's privileges for the transaction;
 * - the embedded Postgres (PGlite) has a single superuser session, and superusers bypass row-level security:
 *   the switch drops those powers for the transaction so the policies apply;
 * - a login that is neither the role nor a member fails here, before any data is touched (fail closed).
 * BEGIN and all settings go in one round trip, as literals (see sqlLiteral); the final statement, if any, goes with
 * COMMIT. A call is three round trips: begin, its query, its audit record and COMMIT.
 *
 * Faults: a connection that dies (failover, restart, terminated backend) fails this transaction only, and is
 * destroyed rather than returned to the pool. If it dies before `work` has run (a pooled connection that turned
 * out to be stale), the transaction starts once more on a fresh connection: nothing of the caller's has been sent.
 * Once `work` has run it is never repeated, since a write whose COMMIT was lost may or may not have happened.
 * A tenant holds at most its share of the pool's connections (TenantConnectionShare) and waits for its own.
 */
export async function withTenantTransaction<T>(
  pool: pg.Pool,
  ctx: TenantContext,
  work: (client: pg.PoolClient) => Promise<T>,
  options: TenantTransactionOptions = {},
  finalStatement?: FinalStatement<T>,
): Promise<T> {
  assertValidTenantContext(ctx);
  const supervision = poolSupervision(pool);
  const slot = options.outsideTenantShare ? undefined : await takeTenantSlot(supervision, ctx);
  try {
    return await runTransaction(pool, ctx, work, supervision, finalStatement);
  } finally {
    slot?.release();
  }
}

async function takeTenantSlot(supervision: PoolSupervision, ctx: TenantContext): Promise<TenantShareSlot | undefined> {
  const share = supervision.tenantShare;
  if (!share) return undefined;
  const report = (outcome: 'acquired' | 'timed_out', waitedMs: number) =>
    supervision.observer?.tenantWaited({
      outcome,
      waitedMs,
      tenantId: ctx.tenantId,
      correlationId: ctx.correlationId,
      limit: share.limit,
    });
  try {
    const slot = await share.acquire(ctx.tenantId, supervision.tenantWaitTimeoutMs);
    if (slot.waitedMs > 0) report('acquired', slot.waitedMs);
    return slot;
  } catch (error) {
    report('timed_out', supervision.tenantWaitTimeoutMs);
    throw error;
  }
}

async function runTransaction<T>(
  pool: pg.Pool,
  ctx: TenantContext,
  work: (client: pg.PoolClient) => Promise<T>,
  supervision: PoolSupervision,
  finalStatement: FinalStatement<T> | undefined,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    const client = await pool.connect();
    const connection = watchConnection(client, ctx, supervision);
    let workStarted = false;
    try {
      await begin(client, ctx);
      workStarted = true;
      const result = await work(client);
      await client.query(finalStatement ? `${finalStatement(result)};\nCOMMIT` : 'COMMIT');
      connection.release();
      return result;
    } catch (error) {
      const lost = connection.lost(error);
      if (lost) {
        // The server rolls back whatever was not committed; the socket is gone, and any ROLLBACK with it.
        connection.destroy(error);
      } else {
        try {
          await client.query('ROLLBACK');
          connection.release();
        } catch (rollbackError) {
          // The connection is in an unknown state: destroy it rather than hand it to the next request.
          connection.destroy(rollbackError);
        }
      }
      if (lost && !workStarted && attempt === 1) {
        supervision.observer?.transactionRetried({ error: toError(error), correlationId: ctx.correlationId });
        continue;
      }
      throw inputErrorFromDatabase(error) ?? error;
    }
  }
}

async function begin(client: pg.PoolClient, ctx: TenantContext): Promise<void> {
  // The context was validated (assertValidTenantContext): no NUL, bounded lengths, role names of a safe alphabet.
  await client.query(
    `BEGIN;
     SELECT set_config('role', ${sqlLiteral(DATABASE.appRole)}, true),
            set_config('app.tenant_id', ${sqlLiteral(ctx.tenantId)}, true),
            set_config('app.user_id', ${sqlLiteral(ctx.userId)}, true),
            set_config('app.roles', ${sqlLiteral(ctx.roles.join(','))}, true),
            set_config('app.client_id', ${sqlLiteral(ctx.clientId)}, true),
            set_config('app.correlation_id', ${sqlLiteral(ctx.correlationId)}, true)`,
  );
}

interface WatchedConnection {
  /** Whether the connection is gone: it emitted an error while checked out, or this error says so. */
  lost(error: unknown): boolean;
  /** Back to the pool for the next transaction. */
  release(): void;
  /** Out of the pool for good: the pool opens a fresh connection when one is needed. */
  destroy(error: unknown): void;
}

/**
 * pg emits `error` on a checked-out client when its connection dies between or during queries (the pool listens
 * only while the client is idle); an unheard `error` event ends the process. This listener turns it into a failure
 * of the one transaction that holds the client.
 */
function watchConnection(client: pg.PoolClient, ctx: TenantContext, supervision: PoolSupervision): WatchedConnection {
  let lostWith: Error | undefined;
  let reported = false;
  const report = (error: Error) => {
    if (reported) return;
    reported = true;
    supervision.observer?.connectionLost({ state: 'in_use', error, correlationId: ctx.correlationId });
  };
  const onError = (error: Error) => {
    lostWith = error;
    report(error);
  };
  client.on('error', onError);
  const detach = () => client.removeListener('error', onError);
  return {
    lost(error) {
      if (lostWith === undefined && !isConnectionLoss(error)) return false;
      report(lostWith ?? toError(error));
      return true;
    },
    release() {
      detach();
      client.release();
    },
    destroy(error) {
      detach();
      client.release(toError(error));
    },
  };
}

function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
