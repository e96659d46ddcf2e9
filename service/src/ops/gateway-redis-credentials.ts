import type { TokenCredential } from '@azure/identity';
import { REDIS_ENTRA_SCOPE } from '../security/redis-entra-auth.js';
import type { GatewayRedisCredentialsConfig } from './gateway-redis-credentials-config.js';
import { patchSecretData, type SecretWriterOptions } from './kubernetes-secret-writer.js';
import type { OpsLogger } from './ops-log.js';

export interface GatewayRedisCredentialsDependencies {
  /** Production: the CronJob's workload identity, whose object id is the Redis username. */
  credential: TokenCredential;
  log: OpsLogger;
  /** Test seams of the Kubernetes call (API address, token, CA, timeout). */
  kubernetes?: SecretWriterOptions;
  now?: () => number;
}

/**
 * Kong OSS cannot fetch Entra tokens, and Azure Managed Redis takes nothing else (access keys off): this writes a
 * fresh token into the Secret Kong's rate-limiting plugin reads. The CronJob runs well within a token's lifetime, so
 * the Secret always holds a valid one. Returns when the token expires.
 */
export async function renewGatewayRedisCredentials(
  config: GatewayRedisCredentialsConfig,
  deps: GatewayRedisCredentialsDependencies,
): Promise<{ expiresOn: Date }> {
  const { log } = deps;
  const now = deps.now ?? Date.now;
  const token = await deps.credential.getToken(REDIS_ENTRA_SCOPE);
  // An empty password would make Kong fail every Redis call; better to keep the previous, still valid, token.
  if (!token?.token) throw new Error(`Entra returned no token for ${REDIS_ENTRA_SCOPE}`);
  const expiresOn = new Date(token.expiresOnTimestamp);
  if (token.expiresOnTimestamp <= now()) {
    throw new Error(`Entra returned a token for ${REDIS_ENTRA_SCOPE} that expired at ${expiresOn.toISOString()}`);
  }
  log.info('redis token acquired', {
    scope: REDIS_ENTRA_SCOPE,
    expiresOn: expiresOn.toISOString(),
    validForMinutes: Math.floor((token.expiresOnTimestamp - now()) / 60_000),
  });
  await patchSecretData(
    config.secret,
    { username: config.username, password: token.token },
    { baseUrl: config.apiBaseUrl, ...deps.kubernetes },
  );
  log.info('gateway redis credentials written', {
    namespace: config.secret.namespace,
    secret: config.secret.name,
    username: config.username,
    expiresOn: expiresOn.toISOString(),
  });
  return { expiresOn };
}
