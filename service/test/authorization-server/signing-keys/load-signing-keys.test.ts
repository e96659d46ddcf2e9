/**
 * Loading through the secrets provider, and the documents the keys produce: a token the signing key signs verifies
 * against the published JWKS (also a token signed just before rotation, for the overlap); the public JWKS holds no
 * private member; oidc-provider accepts its `jwks`; generated entries are accepted.
 */
import { createLocalJWKSet, importJWK, jwtVerify, SignJWT } from 'jose';
import Provider from 'oidc-provider';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSigningKeys } from '../../../src/authorization-server/signing-keys/load-signing-keys.js';
import { newSigningKey } from '../../../src/authorization-server/signing-keys/new-signing-key.js';
import { privateJwk } from '../../../src/authorization-server/signing-keys/public-jwk.js';
import type { PrivateSigningJwk } from '../../../src/authorization-server/signing-keys/signing-key-set.js';
import { SigningKeysError } from '../../../src/authorization-server/signing-keys/signing-keys-error.js';
import { SECRET_NAMES } from '../../../src/contract.js';
import { MissingSecretError } from '../../../src/secrets/secrets-provider.js';
import { ecEntry, minutes, PRIVATE_MEMBERS, privateValues, rsaEntry, secretsWith } from './signing-key-fixtures.js';

const ISSUER = 'https://auth.example.test';
let entries: PrivateSigningJwk[];
let secrets: ReturnType<typeof secretsWith>;
beforeAll(async () => {
  // K1 (ES256) signs from 0 and retires at 70; K2 (PS256) is announced, signs from 60.
  entries = [await ecEntry(minutes(0), minutes(70)), await rsaEntry(minutes(60))];
  secrets = secretsWith({ [SECRET_NAMES.authorizationServerSigningKeys]: JSON.stringify({ keys: entries }) });
});

async function sign(key: Record<string, string>, alg: string, issuedAt: Date): Promise<string> {
  return new SignJWT({ sub: 'alice', scope: 'mcp:read' })
    .setProtectedHeader({ alg, kid: key.kid, typ: 'at+jwt' })
    .setIssuer(ISSUER)
    .setIssuedAt(Math.floor(issuedAt.getTime() / 1000))
    .setExpirationTime(Math.floor(issuedAt.getTime() / 1000) + 600)
    .sign(await importJWK(key, alg));
}

const verifyAt = async (token: string, jwks: { keys: Record<string, string>[] }, now: Date) =>
  jwtVerify(token, createLocalJWKSet(jwks), { issuer: ISSUER, typ: 'at+jwt', currentDate: now });

