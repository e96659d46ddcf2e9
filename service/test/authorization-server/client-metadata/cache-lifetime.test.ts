/** How long a document is kept, from its caching headers, within bounds; and the bounded cache that keeps it. */
import { describe, expect, it } from 'vitest';
import {
  cacheLifetimeSeconds,
  DEFAULT_CACHE_BOUNDS,
} from '../../../src/authorization-server/client-metadata/cache-lifetime.js';
import { ClientMetadataCache } from '../../../src/authorization-server/client-metadata/client-metadata-cache.js';

const NOW = Date.parse('2026-11-30T12:00:00Z');
const headers = (cacheControl?: string, expires?: string, date?: string) => ({ cacheControl, expires, date });

describe('cache lifetime', () => {
  it.each([
    ['max-age within bounds', headers('public, max-age=3600'), 3_600],
    ['max-age below the floor', headers('max-age=5'), 60],
    ['max-age above the ceiling', headers('max-age=31536000'), 86_400],
    ['max-age 0', headers('max-age=0'), 60],
    ['quoted max-age', headers('max-age="600"'), 600],
    ['upper-case directive', headers('Max-Age=600'), 600],
    ['no-store', headers('no-store, max-age=3600'), 60],
    ['no-cache', headers('no-cache'), 60],
    ['max-age wins over Expires', headers('max-age=600', 'Mon, 30 Nov 2026 13:00:00 GMT'), 600],
    ['Expires in an hour', headers(undefined, 'Mon, 30 Nov 2026 13:00:00 GMT'), 3_600],
    [
      'Expires measured against the response Date',
      headers(undefined, 'Mon, 30 Nov 2026 13:00:00 GMT', 'Mon, 30 Nov 2026 12:50:00 GMT'),
      600,
    ],
    ['Expires in the past', headers(undefined, 'Mon, 30 Nov 2026 11:00:00 GMT'), 60],
    ['invalid Expires', headers(undefined, '0'), 60],
    ['a malformed max-age falls back to the default', headers('max-age=soon'), 300],
    ['no headers', headers(), 300],
  ])('%s', (_name, given, seconds) => {
    expect(cacheLifetimeSeconds(given, NOW, DEFAULT_CACHE_BOUNDS)).toBe(seconds);
  });
});

describe('client metadata cache', () => {
  it('forgets an entry once it expires', () => {
    const cache = new ClientMetadataCache<string>(10);
    cache.set('a', 'document', 1_000);
    expect(cache.get('a', 999)).toBe('document');
    expect(cache.get('a', 1_000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('holds at most maxEntries, evicting the least recently used', () => {
    const cache = new ClientMetadataCache<string>(2);
    cache.set('a', 'A', 10_000);
    cache.set('b', 'B', 10_000);
    expect(cache.get('a', 0)).toBe('A');
    cache.set('c', 'C', 10_000);
    expect(cache.size).toBe(2);
    expect(cache.get('b', 0)).toBeUndefined();
    expect(cache.get('a', 0)).toBe('A');
    expect(cache.get('c', 0)).toBe('C');
  });
});
