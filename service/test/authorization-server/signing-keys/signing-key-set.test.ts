/**
 * The key set as kept in Key Vault: what is accepted, each refusal, and that no refusal quotes key material.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type PrivateSigningJwk,
  parseSigningKeySet,
} from '../../../src/authorization-server/signing-keys/signing-key-set.js';
import { SigningKeysError } from '../../../src/authorization-server/signing-keys/signing-keys-error.js';
import { ConfigError } from '../../../src/config.js';
import { ecEntry, minutes, privateValues, rsaEntry, T0 } from './signing-key-fixtures.js';

let ec: PrivateSigningJwk;
let rsa: PrivateSigningJwk;
beforeAll(async () => {
  ec = await ecEntry(T0, minutes(60));
  rsa = await rsaEntry(minutes(30));
});

/** The problems of parsing `text`, asserting the error is a SigningKeysError (a ConfigError) quoting no key. */
function problemsOf(text: string): string[] {
  try {
    parseSigningKeySet(text);
  } catch (error) {
    expect(error).toBeInstanceOf(SigningKeysError);
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as SigningKeysError).message;
    for (const value of [...privateValues([ec, rsa]), ec.x as string, rsa.n as string]) {
      expect(message).not.toContain(value);
    }
    expect(message).not.toMatch(/\n\s+at /); // no stack in the message
    return (error as SigningKeysError).problems;
  }
  throw new Error('expected the key set to be refused');
}

const set = (...keys: unknown[]) => JSON.stringify({ keys });

describe('parseSigningKeySet', () => {
  it('accepts ES256 and PS256 private keys and keeps only key members in privateJwk', () => {
    const keys = parseSigningKeySet(set(ec, rsa));
    expect(keys.map((key) => [key.kid, key.alg])).toEqual([
      [ec.kid, 'ES256'],
      [rsa.kid, 'PS256'],
    ]);
    expect(keys[0]?.useFrom).toEqual(T0);
    expect(keys[0]?.retireAfter).toEqual(minutes(60));
    expect(keys[1]?.retireAfter).toBeUndefined();
    expect(Object.keys(keys[0]?.privateJwk ?? {}).sort()).toEqual(['crv', 'd', 'kty', 'x', 'y']);
    expect(Object.keys(keys[1]?.privateJwk ?? {}).sort()).toEqual(['d', 'dp', 'dq', 'e', 'kty', 'n', 'p', 'q', 'qi']);
  });

  const refusals: [string, () => string, RegExp][] = [
    ['text that is not JSON', () => `{"keys":[{"d":"${ec.d}"`, /^the signing key set is not valid JSON$/],
    ['an object without keys', () => '{}', /keys must be an array/],
    ['an empty key list', () => set(), /keys must hold at least one key/],
    [
      'a symmetric oct key',
      () => set({ kty: 'oct', k: ec.d, kid: 'sym', alg: 'HS256', use_from: ec.use_from }),
      /kty must be "EC" \(ES256\) or "RSA" \(PS256\); symmetric/,
    ],
    ['an EC key with alg ES384', () => set({ ...ec, alg: 'ES384' }), /alg must be ES256 for an EC key/],
    ['an EC key with alg none', () => set({ ...ec, alg: 'none' }), /alg must be ES256/],
    ['an RSA key with RS256', () => set({ ...rsa, alg: 'RS256' }), /alg must be PS256 for an RSA key/],
    ['an EC key on P-384', () => set({ ...ec, crv: 'P-384' }), /crv must be P-256/],
    [
      'a public EC key (no d)',
      () => set({ ...ec, d: undefined }),
      /keys\[0\] \(kid "[^"]+"\): d must be a base64url string: a signing key must be a private key/,
    ],
    [
      'a public RSA key (no d)',
      () => set({ ...rsa, d: undefined }),
      /d must be a base64url string: a signing key must be a private key/,
    ],
    ['an RSA key without CRT members', () => set({ ...rsa, qi: undefined }), /qi must be a base64url string/],
    [
      'an RSA modulus under 2048 bits',
      () => set({ ...rsa, n: (rsa.n as string).slice(0, 200) }),
      /n must be a modulus of at least 2048 bits/,
    ],
    ['a key without kid', () => set({ ...ec, kid: undefined }), /keys\[0\]: kid must be a string/],
    ['a kid with spaces', () => set({ ...ec, kid: 'my key' }), /kid must be 1-128 characters/],
    ['use "enc"', () => set({ ...ec, use: 'enc' }), /use must be "sig"/],
    ['a key without use_from', () => set({ ...ec, use_from: undefined }), /use_from must be an ISO 8601 instant/],
    [
      'use_from without a time zone',
      () => set({ ...ec, use_from: '2026-12-01T00:00:00' }),
      /use_from must be an ISO 8601 instant with a time zone/,
    ],
    [
      'a date-only retire_after',
      () => set({ ...ec, retire_after: '2026-12-01' }),
      /retire_after must be an ISO 8601 instant/,
    ],
    ['an impossible date', () => set({ ...ec, use_from: '2026-13-45T00:00:00Z' }), /use_from must be a valid instant/],
    [
      'retire_after before use_from',
      () => set({ ...ec, retire_after: ec.use_from }),
      /retire_after must be later than use_from/,
    ],
    ['a d that is not base64url', () => set({ ...ec, d: `${ec.d}!` }), /d must be a base64url string/],
  ];
  it.each(refusals)('refuses %s, without quoting key material', (_name, text, expected) => {
    const problems = problemsOf(text());
    expect(problems.join('\n')).toMatch(expected);
  });

  it('refuses duplicate kids, naming both entries', async () => {
    const other = await ecEntry(minutes(10));
    const problems = problemsOf(set(ec, { ...other, kid: ec.kid }));
    expect(problems).toEqual([`keys[1] (kid "${ec.kid}"): kid is also used by keys[0]; kids must be unique`]);
  });

  it('refuses two keys with the same use_from (which would be the newest would be ambiguous)', async () => {
    const other = await ecEntry(T0);
    expect(problemsOf(set(ec, other))).toEqual([
      `keys[1] (kid "${other.kid}"): use_from equals that of kid "${ec.kid}"; it must differ`,
    ]);
  });

  it('lists every problem of every key at once', () => {
    const problems = problemsOf(set({ ...ec, alg: 'HS256' }, { ...rsa, d: 5 }));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^keys\[0\]/);
    expect(problems[1]).toMatch(/^keys\[1\]/);
  });
});
