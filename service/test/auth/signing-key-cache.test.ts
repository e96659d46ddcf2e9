/**
 * The signing keys while the issuer's JWKS endpoint is down or hung: the last good keys keep verifying for a bounded
 * time, unknown kids stay refused, and past the stale limit tokens are unavailable (503) as before. Only Date is
 * faked (to age the keys); sockets, timers and fetch timeouts are real.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AuthUnavailableError, InvalidTokenError } from '../../src/auth/auth-errors.js';
import { DEFAULT_CLAIM_NAMES } from '../../src/auth/claim-mapping.js';
import type { IssuerKeySetsOptions } from '../../src/auth/issuer-key-sets.js';
import { createTokenVerifier, DEFAULT_ALGORITHMS, type TokenVerifier } from '../../src/auth/token-verifier.js';
import { type IssuerEndpointProxy, startIssuerEndpointProxy } from '../faults/issuer-endpoint-proxy.js';
import { createTestIssuer, type TestIssuer } from '../helpers/test-issuer.js';

const RESOURCE = 'http://127.0.0.1:8080/mcp';
const CACHE_MAX_AGE_MS = 60_000;
const MAX_STALE_MS = 600_000;

interface LogLine {
  level: 'warn' | 'info' | 'error';
  message: string;
  details: Record<string, unknown>;
}

let issuer: TestIssuer | undefined;
let proxy: IssuerEndpointProxy | undefined;

afterEach(async () => {
  vi.useRealTimers();
  await proxy?.close();
  await issuer?.close();
  proxy = undefined;
  issuer = undefined;
});

/** An issuer behind a proxy the test can take down or hang, and a verifier whose keys come through the proxy. */
async function setUp(keySets: Omit<IssuerKeySetsOptions, 'issuers' | 'jwksUrl' | 'logger'> = {}) {
  vi.useFakeTimers({ toFake: ['Date'] });
  issuer = await createTestIssuer({ audience: RESOURCE });
  proxy = await startIssuerEndpointProxy(issuer.baseUrl);
  const logs: LogLine[] = [];
  const logAt =
    (level: LogLine['level']) =>
    (details: Record<string, unknown>, message: string): void =>
      void logs.push({ level, message, details });
  const verifier = createTokenVerifier({
    issuers: [issuer.issuer],
    jwksUrl: `${proxy.baseUrl}/keys`,
    audience: RESOURCE,
    algorithms: [...DEFAULT_ALGORITHMS],
    clockToleranceSeconds: 30,
    requiredTyp: 'at+jwt',
    claims: DEFAULT_CLAIM_NAMES,
    scopeMap: {},
    // Every token is new to the verifier: these tests are about the keys, not the verified-token cache.
    cacheMaxEntries: 0,
    keySets: {
      cacheMaxAgeMs: CACHE_MAX_AGE_MS,
      maxStaleMs: MAX_STALE_MS,
      logger: { warn: logAt('warn'), info: logAt('info'), error: logAt('error') },
      ...keySets,
    },
  });
  await expect(verifier.verify(await issuer.mintToken())).resolves.toMatchObject({ subject: 'user-1' });
  return { issuer, proxy, verifier, logs };
}

function advanceClock(ms: number): void {
  vi.setSystemTime(Date.now() + ms);
}

async function verifyFreshToken(verifier: TokenVerifier, testIssuer: TestIssuer) {
  return verifier.verify(await testIssuer.mintToken());
}

