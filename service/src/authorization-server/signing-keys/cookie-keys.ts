import { hkdfSync } from 'node:crypto';
import { z } from 'zod';
import { ConfigError } from '../../config.js';
import { SECRET_NAMES } from '../../contract.js';
import type { SecretsProvider } from '../../secrets/secrets-provider.js';

const keySchema = z.object({
  keys: z
    .array(z.string().regex(/^[A-Za-z0-9_-]{43,}$/, 'must be base64url of at least 32 random bytes'))
    .min(1)
    .max(5),
});

export interface CookieKeys {
  /** oidc-provider's cookie keys, newest first: it signs with the first, accepts all. */
  cookies: string[];
  /** The consent form's CSRF HMAC key: derived (HKDF) from the newest key, so no key serves two purposes as is. */
  consentCsrf: Uint8Array;
}

/** The `authorization-server-cookie-keys` secret: `{ "keys": ["<base64url>", ...] }`, newest first. */
export async function loadCookieKeys(secrets: SecretsProvider): Promise<CookieKeys> {
  const name = SECRET_NAMES.authorizationServerCookieKeys;
  let parsed: z.infer<typeof keySchema>;
  try {
    parsed = keySchema.parse(JSON.parse(await secrets.get(name)));
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    // The message must not quote the secret; zod's and JSON.parse's could.
    throw new ConfigError([
      `secret ${name}: must be JSON { "keys": ["<base64url of >= 32 random bytes>", ...] } with 1 to 5 keys`,
    ]);
  }
  const [newest] = parsed.keys as [string, ...string[]];
  return {
    cookies: parsed.keys,
    consentCsrf: new Uint8Array(
      hkdfSync('sha256', Buffer.from(newest, 'base64url'), new Uint8Array(), 'mcp consent csrf v1', 32),
    ),
  };
}
