import { type CacheBounds, cacheLifetimeSeconds, DEFAULT_CACHE_BOUNDS } from './cache-lifetime.js';
import { parseClientIdUrl } from './client-id-url.js';
import { ClientMetadataCache } from './client-metadata-cache.js';
import { type ClientMetadataDocument, parseClientMetadataDocument } from './client-metadata-document.js';
import { ClientMetadataError } from './client-metadata-error.js';
import { assertRedirectUriRegistered } from './redirect-uri.js';
import { fetchClientMetadataDocument, type SafeFetchOptions } from './safe-fetch.js';

export interface ClientMetadataResolverOptions extends SafeFetchOptions {
  readonly cacheBounds?: CacheBounds;
  /** A failed fetch is remembered this long, so one bad client id cannot make us fetch on every request. */
  readonly failureCacheSeconds?: number;
  readonly maxCacheEntries?: number;
  /** Milliseconds since the epoch; injected in tests. */
  readonly now?: () => number;
}

export interface ClientMetadataResolver {
  /** The validated document for a client id URL, fetched or cached; throws `ClientMetadataError`. */
  resolve(clientId: string): Promise<ClientMetadataDocument>;
  /** `resolve`, then the requested redirect_uri must be registered in the document (see redirect-uri.ts). */
  resolveForAuthorization(clientId: string, redirectUri: string): Promise<ClientMetadataDocument>;
}

type Outcome =
  | { readonly ok: true; readonly document: ClientMetadataDocument }
  | { readonly ok: false; readonly error: ClientMetadataError };

/**
 * Resolves client id metadata documents: checks the client id URL, fetches it safely, validates the document and
 * caches the outcome per the response's caching headers within bounds. Concurrent requests for one client id share
 * one fetch, so a burst of `/authorize` calls costs the client's host one request. Failures are cached briefly.
 */
export function createClientMetadataResolver(options: ClientMetadataResolverOptions): ClientMetadataResolver {
  const now = options.now ?? Date.now;
  const bounds = options.cacheBounds ?? DEFAULT_CACHE_BOUNDS;
  const failureCacheMs = (options.failureCacheSeconds ?? 10) * 1_000;
  const cache = new ClientMetadataCache<Outcome>(options.maxCacheEntries ?? 1_000);
  const inFlight = new Map<string, Promise<Outcome>>();

  async function fetchAndValidate(url: URL, clientId: string): Promise<Outcome> {
    try {
      const fetched = await fetchClientMetadataDocument(url, options);
      const document = parseClientMetadataDocument(fetched.body, clientId);
      const lifetimeMs = cacheLifetimeSeconds(fetched, now(), bounds) * 1_000;
      const outcome: Outcome = { ok: true, document };
      cache.set(clientId, outcome, now() + lifetimeMs);
      return outcome;
    } catch (error) {
      if (!(error instanceof ClientMetadataError)) throw error;
      const outcome: Outcome = { ok: false, error };
      cache.set(clientId, outcome, now() + failureCacheMs);
      return outcome;
    }
  }

  async function resolve(clientId: string): Promise<ClientMetadataDocument> {
    // Checked before the cache: an unacceptable URL costs nothing and must not take a cache slot.
    const url = parseClientIdUrl(clientId, options.mode);
    let outcome = cache.get(clientId, now());
    if (outcome === undefined) {
      let pending = inFlight.get(clientId);
      if (pending === undefined) {
        pending = fetchAndValidate(url, clientId).finally(() => inFlight.delete(clientId));
        inFlight.set(clientId, pending);
      }
      outcome = await pending;
    }
    if (!outcome.ok) throw outcome.error;
    return outcome.document;
  }

  return {
    resolve,
    async resolveForAuthorization(clientId, redirectUri) {
      const document = await resolve(clientId);
      assertRedirectUriRegistered(redirectUri, document.redirect_uris);
      return document;
    },
  };
}
