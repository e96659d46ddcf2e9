import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import type { PrivateSigningJwk, SigningAlgorithm } from './signing-key-set.js';
import { parseSigningKeySet } from './signing-key-set.js';

export interface NewSigningKeyOptions {
  alg: SigningAlgorithm;
  /** When the key starts signing. Put it at least one JWKS cache lifetime after the key is added to Key Vault. */
  useFrom: Date;
  retireAfter?: Date;
}

/**
 * A new entry for the signing key set, for rotation: add it to the Key Vault secret's `keys` with a future
 * `use_from`, and set `retire_after` on the key it replaces. The kid is random (not a thumbprint), so it tells
 * nothing about the key and two keys never share one.
 */
export async function newSigningKey({ alg, useFrom, retireAfter }: NewSigningKeyOptions): Promise<PrivateSigningJwk> {
  const { privateKey } = await generateKeyPair(alg, {
    extractable: true,
    ...(alg === 'PS256' && { modulusLength: 2048 }),
  });
  const jwk = await exportJWK(privateKey);
  const entry: PrivateSigningJwk = {
    ...(jwk as Record<string, string>),
    kty: jwk.kty as 'EC' | 'RSA',
    kid: randomBytes(16).toString('base64url'),
    alg,
    use: 'sig',
    use_from: useFrom.toISOString(),
    ...(retireAfter && { retire_after: retireAfter.toISOString() }),
  };
  parseSigningKeySet(JSON.stringify({ keys: [entry] })); // what we generate must be what we accept
  return entry;
}
