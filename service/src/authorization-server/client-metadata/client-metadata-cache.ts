/**
 * Documents (or recent failures) by client id, each with its own expiry, in a bounded number of entries. A `Map`
 * keeps insertion order, and reads re-insert, so the first key is the least recently used: the one evicted when a
 * flood of distinct client ids (each an attacker-chosen URL) fills the cache.
 */
export interface CacheEntry<T> {
  readonly value: T;
  readonly expiresAtMs: number;
}

export class ClientMetadataCache<T> {
  readonly #entries = new Map<string, CacheEntry<T>>();

  constructor(readonly maxEntries: number) {}

  get(key: string, nowMs: number): T | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    if (entry.expiresAtMs <= nowMs) return undefined;
    this.#entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: T, expiresAtMs: number): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, expiresAtMs });
    while (this.#entries.size > this.maxEntries) {
      this.#entries.delete(this.#entries.keys().next().value as string);
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}
