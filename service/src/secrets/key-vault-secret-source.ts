import type { TokenCredential } from '@azure/identity';
import type { SecretClientOptions } from '@azure/keyvault-secrets';
import { lazySecretClient } from './lazy-secret-client.js';
import type { SecretSource } from './secrets-provider.js';

export interface KeyVaultLogger {
  warn(details: Record<string, unknown>, message: string): void;
  info(details: Record<string, unknown>, message: string): void;
}

export interface KeyVaultSecretSourceOptions {
  vaultUrl: string;
  credential: TokenCredential;
  /** A value younger than this is served without asking the vault. */
  cacheTtlMs: number;
  /** While the vault cannot be reached, the last good value is served until it is this old; then reads fail. */
  maxStaleMs: number;
  logger: KeyVaultLogger;
  /** Called for every read answered with a value older than the cache TTL because the vault did not answer. */
  onStaleRead?: (name: string) => void;
  /**
   * Passed to the SDK's client. The SDK checks that the vault's authentication challenge names a Key Vault resource
   * before it sends a token; only a test double on localhost turns that off (`disableChallengeResourceVerification`).
   */
  clientOptions?: SecretClientOptions;
  now?: () => number;
}

/**
 * One quick retry, then the stale value: the SDK's default (three retries, back-off from 0.8 s) would hold every new
 * database connection for seconds during an outage that the cache is there to ride out.
 */
const RETRY_OPTIONS = { maxRetries: 1, retryDelayInMs: 200, maxRetryDelayInMs: 1_000 };

/** A vault that accepts the connection but never answers (a black-holed network) fails the read after this long. */
const REQUEST_TIMEOUT_MS = 5_000;

/**
 * After a failed fetch the stale value is served without asking the vault again for this long (at most the TTL): a
 * black-holed vault costs a request timeout, which must not be paid by every new connection of the outage.
 */
const OUTAGE_RETRY_MS = 30_000;

interface CachedSecret {
  value: string;
  fetchedAt: number;
}

/**
 * Secrets read straight from Key Vault (KEY_VAULT_URL), for a pod without the CSI mount. Values are cached for the
 * TTL; when the vault is briefly unreachable the last good value keeps being served, bounded by the maximum
 * staleness, counted on every such read and logged once per outage, so a vault blip never takes database
 * connections down with it. The SDK is imported on the first read: a server without KEY_VAULT_URL never loads it.
 */
export function keyVaultSecretSource(options: KeyVaultSecretSourceOptions): SecretSource {
  const now = options.now ?? Date.now;
  const cache = new Map<string, CachedSecret>();
  const pending = new Map<string, Promise<string | undefined>>();
  /** Secrets whose vault did not answer, with when to ask it again (the outage was logged once). */
  const outages = new Map<string, { retryAt: number }>();

  const secretClient = lazySecretClient(options.vaultUrl, options.credential, RETRY_OPTIONS, options.clientOptions);

  const fetchSecret = async (name: string): Promise<string | undefined> => {
    let value: string | undefined;
    try {
      const client = await secretClient();
      value = (await client.getSecret(name, { requestOptions: { timeout: REQUEST_TIMEOUT_MS } })).value;
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) {
        // Deleted or never created: not served from the cache, the vault said so.
        cache.delete(name);
        return undefined;
      }
      return afterFailure(name, error as Error);
    }
    if (value === undefined || value === '') {
      cache.delete(name);
      return undefined;
    }
    cache.set(name, { value, fetchedAt: now() });
    if (outages.delete(name))
      options.logger.info({ secret: name, vault: options.vaultUrl }, 'key vault reachable again');
    return value;
  };

  /** Counted on every read; the value itself never reaches a log. */
  const serveStale = (name: string, cached: CachedSecret): string => {
    options.onStaleRead?.(name);
    return cached.value;
  };

  const afterFailure = (name: string, error: Error): string => {
    const cached = cache.get(name);
    const ageMs = cached ? now() - cached.fetchedAt : undefined;
    if (!cached || ageMs === undefined || ageMs > options.maxStaleMs) {
      const why = cached
        ? `its last good value is ${Math.round((ageMs ?? 0) / 1000)} s old, beyond the maximum staleness of ${Math.round(options.maxStaleMs / 1000)} s`
        : 'no value was ever fetched';
      throw new Error(`Key Vault ${options.vaultUrl} did not answer for secret "${name}" (${error.message}); ${why}`, {
        cause: error,
      });
    }
    if (!outages.has(name)) {
      options.logger.warn(
        {
          secret: name,
          vault: options.vaultUrl,
          ageSeconds: Math.round(ageMs / 1000),
          err: { message: error.message },
        },
        'key vault unreachable; serving the last good value of the secret',
      );
    }
    outages.set(name, { retryAt: now() + Math.min(OUTAGE_RETRY_MS, options.cacheTtlMs) });
    return serveStale(name, cached);
  };

  return {
    description: `Key Vault ${options.vaultUrl}`,
    async read(name) {
      const cached = cache.get(name);
      if (cached) {
        const ageMs = now() - cached.fetchedAt;
        if (ageMs < options.cacheTtlMs) return cached.value;
        const outage = outages.get(name);
        if (outage && now() < outage.retryAt && ageMs <= options.maxStaleMs) return serveStale(name, cached);
      }
      // One request per secret in flight: a burst of new connections shares it.
      let request = pending.get(name);
      if (!request) {
        request = fetchSecret(name).finally(() => pending.delete(name));
        pending.set(name, request);
      }
      return request;
    },
  };
}
