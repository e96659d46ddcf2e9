import * as oidc from 'openid-client';
import { beforeAll, describe, expect, it } from 'vitest';
import { AUTHORIZATION_EVENTS } from '../../../src/authorization-server/audit/authorization-audit.js';
import { AUTHORIZATION_SERVER } from '../../../src/contract.js';
import {
  authorizeUrl,
  BrowserSession,
  newPkce,
  signInUpstream,
  useAuthorizationServerFixture,
} from '../server/authorization-server-fixture.js';
import { auditRows, codeFor } from './attack-helpers.js';

const { paths } = AUTHORIZATION_SERVER;

/**
 * Mix-up (RFC 9207): our authorization responses carry `iss`, so a client that talks to several authorization servers
 * can tell which one answered; and we check the upstream provider's `iss` on the sign-in callback ourselves.
 */
describe('mix-up defences', () => {
  const fixture = useAuthorizationServerFixture();
  let rightClient: oidc.Configuration;

  beforeAll(async () => {
    rightClient = await oidc.discovery(
      new URL(fixture.issuer),
      fixture.clientId,
      { redirect_uris: [fixture.target.uri], token_endpoint_auth_method: 'none' },
      oidc.None(),
      { execute: [oidc.allowInsecureRequests] },
    );
  }, 60_000);

  /** A client that believes this response came from another authorization server (same endpoints, other issuer). */
  async function clientExpecting(issuer: string) {
    const metadata = (await (await fetch(`${fixture.issuer}${paths.metadata}`)).json()) as oidc.ServerMetadata;
    const config = new oidc.Configuration(
      { ...metadata, issuer },
      fixture.clientId,
      { redirect_uris: [fixture.target.uri], token_endpoint_auth_method: 'none' },
      oidc.None(),
    );
    oidc.allowInsecureRequests(config);
    return config;
  }

  const grant = (config: oidc.Configuration, redirect: URL, verifier: string) =>
    oidc.authorizationCodeGrant(
      config,
      redirect,
      { pkceCodeVerifier: verifier, expectedState: 'state-1' },
      { resource: fixture.resource },
    );

  /** openid-client wraps oauth4webapi's error: the check that failed is named in the cause. */
  async function refusal(attempt: Promise<unknown>): Promise<string> {
    const error = await attempt.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error, 'the client refused the response').toBeInstanceOf(Error);
    return String((error as Error & { cause?: Error }).cause?.message);
  }

  it('the authorization response names our issuer; a client expecting another issuer refuses it', async () => {
    const { redirect, pkce } = await codeFor(fixture, 'alice');
    expect(redirect.searchParams.get('iss')).toBe(fixture.issuer);
    expect(rightClient.serverMetadata().authorization_response_iss_parameter_supported).toBe(true);
    const confused = await clientExpecting('https://honest-as.example');
    expect(await refusal(grant(confused, redirect, pkce.verifier))).toMatch(/unexpected "iss"/);
    // The confused client stopped before the token request: the right client can still redeem the same code.
    const tokens = await grant(rightClient, redirect, pkce.verifier);
    expect(tokens.access_token).toBeTypeOf('string');
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
  });

  it('a response stripped of iss is refused by a client that read our metadata', async () => {
    const { redirect, pkce } = await codeFor(fixture, 'alice');
    const stripped = new URL(redirect);
    stripped.searchParams.delete('iss');
    expect(await refusal(grant(rightClient, stripped, pkce.verifier))).toMatch(/"iss" \(issuer\) missing/);
  });

  /** Signs in upstream as `user` and stops at the upstream's redirect to our callback, before we see it. */
  async function upstreamCallbackFor(user: string, browser = new BrowserSession()) {
    const url = authorizeUrl(fixture, { clientId: fixture.clientId, redirectUri: fixture.target.uri, pkce: newPkce() });
    const first = await browser.follow(url, fixture.target.uri);
    expect(first.page?.url.startsWith(fixture.as.upstreamIssuer), 'the sign-in form of the upstream').toBe(true);
    const callbackUrl = `${fixture.issuer}${paths.upstreamCallback}`;
    const landed = await signInUpstream(browser, first.page as Response, user, callbackUrl);
    const callback = new URL(landed.redirect as string);
    expect(callback.searchParams.get('iss')).toBe(fixture.as.upstreamIssuer);
    return { callback, browser };
  }

  async function accountExists(userId: string) {
    const { rows } = await fixture.db.adminPool.query('SELECT 1 FROM oauth_accounts WHERE account_id = $1', [userId]);
    return rows.length > 0;
  }

  const tamperings: Array<[string, string, (callback: URL) => void]> = [
    ['another iss', 'carol', (callback) => callback.searchParams.set('iss', 'https://evil-idp.example')],
    ['no iss', 'mia', (callback) => callback.searchParams.delete('iss')],
  ];

  it.each(tamperings)('an upstream callback with %s signs no one in', async (_label, user, tamper) => {
    const { callback, browser } = await upstreamCallbackFor(user);
    tamper(callback);
    const landed = await browser.follow(callback.href, fixture.target.uri);
    // The client learns that the sign-in failed (RFC 6749 §4.1.2.1), and gets no code.
    expect(landed.page, 'a redirect to the client, not a page').toBeUndefined();
    const back = new URL(landed.redirect as string);
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('iss')).toBe(fixture.issuer);
    expect(back.searchParams.has('code')).toBe(false);
    expect(await accountExists(user)).toBe(false);
    expect(await auditRows(fixture, AUTHORIZATION_EVENTS.signIn, user)).toEqual([]);
    // No session either: the next request from this browser is sent to the upstream to sign in again.
    const again = await browser.request(
      authorizeUrl(fixture, { clientId: fixture.clientId, redirectUri: fixture.target.uri, pkce: newPkce() }),
    );
    const interaction = await browser.request(new URL(again.headers.get('location') as string, fixture.issuer).href);
    expect(interaction.headers.get('location')).toMatch(new RegExp(`^${fixture.as.upstreamIssuer}`));
  });

  it('the untampered upstream callback signs in (the control for the tamperings)', async () => {
    const { callback, browser } = await upstreamCallbackFor('bob');
    const landed = await browser.follow(callback.href, fixture.target.uri);
    expect(landed.page?.url).toMatch(/\/consent$/);
    expect(await accountExists('bob')).toBe(true);
  });
});
