import { jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidTokenError } from '../../src/auth/auth-errors.js';
import { DEFAULT_CLAIM_NAMES } from '../../src/auth/claim-mapping.js';
import {
  createTokenVerifier,
  DEFAULT_ALGORITHMS,
  type TokenVerifier,
  type TokenVerifierOptions,
} from '../../src/auth/token-verifier.js';
import { VerifiedTokenCache } from '../../src/auth/verified-token-cache.js';
import { createTestIssuer, type TestIssuer } from '../helpers/test-issuer.js';

const RESOURCE = 'http://127.0.0.1:8080/mcp';

describe('verified-token cache', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await createTestIssuer({ audience: RESOURCE });
  });
  afterAll(() => issuer.close());

  /** A verifier whose signature checks go through the real jose jwtVerify, counted. */
  function countingVerifier(overrides: Partial<TokenVerifierOptions> = {}, now?: () => number) {
    const calls = { jwtVerify: 0 };
    const countedJwtVerify = ((...args: Parameters<typeof jwtVerify>) => {
      calls.jwtVerify += 1;
      return jwtVerify(...args);
    }) as typeof jwtVerify;
    const verifier: TokenVerifier = createTokenVerifier(
      {
        issuers: [issuer.issuer],
        audience: RESOURCE,
        jwksUrl: issuer.jwksUrl,
        algorithms: [...DEFAULT_ALGORITHMS],
        clockToleranceSeconds: 0,
        requiredTyp: 'at+jwt',
        claims: DEFAULT_CLAIM_NAMES,
        scopeMap: {},
        ...overrides,
      },
      { jwtVerify: countedJwtVerify, ...(now && { now }) },
    );
    return { verifier, calls };
  }

  it('a second verification of the same token does not check the signature again', async () => {
    const { verifier, calls } = countingVerifier();
    const token = await issuer.mintToken();
    const first = await verifier.verify(token);
    const second = await verifier.verify(token);
    expect(second).toEqual(first);
    expect(calls.jwtVerify).toBe(1);
    await verifier.verify(await issuer.mintToken());
    expect(calls.jwtVerify).toBe(2);
  });

  it('a cached token is refused once it expires', async () => {
    let clock = Date.now();
    const { verifier, calls } = countingVerifier({}, () => clock);
    const exp = Math.floor(clock / 1000) + 60;
    const token = await issuer.mintToken({ claims: { exp } });
    await verifier.verify(token);
    clock = exp * 1000 - 1;
    await verifier.verify(token);
    expect(calls.jwtVerify).toBe(1);

    clock = exp * 1000 + 1;
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'invalid_token', reason: 'expired' });
    expect(calls.jwtVerify).toBe(2);
  });

  it('re-checks a long-lived token after cacheMaxTtlSeconds', async () => {
    let clock = Date.now();
    const { verifier, calls } = countingVerifier({ cacheMaxTtlSeconds: 60 }, () => clock);
    const token = await issuer.mintToken();
    await verifier.verify(token);
    clock += 61_000;
    await verifier.verify(token);
    expect(calls.jwtVerify).toBe(2);
  });

  it('is bounded: the oldest entry is evicted when full', async () => {
    const { verifier, calls } = countingVerifier({ cacheMaxEntries: 2 });
    const [a, b, c] = await Promise.all([issuer.mintToken(), issuer.mintToken(), issuer.mintToken()]);
    for (const token of [a, b, c]) await verifier.verify(token as string);
    expect(calls.jwtVerify).toBe(3);
    await verifier.verify(c as string);
    await verifier.verify(b as string);
    expect(calls.jwtVerify).toBe(3);
    await verifier.verify(a as string);
    expect(calls.jwtVerify).toBe(4);
  });

  it('never caches a refused token', async () => {
    const { verifier, calls } = countingVerifier();
    const token = await issuer.mintToken({ claims: { tenant_id: undefined } });
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(InvalidTokenError);
    expect(calls.jwtVerify).toBe(2);
  });

  it('cacheMaxEntries 0 disables the cache', async () => {
    const { verifier, calls } = countingVerifier({ cacheMaxEntries: 0 });
    const token = await issuer.mintToken();
    await verifier.verify(token);
    await verifier.verify(token);
    expect(calls.jwtVerify).toBe(2);
  });

  it('is keyed by a hash, so it holds no usable token', () => {
    const key = VerifiedTokenCache.keyOf('header.payload.signature');
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(key).not.toContain('payload');
  });

  it('hands out frozen identities, so one request cannot alter what the next sees', async () => {
    const { verifier } = countingVerifier();
    const identity = await verifier.verify(await issuer.mintToken());
    expect(Object.isFrozen(identity)).toBe(true);
    expect(() => (identity.scopes as string[]).push('mcp:admin')).toThrow(TypeError);
  });
});
