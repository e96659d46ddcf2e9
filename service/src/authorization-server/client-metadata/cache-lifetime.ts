/**
 * How long a fetched document may be reused, from its HTTP caching headers (RFC 9111 §4.2.1: `max-age` wins over
 * `Expires`), clamped to bounds (draft-ietf-oauth-client-id-metadata-document §5.2 lets the authorization server
 * cache "within the limits of its own policy"). The floor protects the client's host, and us, from a fetch per
 * `/authorize`; the ceiling bounds how long a client whose document changed (a redirect URI removed after a
 * compromise) keeps its old registration here.
 */
export interface CacheBounds {
  readonly minSeconds: number;
  readonly maxSeconds: number;
  /** When the response gives no freshness information. */
  readonly defaultSeconds: number;
}

export const DEFAULT_CACHE_BOUNDS: CacheBounds = { minSeconds: 60, maxSeconds: 24 * 60 * 60, defaultSeconds: 5 * 60 };

export interface CachingHeaders {
  readonly cacheControl: string | undefined;
  readonly expires: string | undefined;
  readonly date: string | undefined;
}

function directives(cacheControl: string): Map<string, string | undefined> {
  const map = new Map<string, string | undefined>();
  for (const part of cacheControl.split(',')) {
    const [name, value] = part.split('=', 2) as [string, string | undefined];
    const key = name.trim().toLowerCase();
    if (key !== '' && !map.has(key)) map.set(key, value?.trim().replace(/^"(.*)"$/, '$1'));
  }
  return map;
}

function clamp(seconds: number, bounds: CacheBounds): number {
  return Math.min(bounds.maxSeconds, Math.max(bounds.minSeconds, seconds));
}

/**
 * Seconds to keep a document. `no-store` and `no-cache` mean the host wants it re-fetched every time; it gets the
 * floor instead, as honouring them literally would hand every `/authorize` caller a way to make us fetch.
 */
export function cacheLifetimeSeconds(headers: CachingHeaders, nowMs: number, bounds = DEFAULT_CACHE_BOUNDS): number {
  if (headers.cacheControl !== undefined) {
    const parsed = directives(headers.cacheControl);
    if (parsed.has('no-store') || parsed.has('no-cache')) return bounds.minSeconds;
    const maxAge = parsed.get('max-age');
    if (maxAge !== undefined && /^\d+$/.test(maxAge)) return clamp(Number(maxAge), bounds);
  }
  if (headers.expires !== undefined) {
    const expiresMs = Date.parse(headers.expires);
    // An invalid Expires means "already expired" (RFC 9111 §5.3).
    if (Number.isNaN(expiresMs)) return bounds.minSeconds;
    // Measured against the response's own Date where given, so a skewed clock on either side does not matter.
    const dateMs = headers.date === undefined ? Number.NaN : Date.parse(headers.date);
    const reference = Number.isNaN(dateMs) ? nowMs : dateMs;
    return clamp(Math.floor((expiresMs - reference) / 1_000), bounds);
  }
  return clamp(bounds.defaultSeconds, bounds);
}
