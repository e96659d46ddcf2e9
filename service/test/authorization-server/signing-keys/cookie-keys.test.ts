import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadCookieKeys } from '../../../src/authorization-server/signing-keys/cookie-keys.js';
import { ConfigError } from '../../../src/config.js';
import { SECRET_NAMES } from '../../../src/contract.js';
import { MissingSecretError } from '../../../src/secrets/secrets-provider.js';
import { secretsWith } from './signing-key-fixtures.js';

const key = () => randomBytes(32).toString('base64url');
const withKeys = (value: string) => secretsWith({ [SECRET_NAMES.authorizationServerCookieKeys]: value });

describe('the cookie keys secret', () => {
  it('gives oidc-provider every key, newest first, and the CSRF key derived from the newest, not equal to it', async () => {
    const [newest, older] = [key(), key()];
    const loaded = await loadCookieKeys(withKeys(JSON.stringify({ keys: [newest, older] })));
    expect(loaded.cookies).toEqual([newest, older]);
    expect(loaded.consentCsrf).toHaveLength(32);
    expect(Buffer.from(loaded.consentCsrf).equals(Buffer.from(newest as string, 'base64url'))).toBe(false);
    // Stable: the same secret derives the same key (tokens issued by one pod verify on another).
    const again = await loadCookieKeys(withKeys(JSON.stringify({ keys: [newest, older] })));
    expect(Buffer.from(again.consentCsrf).equals(Buffer.from(loaded.consentCsrf))).toBe(true);
    // An older key alone derives another one.
    const other = await loadCookieKeys(withKeys(JSON.stringify({ keys: [older] })));
    expect(Buffer.from(other.consentCsrf).equals(Buffer.from(loaded.consentCsrf))).toBe(false);
  });

  const sixKeys = Array.from({ length: 6 }, key);
  it.each([
    ['not JSON', 'secret-value-not-json', ['secret-value-not-json']],
    ['no keys', JSON.stringify({ keys: [] }), []],
    [
      'a short key (under 32 bytes)',
      JSON.stringify({ keys: ['c2hvcnQta2V5LXZhbHVlLTEyMzQ'] }),
      ['c2hvcnQta2V5LXZhbHVlLTEyMzQ'],
    ],
    ['not base64url', JSON.stringify({ keys: [`${'a'.repeat(42)}+/`] }), [`${'a'.repeat(42)}+/`]],
    ['six keys', JSON.stringify({ keys: sixKeys }), sixKeys],
  ])('refuses %s, without quoting the secret', async (_name, value, material) => {
    const error = await loadCookieKeys(withKeys(value)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain(SECRET_NAMES.authorizationServerCookieKeys);
    for (const secret of material) expect(message).not.toContain(secret);
  });

  it('names the secret when it is missing', async () => {
    await expect(loadCookieKeys(secretsWith({}))).rejects.toThrow(MissingSecretError);
  });
});
