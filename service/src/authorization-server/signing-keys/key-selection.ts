import type { SigningKey } from './signing-key-set.js';
import { SigningKeysError } from './signing-keys-error.js';

/** Access tokens live 10 minutes (issue 13); a retired key must stay published at least that long. */
export const ACCESS_TOKEN_LIFETIME_SECONDS = 600;

export interface KeySelectionOptions {
  /** How long tokens we sign live. Default ACCESS_TOKEN_LIFETIME_SECONDS. */
  accessTokenLifetimeSeconds?: number;
  /** How long a key stays published after its `retire_after`. Default, and minimum, the token lifetime. */
  overlapSeconds?: number;
}

export interface KeySelection {
  /** The key that signs now: the newest key whose use_from has passed and that is not retired. */
  signing: SigningKey;
  /** Keys that may sign now (use_from passed, not retired), the signing key first, then newest first. */
  active: SigningKey[];
  /** Keys whose public parts are published: announced, active, and retired less than the overlap ago. */
  published: SigningKey[];
}

const isActive = (key: SigningKey, now: Date) =>
  key.useFrom <= now && (key.retireAfter === undefined || now < key.retireAfter);

const newestFirst = (a: SigningKey, b: SigningKey) => b.useFrom.getTime() - a.useFrom.getTime();

/**
 * Which key signs at `now` and which keys are published. A key is published before it signs (use_from in the
 * future) so verifiers' cached JWKS learn it before a token carries its kid, and after it is retired for the overlap,
 * so tokens it signed just before still verify until they expire.
 */
export function selectKeys(keys: readonly SigningKey[], now: Date, options: KeySelectionOptions = {}): KeySelection {
  const lifetime = options.accessTokenLifetimeSeconds ?? ACCESS_TOKEN_LIFETIME_SECONDS;
  const overlap = options.overlapSeconds ?? lifetime;
  if (!Number.isFinite(overlap) || overlap < lifetime) {
    throw new SigningKeysError([
      `the overlap (${overlap} s) must be at least the access token lifetime (${lifetime} s), or tokens signed just before a key retires would stop verifying`,
    ]);
  }

  const active = keys.filter((key) => isActive(key, now)).sort(newestFirst);
  const signing = active[0];
  if (signing === undefined) {
    throw new SigningKeysError([
      `no signing key is usable at ${now.toISOString()}: every key is either not yet in use (use_from) or retired (retire_after); add a key with newSigningKey`,
    ]);
  }
  // Announced keys need no clause of their own: a key not yet in use is not retired either.
  const published = keys
    .filter((key) => key.retireAfter === undefined || now.getTime() < key.retireAfter.getTime() + overlap * 1_000)
    .sort(newestFirst);
  return { signing, active, published };
}
