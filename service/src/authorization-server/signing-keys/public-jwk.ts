import type { SigningKey } from './signing-key-set.js';

/** The members of a public JWK, per key type. */
const PUBLIC_MEMBERS = { EC: ['kty', 'crv', 'x', 'y'], RSA: ['kty', 'n', 'e'] } as const;

export type PublicJwk = Record<string, string>;

/**
 * The public JWK of a signing key. Built from an allow-list of public members, not by deleting private ones, so a
 * member we do not know of (an RSA `oth`, a future one) can never reach the published JWKS.
 */
export function publicJwk(key: SigningKey): PublicJwk {
  const kty = key.privateJwk.kty as keyof typeof PUBLIC_MEMBERS;
  const jwk: PublicJwk = {};
  for (const name of PUBLIC_MEMBERS[kty]) jwk[name] = key.privateJwk[name] as string; // validated present by the key set schema
  return { ...jwk, kid: key.kid, alg: key.alg, use: 'sig' };
}

/** The private JWK in the form a JOSE library takes: key members plus `kid`, `alg`, `use`; no rotation fields. */
export function privateJwk(key: SigningKey): PublicJwk {
  return { ...key.privateJwk, kid: key.kid, alg: key.alg, use: 'sig' };
}
