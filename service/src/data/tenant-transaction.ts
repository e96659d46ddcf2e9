import type pg from 'pg';
import { DATABASE } from '../contract.js';
import { assertValidTenantContext, type TenantContext } from './tenant-context.js';

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
 * All settings go in one round trip, after BEGIN.
 */
export async function withTenantTransaction<T>(
  pool: pg.Pool,
  ctx: TenantContext,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  assertValidTenantContext(ctx);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
  } catch (error) {
    // A connection that cannot even begin is unusable: destroy it instead of returning it to the pool.
    client.release(toError(error));
    throw error;
  }
  try {
    await client.query(
      `SELECT set_config('role', $1, true),
              set_config('app.tenant_id', $2, true),
              set_config('app.user_id', $3, true),
              set_config('app.roles', $4, true),
              set_config('app.client_id', $5, true),
              set_config('app.correlation_id', $6, true)`,
      [DATABASE.appRole, ctx.tenantId, ctx.userId, ctx.roles.join(','), ctx.clientId, ctx.correlationId],
    );
    const result = await work(client);
    await client.query('COMMIT');
    client.release();
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
      client.release();
    } catch (rollbackError) {
      // The connection is in an unknown state: destroy it rather than hand it to the next request.
      client.release(toError(rollbackError));
    }
    throw error;
  }
}

function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
