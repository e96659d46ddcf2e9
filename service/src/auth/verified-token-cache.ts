import { createHash } from 'node:crypto';
import type { Identity } from './identity.js';

/**
 * Remembers tokens that passed verification, so a client's burst of calls costs one signature check (about 0.2 ms
 * for ES256, most of the auth cost per request). Keyed by a SHA-256 of the token so the cache never holds a usable
 * credential; an entry lives no longer than the token (and never longer than maxTtlSeconds, which bounds how long a
 * key withdrawn by the issuer keeps working); the oldest entries go first when full.
 */
export class VerifiedTokenCache {
  readonly #entries = new Map<string, { identity: Identity; validUntilMs: number }>();

  constructor(
    private readonly maxEntries: number,
    private readonly maxTtlSeconds: number,
  ) {}

  /** The cache key for a token: its SHA-256, so a memory dump of the cache yields no credentials. */
  static keyOf(token: string): string {
    return createHash('sha256').update(token).digest('base64url');
  }

  get(key: string, nowMs: number): Identity | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (nowMs >= entry.validUntilMs) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.identity;
  }

  set(key: string, identity: Identity, nowMs: number): void {
    if (this.maxEntries <= 0) return;
    const validUntilMs = Math.min(identity.expiresAt * 1000, nowMs + this.maxTtlSeconds * 1000);
    if (validUntilMs <= nowMs) return;
    this.#entries.delete(key);
    while (this.#entries.size >= this.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, { identity, validUntilMs });
  }

  get size(): number {
    return this.#entries.size;
  }
}
