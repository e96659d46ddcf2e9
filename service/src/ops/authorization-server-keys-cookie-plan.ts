import { randomBytes } from 'node:crypto';
import { loadCookieKeys } from '../authorization-server/signing-keys/cookie-keys.js';
import { ConfigError } from '../config.js';
import { SECRET_NAMES } from '../contract.js';
import type { SecretsProvider } from '../secrets/secrets-provider.js';
import { AuthorizationServerKeysError } from './authorization-server-keys-error.js';

/** 256 bits: the HMAC keys of oidc-provider's cookies and of the consent CSRF token (via HKDF). */
const COOKIE_KEY_BYTES = 32;

export interface CookieKeysPlan {
  /** The secret's content to write; the current content when nothing changed. */
  text: string;
  /** 'created': the secret did not exist; 'unchanged': nothing to write. */
  action: 'created' | 'unchanged';
  /** How many keys the content holds (the keys themselves have no public id to log). */
  keyCount: number;
}

/**
 * The cookie keys this run should leave in Key Vault: one new random key when the secret does not exist, else the
 * current content as is (cookie keys are not rotated by the Job). Both are checked with the server's own loader.
 */
export async function planCookieKeys(current: string | undefined): Promise<CookieKeysPlan> {
  if (current === undefined) {
    const text = `${JSON.stringify({ keys: [randomBytes(COOKIE_KEY_BYTES).toString('base64url')] })}\n`;
    return { text, action: 'created', keyCount: await countLoadable(text, 'planned_keys_invalid') };
  }
  return { text: current, action: 'unchanged', keyCount: await countLoadable(current, 'stored_keys_invalid') };
}

async function countLoadable(text: string, code: 'planned_keys_invalid' | 'stored_keys_invalid'): Promise<number> {
  const asSecret: SecretsProvider = { find: async () => text, get: async () => text, sources: ['the cookie keys'] };
  try {
    return (await loadCookieKeys(asSecret)).cookies.length;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const name = SECRET_NAMES.authorizationServerCookieKeys;
    throw new AuthorizationServerKeysError(
      code,
      code === 'stored_keys_invalid'
        ? `The secret "${name}" is not valid; fix it in Key Vault (the Job does not overwrite it): ${error.problems.join('; ')}`
        : `The cookie keys this run would write are refused, so nothing was written: ${error.problems.join('; ')}`,
      { cause: error },
    );
  }
}