describe('signing keys while the issuer is unreachable', () => {
  it('keeps verifying valid tokens with the last good keys past the cache age, and stays ready', async () => {
    const { issuer, proxy, verifier, logs } = await setUp();
    await proxy.setMode('down');
    advanceClock(CACHE_MAX_AGE_MS + 1_000);

    await expect(verifyFreshToken(verifier, issuer)).resolves.toMatchObject({ subject: 'user-1' });
    await expect(verifier.ready()).resolves.toBe(true);
    expect(verifier.signingKeyStatus()).toEqual([
      { issuer: issuer.issuer, ageSeconds: expect.any(Number), stale: true },
    ]);
    expect(verifier.signingKeyStatus()[0]?.ageSeconds).toBeGreaterThan(CACHE_MAX_AGE_MS / 1000);
    const warnings = logs.filter((line) => line.level === 'warn');
    expect(warnings.map((line) => line.message)).toEqual([
      'signing keys could not be refreshed; verifying with the last good keys (stale)',
    ]);
    expect(warnings[0]?.details).toMatchObject({ jwksUrl: `${proxy.baseUrl}/keys`, maxStaleSeconds: 600 });
  });

  it('refuses tokens as unavailable (503) and is not ready past the stale limit, then recovers with the issuer', async () => {
    const { issuer, proxy, verifier, logs } = await setUp();
    await proxy.setMode('down');
    advanceClock(MAX_STALE_MS + 1_000);

    const failure = await verifyFreshToken(verifier, issuer).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AuthUnavailableError);
    await expect(verifier.ready()).resolves.toBe(false);
    expect(logs.filter((line) => line.level === 'error').map((line) => line.message)).toEqual([
      'signing keys older than the stale limit and the issuer is unreachable; refusing tokens (503)',
    ]);

    await proxy.setMode('forward');
    await expect(verifier.ready()).resolves.toBe(true);
    await expect(verifyFreshToken(verifier, issuer)).resolves.toMatchObject({ subject: 'user-1' });
    expect(verifier.signingKeyStatus()[0]?.stale).toBe(false);
    expect(logs.filter((line) => line.level === 'info').map((line) => line.message)).toEqual([
      'signing keys refreshed again; no longer stale',
    ]);
  });

  it('with the stale limit equal to the cache age, serves nothing stale (the behaviour before)', async () => {
    const { issuer, proxy, verifier } = await setUp({ maxStaleMs: CACHE_MAX_AGE_MS });
    await proxy.setMode('down');
    advanceClock(CACHE_MAX_AGE_MS + 1_000);

    await expect(verifyFreshToken(verifier, issuer)).rejects.toBeInstanceOf(AuthUnavailableError);
    await expect(verifier.ready()).resolves.toBe(false);
  });

  it('waits for a hung JWKS endpoint once (up to the fetch timeout), then answers from stale keys without waiting', async () => {
    const { issuer, proxy, verifier } = await setUp({ timeoutMs: 500 });
    await proxy.setMode('hung');
    const loaded = proxy.requests;
    advanceClock(CACHE_MAX_AGE_MS + 1_000);

    // The keys just expired and the issuer was fine so far: the refresh is waited for, times out, stale keys answer.
    await expect(verifyFreshToken(verifier, issuer)).resolves.toMatchObject({ subject: 'user-1' });
    expect(proxy.requests).toBe(loaded + 1);
    // Now known to be unreachable: no request waits, and no refresh is retried before the retry interval.
    for (let attempt = 0; attempt < 5; attempt++) {
      await expect(verifyFreshToken(verifier, issuer)).resolves.toMatchObject({ subject: 'user-1' });
    }
    expect(proxy.requests).toBe(loaded + 1);

    // After the retry interval (10 s) one refresh starts in the background; the token is verified while it hangs.
    advanceClock(10_000);
    await expect(verifyFreshToken(verifier, issuer)).resolves.toMatchObject({ subject: 'user-1' });
    await vi.waitFor(() => expect(proxy.requests).toBe(loaded + 2));
    expect(proxy.waitingRequests).toBe(1);
  });

  it('still refuses a token with an unknown kid (401, not 503), refetching at most once per cooldown', async () => {
    const { issuer, proxy, verifier } = await setUp({ timeoutMs: 300, cooldownMs: 1_000 });
    await proxy.setMode('hung');
    const loaded = proxy.requests;
    advanceClock(2_000);

    const stranger = await issuer.generateKey('ES256');
    const unknownKid = async () => verifier.verify(await issuer.mintToken({ key: stranger }));
    const refused = await unknownKid().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(InvalidTokenError);
    expect(refused).toMatchObject({ reason: 'unknown_key' });
    expect(proxy.requests).toBe(loaded + 1); // one refetch attempt: the kid could have been rotated in

    for (let attempt = 0; attempt < 5; attempt++) {
      await expect(unknownKid()).rejects.toMatchObject({ reason: 'unknown_key' });
    }
    expect(proxy.requests).toBe(loaded + 1); // the failed attempt starts a cooldown too
    await expect(verifyFreshToken(verifier, issuer)).resolves.toMatchObject({ subject: 'user-1' });
  });
});