describe('loadSigningKeys', () => {
  it('reads the key set from its secret and selects the signing key at the given time', async () => {
    expect((await loadSigningKeys(secrets, minutes(30))).signing.kid).toBe(entries[0]?.kid);
    expect((await loadSigningKeys(secrets, minutes(60))).signing.kid).toBe(entries[1]?.kid);
  });

  it('a missing secret is a MissingSecretError naming it', async () => {
    await expect(loadSigningKeys(secretsWith({}), minutes(0))).rejects.toThrow(MissingSecretError);
    await expect(loadSigningKeys(secretsWith({}), minutes(0))).rejects.toThrow(/authorization-server-signing-keys/);
  });

  it('refuses a well-shaped entry that is not a valid key, without quoting it', async () => {
    const [a, b] = [entries[0] as PrivateSigningJwk, await ecEntry(minutes(5))];
    const broken = { ...a, y: b.y }; // x of one key, y of another: not a point on the curve
    const bad = secretsWith({ [SECRET_NAMES.authorizationServerSigningKeys]: JSON.stringify({ keys: [broken] }) });
    const error = await loadSigningKeys(bad, minutes(1)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SigningKeysError);
    expect((error as Error).message).toContain(`keys[0] (kid "${a.kid}"): not a valid ES256 private key`);
    for (const value of [a.d, a.x, b.y] as string[]) expect((error as Error).message).not.toContain(value);
  });

  it('a token signed with the selected key verifies against the published JWKS', async () => {
    for (const minute of [30, 65]) {
      const now = minutes(minute);
      const loaded = await loadSigningKeys(secrets, now);
      const token = await sign(privateJwk(loaded.signing), loaded.signing.alg, now);
      const { payload, protectedHeader } = await verifyAt(token, loaded.publicJwks, now);
      expect(payload.sub).toBe('alice');
      expect(protectedHeader.kid).toBe(loaded.signing.kid);
    }
  });

  it('a token the old key signed just before its retirement verifies until the overlap ends, then not', async () => {
    const signedAt = minutes(69.9);
    const before = await loadSigningKeys(secrets, signedAt);
    const old = before.active.find((key) => key.kid === entries[0]?.kid);
    if (old === undefined) throw new Error('the old key should still be active');
    const token = await sign(privateJwk(old), old.alg, signedAt);

    const nearEnd = minutes(79.8); // the token is still within its 10 minutes
    await expect(verifyAt(token, (await loadSigningKeys(secrets, nearEnd)).publicJwks, nearEnd)).resolves.toBeDefined();
    const after = minutes(80);
    await expect(verifyAt(token, (await loadSigningKeys(secrets, after)).publicJwks, minutes(79.8))).rejects.toThrow(
      /no applicable key found/,
    );
  });

  it('the public JWKS holds only public members, never a private one', async () => {
    const loaded = await loadSigningKeys(secrets, minutes(65));
    expect(loaded.publicJwks.keys).toHaveLength(2);
    for (const key of loaded.publicJwks.keys) {
      for (const name of PRIVATE_MEMBERS) expect(key).not.toHaveProperty(name);
      expect(Object.keys(key).sort()).toEqual(
        key.kty === 'EC' ? ['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y'] : ['alg', 'e', 'kid', 'kty', 'n', 'use'],
      );
    }
    const text = JSON.stringify(loaded.publicJwks);
    for (const value of privateValues(entries)) expect(text).not.toContain(value);
    expect(text).not.toContain('use_from'); // rotation fields are ours, not published
  });

  it('gives oidc-provider the active private keys, the signing key first, and oidc-provider accepts them', async () => {
    const loaded = await loadSigningKeys(secrets, minutes(65));
    expect(loaded.providerJwks.keys.map((key) => key.kid)).toEqual([entries[1]?.kid, entries[0]?.kid]);
    expect(loaded.providerJwks.keys.every((key) => typeof key.d === 'string')).toBe(true);
    expect(loaded.providerJwks.keys[0]).not.toHaveProperty('use_from');
    expect(() => new Provider(ISSUER, { jwks: loaded.providerJwks })).not.toThrow();
  });

  it('never gives oidc-provider an announced or a retired key, which it could sign with', async () => {
    const kids = async (minute: number) =>
      (await loadSigningKeys(secrets, minutes(minute))).providerJwks.keys.map((key) => key.kid);
    expect(await kids(30)).toEqual([entries[0]?.kid]); // K2 is announced only
    expect(await kids(75)).toEqual([entries[1]?.kid]); // K1 is retired, published but not signing
  });
});

describe('newSigningKey', () => {
  it('makes an entry the key set accepts, with a random kid and the given dates', async () => {
    const a = await newSigningKey({ alg: 'ES256', useFrom: minutes(100), retireAfter: minutes(200) });
    const b = await newSigningKey({ alg: 'ES256', useFrom: minutes(100) });
    expect(a.kid).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(a.kid).not.toBe(b.kid);
    expect(a).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(a.use_from).toBe('2026-12-01T01:40:00.000Z');
    expect(a.retire_after).toBe('2026-12-01T03:20:00.000Z');
    expect(b).not.toHaveProperty('retire_after');
    expect(typeof a.d).toBe('string');
    const rsa = await rsaEntry(minutes(0));
    expect(rsa).toMatchObject({ kty: 'RSA', alg: 'PS256' });
    expect(Buffer.from(rsa.n as string, 'base64url').length * 8).toBe(2048);
  });
});
