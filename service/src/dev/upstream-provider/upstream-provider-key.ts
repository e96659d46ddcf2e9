import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JWK } from 'jose';
import { KEY_FILE, loadOrCreateDevSigningKey } from '../dev-signing-key.js';

/**
 * The provider's ES256 signing key as the private JWK oidc-provider wants in its `jwks`. Creation, the 0600 check and
 * the shape check are the dev issuer's key helper's; oidc-provider needs the private JWK itself (not a CryptoKey), so
 * the file that helper vetted is read once more.
 */
export async function loadOrCreateUpstreamProviderKey(dataDir: string): Promise<JWK> {
  const { kid, alg } = await loadOrCreateDevSigningKey(dataDir);
  const { kty, crv, x, y, d } = JSON.parse(await readFile(join(dataDir, KEY_FILE), 'utf8')) as JWK;
  return { kty, crv, x, y, d, kid, alg, use: 'sig' };
}
