import { describe, expect, it } from 'vitest';
import { AUTHORIZATION_EVENTS } from '../../../src/authorization-server/audit/authorization-audit.js';
import { redeemCode, refresh, useAuthorizationServerFixture } from '../server/authorization-server-fixture.js';
import { auditRows, codeFor, publishClient, storedIdHash, waitForAuditRow } from './attack-helpers.js';

/** Nothing issued: an OAuth error and no token of any kind in the body. */
function expectNoTokens(result: { status: number; body: Record<string, unknown> }, error = 'invalid_grant') {
  expect(result).toMatchObject({ status: 400, body: { error } });
  expect(result.body).not.toHaveProperty('access_token');
  expect(result.body).not.toHaveProperty('refresh_token');
}

describe('attacks on authorization codes', () => {
  const fixture = useAuthorizationServerFixture();

  it('a replayed code fails, revokes the grant of its first redemption, and is audited in the tenant', async () => {
    const { code, pkce } = await codeFor(fixture, 'alice');
    const first = await redeemCode(fixture, { code, verifier: pkce.verifier });
    expect(first.status).toBe(200);
    const replay = await redeemCode(fixture, { code, verifier: pkce.verifier });
    expectNoTokens(replay);
    // RFC 6749 §4.1.2 / OAuth 2.1 §4.1.3: what the first redemption issued no longer works.
    expectNoTokens(await refresh(fixture, first.body.refresh_token as string));
    const [row] = await waitForAuditRow(fixture, AUTHORIZATION_EVENTS.codeReuse, 'alice');
    expect(row).toMatchObject({
      tenant_id: 'acme',
      user_id: 'alice',
      client_id: fixture.clientId,
      outcome: 'forbidden',
    });
  });

  it('of two concurrent redemptions of one code exactly one succeeds, and the grant is then revoked', async () => {
    const { code, pkce } = await codeFor(fixture, 'bob');
    const results = await Promise.all([
      redeemCode(fixture, { code, verifier: pkce.verifier }),
      redeemCode(fixture, { code, verifier: pkce.verifier }),
    ]);
    const winners = results.filter((result) => result.status === 200);
    const losers = results.filter((result) => result.status !== 200);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    expectNoTokens(losers[0] as (typeof results)[number]);
    // The loser was a reuse: the winner's refresh token is revoked with the grant.
    expectNoTokens(await refresh(fixture, winners[0]?.body.refresh_token as string));
  });

  it('a code presented by another client is invalid_grant', async () => {
    const { code, pkce } = await codeFor(fixture, 'carol');
    const otherClient = publishClient(fixture);
    expectNoTokens(await redeemCode(fixture, { code, verifier: pkce.verifier, clientId: otherClient }));
  });

  it('a code with a wrong code_verifier is invalid_grant', async () => {
    const { code } = await codeFor(fixture, 'carol');
    const wrong = await redeemCode(fixture, { code, verifier: 'x'.repeat(43) });
    expectNoTokens(wrong);
  });

  it('a code with another redirect_uri (registered, another loopback port, or foreign) is invalid_grant', async () => {
    const secondRedirect = `${fixture.target.uri}/second`;
    const clientId = publishClient(fixture, [fixture.target.uri, secondRedirect]);
    const target = new URL(fixture.target.uri);
    const otherPort = `http://127.0.0.1:${Number(target.port) === 65_535 ? 1 : Number(target.port) + 1}/callback`;
    for (const redirectUri of [secondRedirect, otherPort, 'https://evil.example/callback']) {
      const { code, pkce } = await codeFor(fixture, 'carol', { clientId });
      const result = await redeemCode(fixture, { code, verifier: pkce.verifier, clientId, redirectUri });
      expect.soft(result.status, redirectUri).toBe(400);
      expect.soft(result.body, redirectUri).toMatchObject({ error: 'invalid_grant' });
      expect.soft(result.body, redirectUri).not.toHaveProperty('access_token');
    }
  });

  it('an unknown code is invalid_grant', async () => {
    const { pkce } = await codeFor(fixture, 'carol');
    expectNoTokens(await redeemCode(fixture, { code: 'a'.repeat(43), verifier: pkce.verifier }));
  });

  it('an expired code is invalid_grant, whether the store or oidc-provider sees the expiry', async () => {
    // The code lives 60 s; rather than wait, age the stored record (by its id hash, as the store keys it).
    const ageings = {
      'the store row expired': `UPDATE oauth_records SET expires_at = now() - interval '1 second'
         WHERE model = 'AuthorizationCode' AND id_hash = $1`,
      'the payload exp passed': `UPDATE oauth_records
         SET payload = jsonb_set(payload, '{exp}', to_jsonb(extract(epoch FROM now())::bigint - 1))
         WHERE model = 'AuthorizationCode' AND id_hash = $1`,
    };
    for (const [how, sql] of Object.entries(ageings)) {
      const { code, pkce } = await codeFor(fixture, 'carol');
      const aged = await fixture.db.adminPool.query(sql, [storedIdHash(code)]);
      expect(aged.rowCount, how).toBe(1);
      const result = await redeemCode(fixture, { code, verifier: pkce.verifier });
      expect.soft(result, how).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
      expect.soft(result.body, how).not.toHaveProperty('access_token');
    }
    // Refusals without reuse are not code reuse.
    expect(await auditRows(fixture, 'oauth.code_reuse', 'carol')).toEqual([]);
  });
});
