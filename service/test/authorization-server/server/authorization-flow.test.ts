import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { AUTHORIZATION_SERVER } from '../../../src/contract.js';
import {
  authorizeUrl,
  BrowserSession,
  decideConsent,
  newPkce,
  redeemCode,
  refresh,
  signInUpstream,
  useAuthorizationServerFixture,
} from './authorization-server-fixture.js';

const { paths } = AUTHORIZATION_SERVER;

describe('authorization server: code flow with a client id metadata document, upstream sign-in and consent', () => {
  const fixture = useAuthorizationServerFixture();

  /** Authorize, sign in upstream as `user`, approve, and return the redirect to the client. */
  async function authorizeAs(user: string, browser = new BrowserSession(), scope?: string | null) {
    const pkce = newPkce();
    const url = authorizeUrl(fixture, {
      clientId: fixture.clientId,
      redirectUri: fixture.target.uri,
      pkce,
      ...(scope === null ? { extra: { scope: undefined } } : { scope }),
    });
    const first = await browser.follow(url, fixture.target.uri);
    let landed = first;
    if (first.page?.url.startsWith(fixture.as.upstreamIssuer)) {
      landed = await signInUpstream(browser, first.page, user, fixture.target.uri);
    }
    if (landed.page !== undefined) {
      expect(landed.page.url).toMatch(new RegExp(`${paths.interaction}/[^/]+/consent$`));
      landed = await decideConsent(browser, landed.page, 'approve', fixture.target.uri);
    }
    expect(landed.redirect).toBeDefined();
    return { redirect: new URL(landed.redirect as string), pkce, browser };
  }

  it('publishes RFC 8414 metadata that says CIMD, S256, none and private_key_jwt, and iss in responses', async () => {
    const response = await fetch(`${fixture.issuer}${paths.metadata}`);
    expect(response.status).toBe(200);
    const metadata = (await response.json()) as Record<string, unknown>;
    expect(metadata).toMatchObject({
      issuer: fixture.issuer,
      authorization_endpoint: `${fixture.issuer}${paths.authorize}`,
      token_endpoint: `${fixture.issuer}${paths.token}`,
      revocation_endpoint: `${fixture.issuer}${paths.revocation}`,
      jwks_uri: `${fixture.issuer}${paths.jwks}`,
      client_id_metadata_document_supported: true,
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
      response_types_supported: ['code'],
    });
    expect(metadata.token_endpoint_auth_methods_supported).toEqual(expect.arrayContaining(['none', 'private_key_jwt']));
    expect(metadata.token_endpoint_auth_methods_supported).not.toContain('client_secret_basic');
    expect(metadata).not.toHaveProperty('registration_endpoint');
  });

  it('signs alice in and issues an at+jwt for the resource, with her tenant, and a refresh token', async () => {
    const { redirect, pkce } = await authorizeAs('alice');
    expect(redirect.searchParams.get('state')).toBe('state-1');
    expect(redirect.searchParams.get('iss')).toBe(fixture.issuer);
    const tokens = await redeemCode(fixture, {
      code: redirect.searchParams.get('code') as string,
      verifier: pkce.verifier,
    });
    expect(tokens.status).toBe(200);
    expect(tokens.body).toMatchObject({ token_type: 'Bearer', expires_in: 600, scope: 'mcp:read mcp:write' });
    expect(typeof tokens.body.refresh_token).toBe('string');
    const accessToken = tokens.body.access_token as string;
    expect(decodeProtectedHeader(accessToken)).toMatchObject({ typ: 'at+jwt', alg: 'ES256' });
    const { payload } = await jwtVerify(accessToken, createRemoteJWKSet(new URL(`${fixture.issuer}${paths.jwks}`)), {
      issuer: fixture.issuer,
      audience: fixture.resource,
      typ: 'at+jwt',
    });
    expect(payload).toMatchObject({
      sub: 'alice',
      tenant_id: 'acme',
      roles: [],
      scope: 'mcp:read mcp:write',
      client_id: fixture.clientId,
    });
  });

  it('rotates the refresh token on use, and a reused one revokes the whole family', async () => {
    const { redirect, pkce } = await authorizeAs('bob');
    const first = await redeemCode(fixture, {
      code: redirect.searchParams.get('code') as string,
      verifier: pkce.verifier,
    });
    const original = first.body.refresh_token as string;
    const rotated = await refresh(fixture, original);
    expect(rotated.status).toBe(200);
    expect(rotated.body.refresh_token).not.toBe(original);
    const reused = await refresh(fixture, original);
    expect(reused).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    // The family is gone: the newest token, never reused itself, no longer works.
    const afterReuse = await refresh(fixture, rotated.body.refresh_token as string);
    expect(afterReuse).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  async function tokensFor(user: string, scope?: string | null) {
    const { redirect, pkce } = await authorizeAs(user, new BrowserSession(), scope);
    return redeemCode(fixture, { code: redirect.searchParams.get('code') as string, verifier: pkce.verifier });
  }

  it('grants mcp:read only to a request without scope (the default), as the token response says', async () => {
    const tokens = await tokensFor('carol', null);
    expect(tokens).toMatchObject({ status: 200, body: { scope: 'mcp:read' } });
  });

  it('grants mcp:admin to the admin, and leaves it out for a user without the admin role', async () => {
    const admin = await tokensFor('adam', 'mcp:read mcp:admin');
    expect(admin).toMatchObject({ status: 200, body: { scope: 'mcp:read mcp:admin' } });
    const user = await tokensFor('alice', 'mcp:read mcp:write mcp:admin');
    expect(user).toMatchObject({ status: 200, body: { scope: 'mcp:read mcp:write' } });
  });

  it('skips the upstream form and the consent page for a remembered consent in the same browser', async () => {
    const browser = new BrowserSession();
    await authorizeAs('mia', browser);
    const pkce = newPkce();
    const again = await browser.follow(
      authorizeUrl(fixture, { clientId: fixture.clientId, redirectUri: fixture.target.uri, pkce }),
      fixture.target.uri,
    );
    expect(again.page).toBeUndefined();
    const code = new URL(again.redirect as string).searchParams.get('code') as string;
    expect(await redeemCode(fixture, { code, verifier: pkce.verifier })).toMatchObject({ status: 200 });
  });

  it('lets the user revoke a consent at /oauth/consents: refresh stops, and the client must ask again', async () => {
    const browser = new BrowserSession();
    const { redirect, pkce } = await authorizeAs('bob', browser);
    const tokens = await redeemCode(fixture, {
      code: redirect.searchParams.get('code') as string,
      verifier: pkce.verifier,
    });
    const list = await browser.request(`${fixture.issuer}${AUTHORIZATION_SERVER.prefix}/consents`);
    expect(list.status).toBe(200);
    expect(list.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const html = await list.text();
    expect(html).toContain(fixture.clientId);
    const csrf = /name="csrf_token" value="([^"]+)"/.exec(html)?.[1] as string;
    const revoke = (token: string) =>
      browser.request(`${fixture.issuer}${AUTHORIZATION_SERVER.prefix}/consents`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ csrf_token: token, client_id: fixture.clientId }).toString(),
      });
    expect((await revoke('v1.0.forged')).status).toBe(403);
    const beforeRevoking = await refresh(fixture, tokens.body.refresh_token as string);
    expect(beforeRevoking).toMatchObject({ status: 200 });
    const revoked = await revoke(csrf);
    expect(revoked.status).toBe(200);
    expect(await revoked.text()).toContain('Access revoked');
    // The newest refresh token, never presented before: the grant is gone, so it is refused.
    const afterRevoking = await refresh(fixture, beforeRevoking.body.refresh_token as string);
    expect(afterRevoking).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const again = await browser.follow(
      authorizeUrl(fixture, { clientId: fixture.clientId, redirectUri: fixture.target.uri, pkce: newPkce() }),
      fixture.target.uri,
    );
    expect(again.page?.url).toMatch(/\/consent$/);
    const audit = await fixture.db.adminPool.query(
      "SELECT outcome, detail FROM audit_events WHERE tool = 'oauth.revocation' AND user_id = 'bob'",
    );
    expect(audit.rows).toEqual([expect.objectContaining({ outcome: 'ok' })]);
  });

  it('answers 401 with a page at /oauth/consents to someone not signed in', async () => {
    const stranger = new BrowserSession();
    expect((await stranger.request(`${fixture.issuer}${AUTHORIZATION_SERVER.prefix}/consents`)).status).toBe(401);
  });

  it('makes the user sign in upstream again when the client sends prompt=login, then finishes (no loop)', async () => {
    const browser = new BrowserSession();
    await authorizeAs('alice', browser);
    const pkce = newPkce();
    const url = authorizeUrl(fixture, {
      clientId: fixture.clientId,
      redirectUri: fixture.target.uri,
      pkce,
      extra: { prompt: 'login' },
    });
    const form = await browser.follow(url, fixture.target.uri);
    expect(form.page?.url.startsWith(fixture.as.upstreamIssuer)).toBe(true);
    const landed = await signInUpstream(browser, form.page as Response, 'alice', fixture.target.uri);
    // The consent is remembered: straight back to the client with a code.
    const code = new URL(landed.redirect as string).searchParams.get('code') as string;
    expect(await redeemCode(fixture, { code, verifier: pkce.verifier })).toMatchObject({ status: 200 });
  });

  it('lets one of two concurrent refreshes with the same token win; the other is a reuse that revokes the family', async () => {
    const { redirect, pkce } = await authorizeAs('carol');
    const first = await redeemCode(fixture, {
      code: redirect.searchParams.get('code') as string,
      verifier: pkce.verifier,
    });
    const token = first.body.refresh_token as string;
    const outcomes = await Promise.all([refresh(fixture, token), refresh(fixture, token)]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual([200, 400]);
    const winner = outcomes.find((outcome) => outcome.status === 200);
    expect(await refresh(fixture, winner?.body.refresh_token as string)).toMatchObject({ status: 400 });
    await expect
      .poll(
        async () =>
          (
            await fixture.db.adminPool.query(
              "SELECT 1 FROM audit_events WHERE tool = 'oauth.refresh_token_reuse' AND user_id = 'carol'",
            )
          ).rowCount,
      )
      .toBe(1);
  });

  it('counts what it granted and refused on its metrics port', async () => {
    const refused = await new BrowserSession().request(
      authorizeUrl(fixture, {
        clientId: fixture.clientId,
        redirectUri: fixture.target.uri,
        pkce: newPkce(),
        resource: 'https://other.example/mcp',
      }),
    );
    expect(new URL(refused.headers.get('location') as string).searchParams.get('error')).toBe('invalid_target');
    const scrape = await fetch(`${fixture.as.metricsAddress}/metrics`);
    expect(scrape.status).toBe(200);
    const text = await scrape.text();
    const value = (series: string) =>
      Number(new RegExp(`^${series.replace(/[{}]/g, '\\$&')} (\\d+)$`, 'm').exec(text)?.[1]);
    expect(value('mcp_as_events_total{event="oauth.token",outcome="ok"}')).toBeGreaterThanOrEqual(5);
    // The reuse test's and the concurrent refresh's.
    expect(value('mcp_as_events_total{event="oauth.refresh_token_reuse",outcome="forbidden"}')).toBe(2);
    expect(value('mcp_as_events_total{event="oauth.sign_in",outcome="ok"}')).toBeGreaterThanOrEqual(5);
    expect(value('mcp_as_authorization_errors_total{error="invalid_target"}')).toBe(1);
    expect(value('mcp_as_token_errors_total{error="invalid_grant"}')).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(/^mcp_as_http_requests_total\{method="POST",route="\/oauth\/\*",status="200"\} \d+$/m);
  });
});
