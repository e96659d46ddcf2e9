import { createRemoteJWKSet, type RemoteJWKSet } from 'jose';
import { AuthUnavailableError } from './auth-errors.js';

/** How signing keys are found and cached; the defaults suit production (jose's own, stated here to be visible). */
export interface IssuerKeySetsOptions {
  issuers: readonly string[];
  /** Use this JWKS for every issuer instead of discovering it (Entra v1 and v2 issuers of one tenant share keys). */
  jwksUrl?: string;
  /** After a fetch, an unknown `kid` does not trigger another fetch for this long: bounds what random kids can cost. */
  cooldownMs?: number;
  /** Keys older than this are refetched before use, so removed keys stop verifying. */
  cacheMaxAgeMs?: number;
  timeoutMs?: number;
  /** After a failed discovery, callers get the same failure for this long instead of hammering the issuer. */
  discoveryRetryMs?: number;
}

/** Resolves the signing keys of each configured issuer. */
export interface IssuerKeySets {
  /** The key set for an issuer already known to be configured; discovers its JWKS URL on first use. */
  keySetFor(issuer: string): Promise<RemoteJWKSet>;
  /** True when every issuer's keys are loaded and fresh (reloading stale ones); never throws. */
  ready(): Promise<boolean>;
}

const DEFAULTS = { cooldownMs: 30_000, cacheMaxAgeMs: 600_000, timeoutMs: 5_000, discoveryRetryMs: 5_000 };

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
  const settings = {
    cooldownMs: options.cooldownMs ?? DEFAULTS.cooldownMs,
    cacheMaxAgeMs: options.cacheMaxAgeMs ?? DEFAULTS.cacheMaxAgeMs,
    timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
    discoveryRetryMs: options.discoveryRetryMs ?? DEFAULTS.discoveryRetryMs,
  };
  const keySetsByUrl = new Map<string, RemoteJWKSet>();
  const discovered = new Map<string, Promise<RemoteJWKSet>>();
  const lastFailure = new Map<string, { at: number; error: unknown }>();

  // One RemoteJWKSet per URL, so issuers that share keys share one cache and one cooldown.
  const keySetAt = (jwksUrl: string): RemoteJWKSet => {
    let keySet = keySetsByUrl.get(jwksUrl);
    if (keySet === undefined) {
      keySet = createRemoteJWKSet(new URL(jwksUrl), {
        cooldownDuration: settings.cooldownMs,
        cacheMaxAge: settings.cacheMaxAgeMs,
        timeoutDuration: settings.timeoutMs,
      });
      keySetsByUrl.set(jwksUrl, keySet);
    }
    return keySet;
  };

  const keySetFor = (issuer: string): Promise<RemoteJWKSet> => {
    if (options.jwksUrl !== undefined) return Promise.resolve(keySetAt(options.jwksUrl));
    const pending = discovered.get(issuer);
    if (pending !== undefined) return pending;
    const failure = lastFailure.get(issuer);
    if (failure !== undefined && Date.now() - failure.at < settings.discoveryRetryMs) {
      return Promise.reject(failure.error);
    }
    const discovery = discoverJwksUrl(issuer, settings.timeoutMs).then(keySetAt);
    discovered.set(issuer, discovery);
    discovery.catch((error: unknown) => {
      discovered.delete(issuer);
      lastFailure.set(issuer, { at: Date.now(), error });
    });
    return discovery;
  };

  const ready = async (): Promise<boolean> => {
    try {
      const keySets = new Set(await Promise.all(options.issuers.map(keySetFor)));
      for (const keySet of keySets) {
        if (keySet.jwks() === undefined || !keySet.fresh) await keySet.reload();
      }
      return true;
    } catch {
      return false;
    }
  };

  return { keySetFor, ready };
}
