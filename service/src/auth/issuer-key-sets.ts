import type { JWTVerifyGetKey } from 'jose';
import { AuthUnavailableError } from './auth-errors.js';
import { createSigningKeyCache, type SigningKeyCache, type SigningKeyLogger } from './signing-key-cache.js';

/** How signing keys are found and cached; the defaults suit production (jose's own, stated here to be visible). */
export interface IssuerKeySetsOptions {
  issuers: readonly string[];
  /** Use this JWKS for every issuer instead of discovering it (Entra v1 and v2 issuers of one tenant share keys). */
  jwksUrl?: string;
  /** After a fetch, an unknown `kid` does not trigger another fetch for this long: bounds what random kids can cost. */
  cooldownMs?: number;
  /** Keys older than this are refetched before use, so removed keys stop verifying. */
  cacheMaxAgeMs?: number;
  /**
   * While the issuer's keys cannot be fetched, the last good ones keep verifying until they are this old; then
   * tokens get 503 and readiness fails. At most cacheMaxAgeMs turns stale serving off.
   */
  maxStaleMs?: number;
  timeoutMs?: number;
  /** After a failed discovery, callers get the same failure for this long instead of hammering the issuer. */
  discoveryRetryMs?: number;
  /** Stale keys, recoveries and expiry are logged here. */
  logger?: SigningKeyLogger;
}

/** The state of one configured issuer's keys, for metrics. */
export interface IssuerKeyStatus {
  issuer: string;
  ageSeconds: number;
  stale: boolean;
}

/** Resolves the signing keys of each configured issuer. */
export interface IssuerKeySets {
  /** The key lookup for an issuer already known to be configured; discovers its JWKS URL on first use. */
  keySetFor(issuer: string): Promise<JWTVerifyGetKey>;
  /** True when every issuer's keys are loaded and usable (fresh, or stale within the limit); never throws. */
  ready(): Promise<boolean>;
  /** One entry per configured issuer whose keys have been loaded. */
  status(): IssuerKeyStatus[];
}

const DEFAULTS = {
  cooldownMs: 30_000,
  cacheMaxAgeMs: 600_000,
  maxStaleMs: 86_400_000,
  timeoutMs: 5_000,
  discoveryRetryMs: 5_000,
};
/** How often a refresh is retried while stale keys are served (or the cache age, when that is shorter). */
const STALE_RETRY_MS = 10_000;

/**
 * Where issuer metadata may live, in the order tried: OpenID Connect Discovery (appended to the issuer, which is what
 * Entra ID and most OIDC providers serve), then RFC 8414 with the well-known segment inserted before the issuer's path.
 */
export function issuerMetadataUrls(issuer: string): string[] {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/$/, '');
  return [
    `${url.origin}${path}/.well-known/openid-configuration`,
    `${url.origin}/.well-known/oauth-authorization-server${path}`,
  ];
}

function isAcceptableKeysUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
    return url.protocol === 'https:' || (url.protocol === 'http:' && loopback);
  } catch {
    return false;
  }
}

/** Reads the issuer's metadata and returns its `jwks_uri`, insisting the document is about that very issuer. */
export async function discoverJwksUrl(issuer: string, timeoutMs: number = DEFAULTS.timeoutMs): Promise<string> {
  const failures: string[] = [];
  for (const metadataUrl of issuerMetadataUrls(issuer)) {
    let response: Response;
    try {
      response = await fetch(metadataUrl, {
        headers: { accept: 'application/json' },
        redirect: 'error',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      failures.push(`${metadataUrl}: ${(error as Error).message}`);
      continue;
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      failures.push(`${metadataUrl}: HTTP ${response.status}`);
      continue;
    }
    const metadata = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    // RFC 8414 §3.3 and OIDC Discovery §4.3: metadata naming another issuer must not be used (issuer mix-up).
    if (metadata?.issuer !== issuer) {
      failures.push(`${metadataUrl}: the document's issuer is not ${issuer}`);
      continue;
    }
    if (!isAcceptableKeysUrl(metadata.jwks_uri)) {
      failures.push(`${metadataUrl}: no usable jwks_uri (https required off loopback)`);
      continue;
    }
    return metadata.jwks_uri;
  }
  throw new AuthUnavailableError(`Could not discover the signing keys of ${issuer}: ${failures.join('; ')}`);
}

export function createIssuerKeySets(options: IssuerKeySetsOptions): IssuerKeySets {
  const cacheMaxAgeMs = options.cacheMaxAgeMs ?? DEFAULTS.cacheMaxAgeMs;
  const settings = {
    cooldownMs: options.cooldownMs ?? DEFAULTS.cooldownMs,
    cacheMaxAgeMs,
    maxStaleMs: Math.max(options.maxStaleMs ?? DEFAULTS.maxStaleMs, cacheMaxAgeMs),
    timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
    retryMs: Math.min(STALE_RETRY_MS, cacheMaxAgeMs),
    discoveryRetryMs: options.discoveryRetryMs ?? DEFAULTS.discoveryRetryMs,
  };
  const cachesByUrl = new Map<string, SigningKeyCache>();
  const cacheOfIssuer = new Map<string, SigningKeyCache>();
  const discovered = new Map<string, Promise<SigningKeyCache>>();
  const lastFailure = new Map<string, { at: number; error: unknown }>();

  // One cache per URL, so issuers that share keys share one cache and one cooldown.
  const cacheAt = (jwksUrl: string): SigningKeyCache => {
    let cache = cachesByUrl.get(jwksUrl);
    if (cache === undefined) {
      cache = createSigningKeyCache({ ...settings, jwksUrl, logger: options.logger });
      cachesByUrl.set(jwksUrl, cache);
    }
    return cache;
  };

  const cacheFor = (issuer: string): Promise<SigningKeyCache> => {
    if (options.jwksUrl !== undefined) {
      const cache = cacheAt(options.jwksUrl);
      cacheOfIssuer.set(issuer, cache);
      return Promise.resolve(cache);
    }
    const pending = discovered.get(issuer);
    if (pending !== undefined) return pending;
    const failure = lastFailure.get(issuer);
    if (failure !== undefined && Date.now() - failure.at < settings.discoveryRetryMs) {
      return Promise.reject(failure.error);
    }
    const discovery = discoverJwksUrl(issuer, settings.timeoutMs).then((jwksUrl) => {
      const cache = cacheAt(jwksUrl);
      cacheOfIssuer.set(issuer, cache);
      return cache;
    });
    discovered.set(issuer, discovery);
    discovery.catch((error: unknown) => {
      discovered.delete(issuer);
      lastFailure.set(issuer, { at: Date.now(), error });
    });
    return discovery;
  };

  /**
   * Ready when at least one issuer's keys are usable: with several issuers (the authorization server and Entra), an
   * outage of one must not take every pod out of service, which would refuse the other issuer's tokens too. Tokens of
   * the issuer that is down get 503 per request meanwhile (AuthUnavailableError), and its staleness is in the metrics.
   */
  const ready = async (): Promise<boolean> => {
    const usable = await Promise.all(
      options.issuers.map(async (issuer) => {
        try {
          return await (await cacheFor(issuer)).ensureUsable();
        } catch {
          return false;
        }
      }),
    );
    return usable.some(Boolean);
  };

  const status = (): IssuerKeyStatus[] =>
    options.issuers.flatMap((issuer) => {
      const state = cacheOfIssuer.get(issuer)?.status();
      return state === undefined ? [] : [{ issuer, ageSeconds: state.ageSeconds, stale: state.stale }];
    });

  return { keySetFor: (issuer) => cacheFor(issuer).then((cache) => cache.getKey), ready, status };
}
