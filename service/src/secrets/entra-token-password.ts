import type { AccessToken, TokenCredential } from '@azure/identity';

/** The Entra scope of Azure Database for PostgreSQL: tokens for it are the database password under Entra auth. */
export const POSTGRES_ENTRA_SCOPE = 'https://ossrdbms-aad.database.windows.net/.default';

/** Fetch a new token this long before the current one expires, so no connection is opened with a dying one. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * A password provider for `pg` that hands out Entra access tokens of the pod's workload identity, cached until
 * shortly before they expire. No secret is stored anywhere: the federated credential of the service account is
 * exchanged for a token on demand.
 */
export function createEntraTokenPassword(
  credential: TokenCredential,
  scope: string = POSTGRES_ENTRA_SCOPE,
  now: () => number = Date.now,
): () => Promise<string> {
  let current: AccessToken | undefined;
  let pending: Promise<AccessToken> | undefined;
  return async () => {
    if (current && current.expiresOnTimestamp - REFRESH_MARGIN_MS > now()) return current.token;
    // One request in flight at a time: a burst of new connections shares it.
    pending ??= credential.getToken(scope).then(
      (token) => {
        pending = undefined;
        if (!token) throw new Error(`Entra returned no token for ${scope}`);
        current = token;
        return token;
      },
      (error: unknown) => {
        pending = undefined;
        throw error;
      },
    );
    return (await pending).token;
  };
}
