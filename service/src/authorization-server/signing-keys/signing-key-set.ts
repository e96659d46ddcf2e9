import { z } from 'zod';
import { SigningKeysError } from './signing-keys-error.js';

/** The algorithms we sign access tokens with: asymmetric only, so resource servers verify with public keys. */
export const SIGNING_ALGORITHMS = ['ES256', 'PS256'] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

/** A private JWK as kept in Key Vault, with our rotation fields. */
export interface PrivateSigningJwk {
  kty: 'EC' | 'RSA';
  kid: string;
  alg: SigningAlgorithm;
  use?: 'sig';
  /** ISO 8601 instant from which the key may sign; before it the key is only announced in the JWKS. */
  use_from: string;
  /** ISO 8601 instant from which the key no longer signs; it stays published for the overlap after it. */
  retire_after?: string;
  [member: string]: unknown;
}

/** One validated key of the set. */
export interface SigningKey {
  kid: string;
  alg: SigningAlgorithm;
  useFrom: Date;
  retireAfter?: Date;
  /** The JWK's key members only (no rotation fields), private members included. */
  privateJwk: Record<string, string>;
}

const MAX_KEYS = 20;
const KID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
// 2,048-bit modulus = 256 bytes = 342 base64url characters (RFC 7518 §3.5 requires at least 2,048 bits for PS256).
const MIN_RSA_MODULUS_CHARACTERS = 342;
// RFC 3339 date-time with an explicit zone, so "2026-12-01" or a local time cannot mean different instants.
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

const member = (name: string, why = '') =>
  z
    .string({ error: `${name} must be a base64url string${why}` })
    .regex(BASE64URL, `${name} must be a base64url string${why}`)
    .max(2_048, `${name} is too long`);

// Without `d` an entry is a public key, which cannot sign; say so rather than only "d must be a string".
const PRIVATE = ': a signing key must be a private key';

const instant = (name: string) =>
  z
    .string({ error: `${name} must be an ISO 8601 instant with a time zone` })
    .regex(INSTANT, `${name} must be an ISO 8601 instant with a time zone`)
    .refine((value) => !Number.isNaN(Date.parse(value)), `${name} must be a valid instant`);

const common = {
  kid: z
    .string({ error: 'kid must be a string' })
    .regex(KID_PATTERN, 'kid must be 1-128 characters of A-Z, a-z, 0-9, "-", "_"'),
  use: z.literal('sig', { error: 'use must be "sig" when present' }).optional(),
  use_from: instant('use_from'),
  retire_after: instant('retire_after').optional(),
};

const ecKey = z.object({
  ...common,
  kty: z.literal('EC'),
  alg: z.literal('ES256', { error: 'alg must be ES256 for an EC key' }),
  crv: z.literal('P-256', { error: 'crv must be P-256 for ES256' }),
  x: member('x'),
  y: member('y'),
  d: member('d', PRIVATE),
});

const rsaKey = z.object({
  ...common,
  kty: z.literal('RSA'),
  alg: z.literal('PS256', { error: 'alg must be PS256 for an RSA key' }),
  n: member('n').min(MIN_RSA_MODULUS_CHARACTERS, 'n must be a modulus of at least 2048 bits'),
  e: member('e'),
  d: member('d', PRIVATE),
  p: member('p'),
  q: member('q'),
  dp: member('dp'),
  dq: member('dq'),
  qi: member('qi'),
});

const keyEntry = z.discriminatedUnion('kty', [ecKey, rsaKey], {
  error: 'kty must be "EC" (ES256) or "RSA" (PS256); symmetric and other key types are refused',
});

const keySet = z.object(
  {
    keys: z
      .array(keyEntry, { error: 'keys must be an array' })
      .min(1, 'keys must hold at least one key')
      .max(MAX_KEYS, `keys must hold at most ${MAX_KEYS} keys`),
  },
  { error: 'the key set must be a JSON object { "keys": [...] }' },
);

/** The members of each key type that are key material (everything else in an entry is ours). */
const KEY_MEMBERS = {
  EC: ['kty', 'crv', 'x', 'y', 'd'],
  RSA: ['kty', 'n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'],
} as const;

/** `keys[2] (kid "k1")` when the kid is readable: the kid is public (it is in every token header). */
function whereInSet(input: unknown, path: readonly PropertyKey[]): string {
  if (path[0] !== 'keys' || typeof path[1] !== 'number') return path.length > 0 ? path.join('.') : 'key set';
  const entry = (input as { keys: unknown[] }).keys[path[1]] as { kid?: unknown } | null;
  const kid = typeof entry?.kid === 'string' && KID_PATTERN.test(entry.kid) ? ` (kid "${entry.kid}")` : '';
  return `keys[${path[1]}]${kid}`;
}

/**
 * Parses the Key Vault secret holding the signing keys. Errors name where and which rule, never a value: zod's own
 * messages could quote input, so every message here is one of ours.
 */
export function parseSigningKeySet(text: string): SigningKey[] {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text around the error, which may be key material.
    throw new SigningKeysError(['the signing key set is not valid JSON']);
  }
  const result = keySet.safeParse(input);
  if (!result.success) {
    throw new SigningKeysError(
      result.error.issues.map((issue) => {
        return `${whereInSet(input, issue.path)}: ${issue.message}`;
      }),
    );
  }

  const problems: string[] = [];
  const keys = result.data.keys.map((entry, index): SigningKey => {
    const useFrom = new Date(entry.use_from);
    const retireAfter = entry.retire_after === undefined ? undefined : new Date(entry.retire_after);
    if (retireAfter !== undefined && retireAfter <= useFrom) {
      problems.push(`keys[${index}] (kid "${entry.kid}"): retire_after must be later than use_from`);
    }
    const privateJwk: Record<string, string> = {};
    for (const name of KEY_MEMBERS[entry.kty]) privateJwk[name] = (entry as Record<string, string>)[name] as string;
    return { kid: entry.kid, alg: entry.alg, useFrom, ...(retireAfter && { retireAfter }), privateJwk };
  });

  const seenKids = new Map<string, number>();
  const seenStarts = new Map<number, string>();
  keys.forEach((key, index) => {
    const first = seenKids.get(key.kid);
    if (first === undefined) seenKids.set(key.kid, index);
    else problems.push(`keys[${index}] (kid "${key.kid}"): kid is also used by keys[${first}]; kids must be unique`);
    const sameStart = seenStarts.get(key.useFrom.getTime());
    // Two keys starting together would leave "the newest key" to array order, which an operator cannot see.
    if (sameStart !== undefined && sameStart !== key.kid) {
      problems.push(`keys[${index}] (kid "${key.kid}"): use_from equals that of kid "${sameStart}"; it must differ`);
    } else seenStarts.set(key.useFrom.getTime(), key.kid);
  });

  if (problems.length > 0) throw new SigningKeysError(problems);
  return keys;
}
