import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AuthUnavailableError, InvalidTokenError } from '../../src/auth/auth-errors.js';
import { DEFAULT_CLAIM_NAMES } from '../../src/auth/claim-mapping.js';
import { issuerMetadataUrls } from '../../src/auth/issuer-key-sets.js';
import { createTokenVerifier, DEFAULT_ALGORITHMS, type TokenVerifierOptions } from '../../src/auth/token-verifier.js';
import { createTestIssuer, type DiscoveryStyle, type TestIssuer } from '../helpers/test-issuer.js';

const RESOURCE = 'http://127.0.0.1:8080/mcp';
const COOLDOWN_MS = 30_000;

const issuers: TestIssuer[] = [];
async function startIssuer(discovery: DiscoveryStyle = 'both'): Promise<TestIssuer> {
  const issuer = await createTestIssuer({ audience: RESOURCE, discovery });
  issuers.push(issuer);
  return issuer;
}

function options(overrides: Partial<TokenVerifierOptions> & { issuers: string[] }): TokenVerifierOptions {
  return {
    audience: RESOURCE,
    algorithms: [...DEFAULT_ALGORITHMS],
    clockToleranceSeconds: 30,
    requiredTyp: 'at+jwt',
    claims: DEFAULT_CLAIM_NAMES,
    scopeMap: {},
    // The cache would hide key lookups; these tests are about the keys.
    cacheMaxEntries: 0,
    keySets: { cooldownMs: COOLDOWN_MS },
    ...overrides,
  };
}

/** Moves only Date forward (jose's JWKS freshness and cooldown read Date.now); sockets and timers stay real. */
function advanceClock(ms: number): void {
  vi.setSystemTime(Date.now() + ms);
}

afterEach(async () => {
  vi.useRealTimers();
  while (issuers.length > 0) await issuers.pop()?.close();
});

describe('issuer metadata discovery', () => {
  it('builds the OIDC and the RFC 8414 path-inserted metadata URLs', () => {
    expect(issuerMetadataUrls('https://login.microsoftonline.com/tid/v2.0')).toEqual([
      'https://login.microsoftonline.com/tid/v2.0/.well-known/openid-configuration',
      'https://login.microsoftonline.com/.well-known/oauth-authorization-server/tid/v2.0',
    ]);
    expect(issuerMetadataUrls('https://sts.windows.net/tid/')).toEqual([
      'https://sts.windows.net/tid/.well-known/openid-configuration',
      'https://sts.windows.net/.well-known/oauth-authorization-server/tid',
    ]);
  });

  it.each(['openid-only', 'oauth-only'] as const)('finds the JWKS from issuer metadata (%s)', async (discovery) => {
    const issuer = await startIssuer(discovery);
    const verifier = createTokenVerifier(options({ issuers: [issuer.issuer] }));
    const identity = await verifier.verify(await issuer.mintToken());
    expect(identity.subject).toBe('user-1');
    expect(issuer.fetches).toEqual({ metadata: 1, jwks: 1 });
  });

  it('uses a configured JWKS URL without fetching metadata', async () => {
    const issuer = await startIssuer();
    const verifier = createTokenVerifier(options({ issuers: [issuer.issuer], jwksUrl: issuer.jwksUrl }));
    await verifier.verify(await issuer.mintToken());
    expect(issuer.fetches).toEqual({ metadata: 0, jwks: 1 });
  });

  it('issuers that publish the same JWKS (Entra v1 and v2) share one key cache', async () => {
    const issuer = await startIssuer();
    const v1 = issuer.addIssuer('/tid/');
    const v2 = issuer.addIssuer('/tid/v2.0');
    const verifier = createTokenVerifier(options({ issuers: [v1, v2], requiredTyp: undefined }));
    await verifier.verify(await issuer.mintToken({ issuer: v1 }));
    await verifier.verify(await issuer.mintToken({ issuer: v2 }));
    expect(issuer.fetches).toEqual({ metadata: 2, jwks: 1 });
  });

  it('refuses metadata that names another issuer (mix-up defence)', async () => {
    const impostor = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ issuer: 'https://someone-else.example.com', jwks_uri: 'http://127.0.0.1:1/keys' }));
    });
    await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve));
    try {
      const issuerUrl = `http://127.0.0.1:${(impostor.address() as AddressInfo).port}`;
      const token = await (await startIssuer()).mintToken({ issuer: issuerUrl });
      const verifier = createTokenVerifier(options({ issuers: [issuerUrl] }));
      await expect(verifier.verify(token)).rejects.toThrow(/document's issuer is not/);
      await expect(verifier.ready()).resolves.toBe(false);
    } finally {
      impostor.close();
    }
  });
});

