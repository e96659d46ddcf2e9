import type pg from 'pg';
import type { MappedIdentity } from '../upstream/identity-mapping.js';

/** A signed-in account as oidc-provider's tokens need it: the identity mapped from the upstream sign-in. */
export interface StoredAccount extends MappedIdentity {
  accountId: string;
  issuer: string;
}

export interface AccountStore {
  /** Records (or refreshes) the mapped identity of a sign-in; returns the account id oidc-provider knows it by. */
  save(identity: MappedIdentity, issuer: string): Promise<StoredAccount>;
  find(accountId: string): Promise<StoredAccount | undefined>;
}

interface AccountRow {
  account_id: string;
  tenant_id: string;
  user_id: string;
  roles: string[];
  display_name: string;
  issuer: string;
}

/**
 * The account id is the user id: an Entra object id is unique across tenants, and a generic issuer's `sub` is unique
 * at that issuer (one upstream issuer at a time). Roles are those of the latest sign-in: a refresh keeps them until the
 * grant ends, the scope ceiling was applied when the grant was made.
 */
export function createAccountStore(pool: pg.Pool): AccountStore {
  return {
    async save(identity, issuer) {
      await pool.query(
        `INSERT INTO oauth_accounts (account_id, tenant_id, user_id, roles, display_name, issuer)
         VALUES ($1, $2, $3, $4::text[], $5, $6)
         ON CONFLICT (account_id) DO UPDATE
           SET tenant_id = EXCLUDED.tenant_id, user_id = EXCLUDED.user_id, roles = EXCLUDED.roles,
               display_name = EXCLUDED.display_name, issuer = EXCLUDED.issuer, signed_in_at = now()`,
        [identity.userId, identity.tenantId, identity.userId, identity.roles, identity.displayName, issuer],
      );
      return { ...identity, accountId: identity.userId, issuer };
    },
    async find(accountId) {
      const { rows } = await pool.query<AccountRow>(
        'SELECT account_id, tenant_id, user_id, roles, display_name, issuer FROM oauth_accounts WHERE account_id = $1',
        [accountId],
      );
      const row = rows[0];
      if (row === undefined) return undefined;
      return {
        accountId: row.account_id,
        tenantId: row.tenant_id,
        userId: row.user_id,
        roles: row.roles as MappedIdentity['roles'],
        displayName: row.display_name,
        issuer: row.issuer,
      };
    },
  };
}
