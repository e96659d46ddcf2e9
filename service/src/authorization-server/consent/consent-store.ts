import type pg from 'pg';
import { withTenantTransaction } from '../../data/tenant-transaction.js';

/** The signed-in user at the authorization server, as the consent store needs them. */
export interface ConsentUser {
  tenantId: string;
  userId: string;
  correlationId: string;
}

export interface RememberedConsent {
  clientId: string;
  scopes: string[];
  grantedAt: Date;
  updatedAt: Date;
}

/**
 * Remembered consent per (tenant, user, client id). Row-level security (migration 0008) restricts every statement
 * to the current tenant and user, so a user can read and revoke only their own consents, whatever the caller passes.
 */
export interface ConsentStore {
  find(user: ConsentUser, clientId: string): Promise<RememberedConsent | undefined>;
  /** Adds `scopes` to what the user granted this client (earlier grants are kept). */
  remember(user: ConsentUser, clientId: string, scopes: readonly string[]): Promise<RememberedConsent>;
  list(user: ConsentUser): Promise<RememberedConsent[]>;
  /** Whether there was a consent to revoke. */
  revoke(user: ConsentUser, clientId: string): Promise<boolean>;
  /** How many consents were revoked. */
  revokeAll(user: ConsentUser): Promise<number>;
}

interface ConsentRow {
  client_id: string;
  scopes: string[];
  granted_at: Date;
  updated_at: Date;
}

const COLUMNS = 'client_id, scopes, granted_at, updated_at';

export function createConsentStore(pool: pg.Pool): ConsentStore {
  // The transaction's client id is the client the consent is about; roles play no part in consent policies.
  const run = <T>(user: ConsentUser, clientId: string, work: (client: pg.PoolClient) => Promise<T>) =>
    withTenantTransaction(
      pool,
      { tenantId: user.tenantId, userId: user.userId, roles: [], clientId, correlationId: user.correlationId },
      work,
    );

  return {
    find: (user, clientId) =>
      run(user, clientId, async (client) => {
        const result = await client.query<ConsentRow>(`SELECT ${COLUMNS} FROM consents WHERE client_id = $1`, [
          clientId,
        ]);
        return result.rows[0] && toConsent(result.rows[0]);
      }),
    remember: (user, clientId, scopes) =>
      run(user, clientId, async (client) => {
        const result = await client.query<ConsentRow>(
          `INSERT INTO consents (tenant_id, user_id, client_id, scopes)
           VALUES (tenancy.current_tenant_id(), tenancy.current_user_id(), $1, $2::text[])
           ON CONFLICT (tenant_id, user_id, client_id) DO UPDATE
             SET scopes = ARRAY(SELECT DISTINCT s FROM unnest(consents.scopes || EXCLUDED.scopes) AS s ORDER BY s),
                 updated_at = now()
           RETURNING ${COLUMNS}`,
          [clientId, [...new Set(scopes)].sort()],
        );
        return toConsent(result.rows[0] as ConsentRow);
      }),
    list: (user) =>
      run(user, '', async (client) => {
        const result = await client.query<ConsentRow>(`SELECT ${COLUMNS} FROM consents ORDER BY client_id`);
        return result.rows.map(toConsent);
      }),
    revoke: (user, clientId) =>
      run(user, clientId, async (client) => {
        const result = await client.query('DELETE FROM consents WHERE client_id = $1', [clientId]);
        return (result.rowCount ?? 0) > 0;
      }),
    revokeAll: (user) =>
      run(user, '', async (client) => {
        const result = await client.query('DELETE FROM consents');
        return result.rowCount ?? 0;
      }),
  };
}

function toConsent(row: ConsentRow): RememberedConsent {
  return { clientId: row.client_id, scopes: row.scopes, grantedAt: row.granted_at, updatedAt: row.updated_at };
}