describe('JWKS caching and rotation', () => {
  it('fetches the JWKS once for many verifications of different tokens', async () => {
    const issuer = await startIssuer();
    const verifier = createTokenVerifier(options({ issuers: [issuer.issuer] }));
    const tokens = await Promise.all(
      Array.from({ length: 25 }, (_, i) => issuer.mintToken({ claims: { sub: `u${i}` } })),
    );
    for (const token of tokens) await verifier.verify(token);
    expect(issuer.fetches.jwks).toBe(1);
  });

  it('an unknown kid triggers no refetch inside the cooldown, and at most one after it', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const issuer = await startIssuer();
    const verifier = createTokenVerifier(options({ issuers: [issuer.issuer] }));
    await verifier.verify(await issuer.mintToken());
    expect(issuer.fetches.jwks).toBe(1);

    const unknownKidToken = async () => issuer.mintToken({ key: await issuer.generateKey('ES256') });
    for (let attempt = 0; attempt < 5; attempt++) {
      await expect(verifier.verify(await unknownKidToken())).rejects.toMatchObject({ reason: 'unknown_key' });
    }
    expect(issuer.fetches.jwks).toBe(1); // all within the cooldown of the first fetch

    advanceClock(COOLDOWN_MS + 1000);
    for (let attempt = 0; attempt < 5; attempt++) {
      await expect(verifier.verify(await unknownKidToken())).rejects.toMatchObject({ reason: 'unknown_key' });
    }
    expect(issuer.fetches.jwks).toBe(2); // one refetch, then the cooldown holds again
  });

  it('picks up a rotated key (new kid) once the cooldown allows a refetch, and drops removed keys when stale', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const issuer = await startIssuer();
    const verifier = createTokenVerifier(options({ issuers: [issuer.issuer] }));
    await verifier.verify(await issuer.mintToken());

    const next = await issuer.generateKey('ES256');
    issuer.publishKeys([issuer.keys.es256, next]);
    advanceClock(COOLDOWN_MS + 1000);
    const identity = await verifier.verify(await issuer.mintToken({ key: next, claims: { sub: 'after-rotation' } }));
    expect(identity.subject).toBe('after-rotation');
    expect(issuer.fetches.jwks).toBe(2);

    // The old key is withdrawn: once the cached set is older than cacheMaxAge (10 min), it is refetched before use.
    issuer.publishKeys([next]);
    advanceClock(10 * 60_000 + 1000);
    await expect(verifier.verify(await issuer.mintToken())).rejects.toMatchObject({ reason: 'unknown_key' });
    await expect(verifier.verify(await issuer.mintToken({ key: next }))).resolves.toMatchObject({ subject: 'user-1' });
  });

  it('an unreachable JWKS is "unavailable" (503), not an invalid token, and ready() reports it', async () => {
    const issuer = await startIssuer();
    issuer.setJwksStatus(500);
    const verifier = createTokenVerifier(options({ issuers: [issuer.issuer], jwksUrl: issuer.jwksUrl }));
    await expect(verifier.ready()).resolves.toBe(false);
    const failure = await verifier.verify(await issuer.mintToken()).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AuthUnavailableError);
    expect(failure).not.toBeInstanceOf(InvalidTokenError);

    issuer.setJwksStatus(200);
    await expect(verifier.ready()).resolves.toBe(true);
    await expect(verifier.verify(await issuer.mintToken())).resolves.toMatchObject({ tenantId: 'tenant-a' });
  });

  it('with two issuers, ready() holds while one is down (its tokens get 503), and fails only when both are', async () => {
    const [first, second] = [await startIssuer(), await startIssuer()];
    const verifier = createTokenVerifier(options({ issuers: [first.issuer, second.issuer] }));
    first.setJwksStatus(500);
    await expect(verifier.ready()).resolves.toBe(true);
    await expect(verifier.verify(await second.mintToken())).resolves.toMatchObject({ tenantId: 'tenant-a' });
    await expect(verifier.verify(await first.mintToken())).rejects.toBeInstanceOf(AuthUnavailableError);
    // A pod starting while both are down has no keys at all: not ready.
    second.setJwksStatus(500);
    const starting = createTokenVerifier(options({ issuers: [first.issuer, second.issuer] }));
    await expect(starting.ready()).resolves.toBe(false);
  });

  it('ready() loads the keys before any token arrives', async () => {
    const issuer = await startIssuer();
    const verifier = createTokenVerifier(options({ issuers: [issuer.issuer] }));
    expect(issuer.fetches.jwks).toBe(0);
    await expect(verifier.ready()).resolves.toBe(true);
    expect(issuer.fetches).toEqual({ metadata: 1, jwks: 1 });
    await expect(verifier.ready()).resolves.toBe(true);
    expect(issuer.fetches.jwks).toBe(1);
  });

  it('a token from an unconfigured issuer is refused without fetching anything', async () => {
    const trusted = await startIssuer();
    const other = await startIssuer();
    const verifier = createTokenVerifier(options({ issuers: [trusted.issuer] }));
    await expect(verifier.verify(await other.mintToken())).rejects.toMatchObject({ reason: 'unknown_issuer' });
    expect(trusted.fetches).toEqual({ metadata: 0, jwks: 0 });
    expect(other.fetches).toEqual({ metadata: 0, jwks: 0 });
  });
});
