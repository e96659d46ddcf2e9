import { describe, expect, it } from 'vitest';
import { SIGNING_KEY_RELOAD_MS } from '../../src/authorization-server/server/signing-key-rotation.js';
import { ACCESS_TOKEN_LIFETIME_SECONDS } from '../../src/authorization-server/signing-keys/key-selection.js';
import { newSigningKey } from '../../src/authorization-server/signing-keys/new-signing-key.js';
import { AuthorizationServerKeysError } from '../../src/ops/authorization-server-keys-error.js';
import { planSigningKeys, SIGNING_KEY_POLICY } from '../../src/ops/authorization-server-keys-signing-plan.js';

const DAY = 86_400_000;
const NOW = new Date('2027-01-15T12:00:00Z');
const at = (ms: number) => new Date(NOW.getTime() + ms);

describe('the signing key policy', () => {
  it('announces new keys longer ahead than any JWKS cache, reload and CSI poll, and prunes after the token lifetime', () => {
    // OAUTH_JWKS_CACHE_MAX_AGE_SECONDS is at most 1 day (config.ts); the CSI driver polls every 2 minutes by default.
    const longestJwksCacheMs = DAY;
    expect(SIGNING_KEY_POLICY.announceLeadMs).toBeGreaterThan(longestJwksCacheMs + SIGNING_KEY_RELOAD_MS + 2 * 60_000);
    expect(SIGNING_KEY_POLICY.pruneAfterMs).toBeGreaterThanOrEqual(ACCESS_TOKEN_LIFETIME_SECONDS * 1_000);
    expect(SIGNING_KEY_POLICY.rotationPeriodMs).toBeGreaterThan(SIGNING_KEY_POLICY.announceLeadMs);
  });

  it('refuses a policy that would prune keys before the tokens they signed expire', async () => {
    const error = await planSigningKeys(undefined, NOW, {
      policy: { ...SIGNING_KEY_POLICY, pruneAfterMs: ACCESS_TOKEN_LIFETIME_SECONDS * 1_000 - 1 },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthorizationServerKeysError);
    expect((error as AuthorizationServerKeysError).code).toBe('planned_keys_invalid');
    expect((error as Error).message).toContain('access token lifetime');
  });
});

describe('planSigningKeys', () => {
  it('leaves a set alone while a successor is announced, however old the signer', async () => {
    const signer = await newSigningKey({ alg: 'ES256', useFrom: at(-90 * DAY), retireAfter: at(DAY) });
    const next = await newSigningKey({ alg: 'ES256', useFrom: at(DAY - 60_000) });
    const text = JSON.stringify({ keys: [signer, next] });
    const plan = await planSigningKeys(text, NOW);
    expect(plan).toEqual({ text, changes: [], signingKid: signer.kid, publishedKids: [next.kid, signer.kid] });
  });

  it('on rotation retires every older key left open, and leaves an operator-set retirement alone', async () => {
    const open = await newSigningKey({ alg: 'ES256', useFrom: at(-60 * DAY) });
    const scheduled = await newSigningKey({ alg: 'ES256', useFrom: at(-50 * DAY), retireAfter: at(100 * DAY) });
    const signer = await newSigningKey({ alg: 'ES256', useFrom: at(-40 * DAY) });
    const plan = await planSigningKeys(JSON.stringify({ keys: [open, scheduled, signer], note: 'kept' }), NOW);

    const retireAfter = at(SIGNING_KEY_POLICY.announceLeadMs + SIGNING_KEY_POLICY.retireMarginMs).toISOString();
    expect(plan.changes.map((change) => [change.action, change.kid])).toEqual([
      ['retirement_scheduled', open.kid],
      ['retirement_scheduled', signer.kid],
      ['announced', expect.any(String)],
    ]);
    const written = JSON.parse(plan.text) as { note: string; keys: Array<{ kid: string; retire_after?: string }> };
    expect(written.note).toBe('kept');
    expect(written.keys.map((key) => key.retire_after)).toEqual([
      retireAfter,
      scheduled.retire_after,
      retireAfter,
      undefined,
    ]);
    expect(plan.signingKid).toBe(signer.kid);
  });
});
