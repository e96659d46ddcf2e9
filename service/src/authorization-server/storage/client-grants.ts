import type pg from 'pg';

/**
 * Removes every grant, authorization code and refresh token an account gave a client (the user revoked their consent):
 * oidc-provider's records carry accountId and clientId in their payload. Access tokens are JWTs and are not stored:
 * they stop at their expiry (10 minutes). Returns how many records went.
 */
export async function revokeClientGrants(pool: pg.Pool, accountId: string, clientId: string): Promise<number> {
  const result = await pool.query(
    `DELETE FROM oauth_records
     WHERE grant_id IN (
       SELECT grant_id FROM oauth_records
       WHERE model = 'Grant' AND payload->>'accountId' = $1 AND payload->>'clientId' = $2
     )`,
    [accountId, clientId],
  );
  return result.rowCount ?? 0;
}
