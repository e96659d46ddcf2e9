import { importJWK } from 'jose';
import { ACCESS_TOKEN_LIFETIME_SECONDS } from '../authorization-server/signing-keys/key-selection.js';
import { loadSigningKeys } from '../authorization-server/signing-keys/load-signing-keys.js';
import { type NewSigningKeyOptions, newSigningKey } from '../authorization-server/signing-keys/new-signing-key.js';
import { privateJwk } from '../authorization-server/signing-keys/public-jwk.js';
import {
  type PrivateSigningJwk,
  parseSigningKeySet,
  type SigningKey,
} from '../authorization-server/signing-keys/signing-key-set.js';
import { SigningKeysError } from '../authorization-server/signing-keys/signing-keys-error.js';
import { SECRET_NAMES } from '../contract.js';
import type { SecretsProvider } from '../secrets/secrets-provider.js';
import { AuthorizationServerKeysError } from './authorization-server-keys-error.js';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** When and how the Job rotates the signing keys. */
export interface SigningKeyPolicy {
  /** A signing key older than this (since its use_from) gets a successor announced. */
  rotationPeriodMs: number;
  /**
   * How far ahead of its use_from a new key is published. It must exceed the longest time a resource server caches
   * our JWKS (OAUTH_JWKS_CACHE_MAX_AGE_SECONDS, at most 1 day) plus the authorization server's reload (1 min) and the
   * CSI driver's rotation poll (2 min), so no verifier meets a kid it has not fetched yet.
   */
  announceLeadMs: number;
  /** The previous signer retires this long after its successor's use_from: clock skew between pods, nothing more. */
  retireMarginMs: number;
  /**
   * A retired key is removed from the secret this long after its retire_after. At least the access-token lifetime,
   * or tokens it signed just before retiring would stop verifying; more, so a server configured with a longer overlap
   * (KeySelectionOptions.overlapSeconds) still finds it.
   */
  pruneAfterMs: number;
}

export const SIGNING_KEY_POLICY: SigningKeyPolicy = {
  rotationPeriodMs: 30 * DAY_MS,
  announceLeadMs: 2 * DAY_MS,
  retireMarginMs: 5 * MINUTE_MS,
  pruneAfterMs: DAY_MS,
};

/** The algorithm of the keys this Job makes: ES256 keys are small and fast to verify. */
export const NEW_KEY_ALGORITHM = 'ES256';

/** What a run changed in the signing key set, by kid only. */
export type SigningKeyChange =
  | { action: 'created'; kid: string; useFrom: string }
  | { action: 'added_usable_now'; kid: string; useFrom: string }
  | { action: 'announced'; kid: string; useFrom: string }
  | { action: 'retirement_scheduled'; kid: string; retireAfter: string }
  | { action: 'pruned'; kid: string; retireAfter: string };

export interface SigningKeysPlan {
  /** The secret's content to write; the current content when nothing changed. */
  text: string;
  /** Empty: nothing to write. */
  changes: SigningKeyChange[];
  /** The kid that signs at `now` with this content, and the kids published. */
  signingKid: string;
  publishedKids: string[];
}

export type NewKey = (options: NewSigningKeyOptions) => Promise<PrivateSigningJwk>;

export interface PlanSigningKeysOptions {
  policy?: SigningKeyPolicy;
  /** Makes a new key entry; production: newSigningKey. */
  newKey?: NewKey;
}

/**
 * The signing key set this run should leave in Key Vault, from its current content (undefined: the secret does not
 * exist). Creates a set with one key usable now; otherwise prunes keys retired longer than pruneAfterMs, adds a key
 * usable now when none is (the server cannot sign), and announces a successor to a signer older than the rotation
 * period when none is announced yet. The result is loaded exactly as the authorization server loads it, at now and
 * at every new key's use_from, before it is returned: a set the server would refuse is never written.
 */
