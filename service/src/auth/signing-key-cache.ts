import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  type FlattenedJWSInput,
  type JWSHeaderParameters,
  type JWTVerifyGetKey,
} from 'jose';

/** Where log lines about the keys go; pino's logger fits. */
export interface SigningKeyLogger {
  warn(details: Record<string, unknown>, message: string): void;
  info(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
}

export interface SigningKeyCacheOptions {
  jwksUrl: string;
  /** After a fetch, an unknown `kid` does not trigger another fetch for this long: bounds what random kids can cost. */
  cooldownMs: number;
  /** Keys older than this are refetched before use while the issuer answers, so removed keys stop verifying. */
  cacheMaxAgeMs: number;
  /**
   * While the JWKS endpoint cannot be reached, the last good keys keep verifying until they are this old (counted
   * from their fetch); past it, tokens are refused as unavailable (503). Equal to cacheMaxAgeMs: no stale serving.
   */
  maxStaleMs: number;
  timeoutMs: number;
  /** While serving stale keys, a refresh is tried in the background at most this often. */
  retryMs: number;
  logger?: SigningKeyLogger;
}

/** What the metrics report about one key set. */
export interface SigningKeyCacheStatus {
  /** Seconds since the keys were last fetched successfully. */
  ageSeconds: number;
  /** The keys are older than the cache age: a refresh failed and they are served stale (or past the limit). */
  stale: boolean;
  /** The keys may still verify tokens (not older than the stale limit). */
  usable: boolean;
}

export interface SigningKeyCache {
  /** jose's key lookup, for jwtVerify. */
  readonly getKey: JWTVerifyGetKey;
  /** Loads the keys if none are usable; true when tokens can be verified now. Never blocks on a stale refresh. */
  ensureUsable(): Promise<boolean>;
  /** Undefined until the first successful fetch. */
  status(): SigningKeyCacheStatus | undefined;
}

/** A stale-keys warning at most this often per key set: a probe retries every few seconds during an outage. */
const STALE_WARNING_INTERVAL_MS = 60_000;

/**
 * The signing keys behind one JWKS URL, with the outage policy jose's RemoteJWKSet lacks: once its keys pass their
 * cache age, jose refuses every token until a refetch succeeds, so an identity-provider outage of more than ten
 * minutes became a full outage of every replica. Here the last good key set keeps verifying, for a bounded time,
 * while refreshes are retried in the background. jose still does the fetching (timeouts, concurrent reloads
 * collapsed into one, a broken key set never replacing a good one).
 */
export function createSigningKeyCache(options: SigningKeyCacheOptions): SigningKeyCache {
  const remote = createRemoteJWKSet(new URL(options.jwksUrl), { timeoutDuration: options.timeoutMs });
  const log = { jwksUrl: options.jwksUrl };
  let local: ReturnType<typeof createLocalJWKSet> | undefined;
  let fetchedAt = 0;
  let lastAttemptAt = Number.NEGATIVE_INFINITY;
  let lastAttemptFailed = false;
  let pending: Promise<void> | undefined;
  let lastStaleWarningAt = Number.NEGATIVE_INFINITY;
  let expiredLogged = false;

  const ageMs = () => Date.now() - fetchedAt;
  const ageSeconds = () => Math.round(ageMs() / 100) / 10;

  const refresh = (): Promise<void> => {
    if (pending !== undefined) return pending;
    lastAttemptAt = Date.now();
    // Only a recovery is news; the routine refresh at every cache age is not logged.
    const recovering = local !== undefined && lastAttemptFailed && ageMs() > options.cacheMaxAgeMs;
    const staleForSeconds = ageSeconds();
    pending = remote
      .reload()
      .then(() => {
        const jwks = remote.jwks();
        if (jwks === undefined) throw new errors.JWKSInvalid('The JSON Web Key Set could not be read');
        local = createLocalJWKSet(jwks);
        fetchedAt = Date.now();
        lastAttemptFailed = false;
        expiredLogged = false;
        if (recovering)
          options.logger?.info({ ...log, staleForSeconds }, 'signing keys refreshed again; no longer stale');
      })
      .catch((error: unknown) => {
        lastAttemptFailed = true;
        throw error;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };

  const warnStale = (error: unknown) => {
    const now = Date.now();
    if (now - lastStaleWarningAt < STALE_WARNING_INTERVAL_MS) return;
    lastStaleWarningAt = now;
    options.logger?.warn(
      {
        ...log,
        ageSeconds: ageSeconds(),
        maxStaleSeconds: options.maxStaleMs / 1000,
        err: { message: (error as Error)?.message ?? String(error) },
      },
      'signing keys could not be refreshed; verifying with the last good keys (stale)',
    );
  };

  const logExpired = (error: unknown) => {
    if (expiredLogged) return;
    expiredLogged = true;
    options.logger?.error(
      { ...log, ageSeconds: ageSeconds(), err: { message: (error as Error)?.message ?? String(error) } },
      'signing keys older than the stale limit and the issuer is unreachable; refusing tokens (503)',
    );
  };

  /** Starts a refresh without waiting for it, at most once per retry interval. */
  const refreshInBackground = () => {
    if (pending !== undefined || Date.now() - lastAttemptAt < options.retryMs) return;
    refresh().catch(warnStale);
  };

  /** Makes sure usable keys are loaded; waits for the issuer only when no usable keys exist or they just expired. */
  const prepare = async (): Promise<void> => {
    if (local === undefined) return refresh();
    const age = ageMs();
    if (age > options.maxStaleMs) {
      // Past the limit nothing is served stale: the request waits for a refresh, as without this cache.
      return refresh().catch((error: unknown) => {
        logExpired(error);
        throw error;
      });
    }
    if (age <= options.cacheMaxAgeMs) return;
    if (lastAttemptFailed) {
      // The issuer is known to be unreachable: answer now with the last good keys; retry behind the scenes.
      refreshInBackground();
      return;
    }
    // Just expired and the issuer was fine so far: wait for the refresh (bounded by the fetch timeout), so a key
    // the issuer withdrew stops verifying; only if it fails are the old keys used.
    await refresh().catch(warnStale);
  };

  const getKey: JWTVerifyGetKey = async (header: JWSHeaderParameters, token: FlattenedJWSInput) => {
    await prepare();
    const keys = local;
    if (keys === undefined) throw new errors.JWKSNoMatchingKey();
    try {
      return await keys(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
      // An unknown kid may be a key the issuer just rotated in: refetch, at most once per cooldown (counted from
      // the last fetch and from the last attempt, so random kids cannot hammer an issuer that is down either).
      const now = Date.now();
      if (now - fetchedAt < options.cooldownMs || now - lastAttemptAt < options.cooldownMs) throw error;
      try {
        await refresh();
      } catch {
        // The issuer cannot say whether the key exists: the token stays refused for its unknown key.
        throw error;
      }
      const refreshed = local;
      if (refreshed === undefined) throw error;
      return refreshed(header, token);
    }
  };

  return {
    getKey,
    async ensureUsable() {
      if (local === undefined || ageMs() > options.maxStaleMs) {
        try {
          await refresh();
        } catch (error) {
          if (local !== undefined) logExpired(error);
          return false;
        }
        return true;
      }
      if (ageMs() > options.cacheMaxAgeMs) refreshInBackground();
      return true;
    },
    status() {
      if (local === undefined) return undefined;
      const age = ageMs();
      return { ageSeconds: age / 1000, stale: age > options.cacheMaxAgeMs, usable: age <= options.maxStaleMs };
    },
  };
}
