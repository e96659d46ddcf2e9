import { describe, expect, it } from 'vitest';
import { AUTHORIZATION_EVENTS } from '../../../src/authorization-server/audit/authorization-audit.js';
import { AUTHORIZATION_SERVER } from '../../../src/contract.js';
import {
  authorizeUrl,
  BrowserSession,
  newPkce,
  signInUpstream,
  useAuthorizationServerFixture,
} from '../server/authorization-server-fixture.js';
import { auditRows, expectRefusalPage } from './attack-helpers.js';

const { paths } = AUTHORIZATION_SERVER;

/**
 * Login CSRF: an attacker signs in upstream as themself, stops at the upstream's redirect to our callback and makes
 * the victim's browser open it, to have the victim work in the attacker's account. The callback only completes in the
 * browser that began the sign-in (its interaction cookie).
 */
describe('login CSRF on the upstream callback', () => {
  const fixture = useAuthorizationServerFixture();

  const freshAuthorizeUrl = () =>
    authorizeUrl(fixture, { clientId: fixture.clientId, redirectUri: fixture.target.uri, pkce: newPkce() });

  /** The attacker's own sign-in, stopped at the upstream's redirect to our callback. */
  async function attackerCallback(user: string) {
    const attacker = new BrowserSession();
    const first = await attacker.follow(freshAuthorizeUrl(), fixture.target.uri);
    const callbackUrl = `${fixture.issuer}${paths.upstreamCallback}`;
    const landed = await signInUpstream(attacker, first.page as Response, user, callbackUrl);
    const callback = landed.redirect as string;
    expect(new URL(callback).searchParams.get('code')).toBeTypeOf('string');
    return callback;
  }

  async function expectSignedOut(browser: BrowserSession) {
    const again = await browser.request(freshAuthorizeUrl());
    const interaction = await browser.request(new URL(again.headers.get('location') as string, fixture.issuer).href);
    expect(interaction.headers.get('location'), 'sent to the upstream to sign in').toMatch(
      new RegExp(`^${fixture.as.upstreamIssuer}`),
    );
  }

  async function expectNoSignIn(user: string) {
    const { rows } = await fixture.db.adminPool.query('SELECT 1 FROM oauth_accounts WHERE account_id = $1', [user]);
    expect(rows).toEqual([]);
    expect(await auditRows(fixture, AUTHORIZATION_EVENTS.signIn, user)).toEqual([]);
  }

  it('the callback opened in a browser without any interaction is an error page and signs no one in', async () => {
    const callback = await attackerCallback('mia');
    const victim = new BrowserSession();
    const landed = await victim.follow(callback, fixture.target.uri);
    expect(landed.redirect, 'no redirect to the client').toBeUndefined();
    await expectRefusalPage(landed.page as Response, 400);
    await expectNoSignIn('mia');
    await expectSignedOut(victim);
  });

  it('the callback opened in a browser with its own sign-in in progress is refused too', async () => {
    const callback = await attackerCallback('carol');
    const victim = new BrowserSession();
    // The victim has begun a sign-in of their own: an interaction cookie, for another interaction.
    const own = await victim.follow(freshAuthorizeUrl(), fixture.target.uri);
    expect(own.page?.url.startsWith(fixture.as.upstreamIssuer)).toBe(true);
    const landed = await victim.follow(callback, fixture.target.uri);
    expect(landed.redirect, 'no redirect to the client').toBeUndefined();
    await expectRefusalPage(landed.page as Response, 400);
    await expectNoSignIn('carol');
  });

  it('the callback in the browser that began the sign-in works (the control)', async () => {
    const browser = new BrowserSession();
    const first = await browser.follow(freshAuthorizeUrl(), fixture.target.uri);
    const landed = await signInUpstream(browser, first.page as Response, 'bob', fixture.target.uri);
    expect(landed.page?.url).toMatch(/\/consent$/);
    expect(await auditRows(fixture, AUTHORIZATION_EVENTS.signIn, 'bob')).toHaveLength(1);
  });

  it('a refused replay in another browser does not use up the sign-in: the browser that began it still completes', async () => {
    const owner = new BrowserSession();
    const first = await owner.follow(freshAuthorizeUrl(), fixture.target.uri);
    const callbackUrl = `${fixture.issuer}${paths.upstreamCallback}`;
    const stopped = await signInUpstream(owner, first.page as Response, 'adam', callbackUrl);
    const callback = stopped.redirect as string;
    const replayed = await new BrowserSession().follow(callback, fixture.target.uri);
    await expectRefusalPage(replayed.page as Response, 400);
    const completed = await owner.follow(callback, fixture.target.uri);
    expect(completed.page?.url).toMatch(/\/consent$/);
  });
});
