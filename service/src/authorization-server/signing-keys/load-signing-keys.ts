import { importJWK } from 'jose';
import { SECRET_NAMES } from '../../contract.js';
import type { SecretsProvider } from '../../secrets/secrets-provider.js';
import { type KeySelection, type KeySelectionOptions, selectKeys } from './key-selection.js';
import { type PublicJwk, privateJwk, publicJwk } from './public-jwk.js';
import { parseSigningKeySet, type SigningKey } from './signing-key-set.js';
import { SigningKeysError } from './signing-keys-error.js';

export interface LoadedSigningKeys extends KeySelection {
  /**
   * oidc-provider's `jwks` option: the private JWKs of the active keys, the signing key first. oidc-provider signs
   * with the first key in this list that fits the algorithm asked for, so the signing key signs tokens of its alg.
   */
  providerJwks: { keys: PublicJwk[] };
  /** The public JWKS document to serve at `jwks_uri`: announced, active and recently retired keys. */
  publicJwks: { keys: PublicJwk[] };
}

/** Each key must be a usable key, not only well-shaped: a mistyped `d` would otherwise fail only when signing. */
async function assertImportable(keys: readonly SigningKey[]): Promise<void> {
  const problems: string[] = [];
  for (const [index, key] of keys.entries()) {
    try {
      await importJWK(privateJwk(key), key.alg);
    } catch {
      // jose's message may describe the key; ours says which entry only.
      problems.push(`keys[${index}] (kid "${key.kid}"): not a valid ${key.alg} private key`);
    }
  }
  if (problems.length > 0) throw new SigningKeysError(problems);
}

/** The signing keys at `now`, from their Key Vault secret through the secrets provider. Throws SigningKeysError. */
export async function loadSigningKeys(
  secrets: SecretsProvider,
  now: Date,
  options: KeySelectionOptions = {},
): Promise<LoadedSigningKeys> {
  const keys = parseSigningKeySet(await secrets.get(SECRET_NAMES.authorizationServerSigningKeys));
  await assertImportable(keys);
  return signingKeysAt(keys, now, options);
}

/** The selection and both JWKS documents for already parsed keys. */
export function signingKeysAt(
  keys: readonly SigningKey[],
  now: Date,
  options: KeySelectionOptions = {},
): LoadedSigningKeys {
  const selection = selectKeys(keys, now, options);
  return {
    ...selection,
    providerJwks: { keys: selection.active.map(privateJwk) },
    publicJwks: { keys: selection.published.map(publicJwk) },
  };
}