export async function planSigningKeys(
  current: string | undefined,
  now: Date,
  options: PlanSigningKeysOptions = {},
): Promise<SigningKeysPlan> {
  const policy = options.policy ?? SIGNING_KEY_POLICY;
  const newKey = options.newKey ?? newSigningKey;
  assertPolicy(policy);

  const changes: SigningKeyChange[] = [];
  let document: Record<string, unknown>;
  let entries: PrivateSigningJwk[];
  const added: Date[] = [];
  const add = async (useFrom: Date) => {
    const entry = await newKey({ alg: NEW_KEY_ALGORITHM, useFrom });
    added.push(useFrom);
    return entry;
  };

  if (current === undefined) {
    const entry = await add(now);
    document = {};
    entries = [entry];
    changes.push({ action: 'created', kid: entry.kid, useFrom: entry.use_from });
  } else {
    let keys = await parseStored(current);
    document = JSON.parse(current) as Record<string, unknown>;
    entries = [...(document.keys as PrivateSigningJwk[])];

    // Only keys retired for longer than pruneAfterMs go: a key that may still sign is never among them.
    const prunable = new Set(
      keys
        .filter(
          (key) => key.retireAfter !== undefined && key.retireAfter.getTime() + policy.pruneAfterMs <= now.getTime(),
        )
        .map((key) => key.kid),
    );
    for (const key of keys.filter((k) => prunable.has(k.kid))) {
      changes.push({ action: 'pruned', kid: key.kid, retireAfter: (key.retireAfter as Date).toISOString() });
    }
    entries = entries.filter((entry) => !prunable.has(entry.kid));
    keys = keys.filter((key) => !prunable.has(key.kid));

    const active = keys.filter((key) => isActive(key, now)).sort((a, b) => b.useFrom.getTime() - a.useFrom.getTime());
    const signer = active[0];
    const announced = keys.some((key) => key.useFrom > now);
    if (signer === undefined) {
      // Every key is retired or not yet in use: the server cannot sign now. A key usable now restores it.
      const entry = await add(now);
      entries.push(entry);
      changes.push({ action: 'added_usable_now', kid: entry.kid, useFrom: entry.use_from });
    } else if (!announced && now.getTime() - signer.useFrom.getTime() >= policy.rotationPeriodMs) {
      const useFrom = new Date(now.getTime() + policy.announceLeadMs);
      const retireAfter = new Date(useFrom.getTime() + policy.retireMarginMs).toISOString();
      const entry = await add(useFrom);
      // Every older key without a retirement (the signer, and any an operator left open) retires after the new one
      // starts, so the set never keeps keys that sign (and stay published) forever.
      entries = entries.map((existing) => {
        if (existing.retire_after !== undefined || Date.parse(existing.use_from) >= useFrom.getTime()) return existing;
        changes.push({ action: 'retirement_scheduled', kid: existing.kid, retireAfter });
        return { ...existing, retire_after: retireAfter };
      });
      entries.push(entry);
      changes.push({ action: 'announced', kid: entry.kid, useFrom: entry.use_from });
    }
  }

  const text =
    changes.length === 0 ? (current as string) : `${JSON.stringify({ ...document, keys: entries }, null, 2)}\n`;
  const loaded = await loadAsTheServerWould(text, now);
  for (const at of added) await loadAsTheServerWould(text, at);
  return {
    text,
    changes,
    signingKid: loaded.signing.kid,
    publishedKids: loaded.published.map((key) => key.kid),
  };
}

const isActive = (key: SigningKey, now: Date) =>
  key.useFrom <= now && (key.retireAfter === undefined || now < key.retireAfter);

function assertPolicy(policy: SigningKeyPolicy): void {
  const problems: string[] = [];
  if (!(policy.pruneAfterMs >= ACCESS_TOKEN_LIFETIME_SECONDS * 1_000)) {
    problems.push(
      `pruneAfterMs (${policy.pruneAfterMs}) must be at least the access token lifetime (${ACCESS_TOKEN_LIFETIME_SECONDS} s)`,
    );
  }
  if (!(policy.retireMarginMs > 0)) problems.push('retireMarginMs must be above 0');
  if (!(policy.announceLeadMs > 0)) problems.push('announceLeadMs must be above 0');
  if (!(policy.rotationPeriodMs > policy.announceLeadMs)) problems.push('rotationPeriodMs must exceed announceLeadMs');
  if (problems.length > 0) {
    throw new AuthorizationServerKeysError(
      'planned_keys_invalid',
      `Invalid signing key policy: ${problems.join('; ')}`,
    );
  }
}

/** The stored set, refused as the server would refuse it: rewriting a set we cannot read could lose its keys. */
async function parseStored(text: string): Promise<SigningKey[]> {
  const name = SECRET_NAMES.authorizationServerSigningKeys;
  let keys: SigningKey[];
  try {
    keys = parseSigningKeySet(text);
  } catch (error) {
    if (!(error instanceof SigningKeysError)) throw error;
    throw new AuthorizationServerKeysError(
      'stored_keys_invalid',
      `The secret "${name}" is not a valid signing key set; fix it in Key Vault (the Job does not overwrite it): ` +
        error.problems.join('; '),
      { cause: error },
    );
  }
  const unusable: string[] = [];
  for (const [index, key] of keys.entries()) {
    try {
      await importJWK(privateJwk(key), key.alg);
    } catch {
      unusable.push(`keys[${index}] (kid "${key.kid}"): not a valid ${key.alg} private key`);
    }
  }
  if (unusable.length > 0) {
    throw new AuthorizationServerKeysError(
      'stored_keys_invalid',
      `The secret "${name}" holds keys that cannot be used; fix them in Key Vault: ${unusable.join('; ')}`,
    );
  }
  return keys;
}

/** Through the server's own loader (parse, import every key, select), so what passes here is what it accepts. */
async function loadAsTheServerWould(text: string, at: Date) {
  const asSecret: SecretsProvider = { find: async () => text, get: async () => text, sources: ['the planned set'] };
  try {
    return await loadSigningKeys(asSecret, at);
  } catch (error) {
    if (!(error instanceof SigningKeysError)) throw error;
    throw new AuthorizationServerKeysError(
      'planned_keys_invalid',
      `The signing key set this run would write is refused at ${at.toISOString()}, so nothing was written: ` +
        error.problems.join('; '),
      { cause: error },
    );
  }
}
