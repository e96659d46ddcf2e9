import { describe, expect, it } from 'vitest';
import { AUTHORIZATION_SERVER } from '../../../src/contract.js';
import {
  authorizeUrl,
  BrowserSession,
  decideConsent,
  newPkce,
  useAuthorizationServerFixture,
} from '../server/authorization-server-fixture.js';
import { expectNoFraming, publishClient, signInUntilConsent } from './attack-helpers.js';

const { paths } = AUTHORIZATION_SERVER;

/**
 * Clickjacking: every HTML page this server renders refuses to be framed, `frame-ancestors 'none'` in its CSP and
 * `X-Frame-Options: DENY` for browsers without CSP level 2. Each case first checks that it really is an HTML page.
 */
describe('no page of ours can be framed', () => {
  const fixture = useAuthorizationServerFixture();

  function expectFramingRefusedOnHtml(response: Response) {
    expect(response.headers.get('content-type'), `${response.url} is an HTML page`).toMatch(/^text\/html/);
    expectNoFraming(response);
  }

  it('the consent page, and its refusal pages (403 CSRF, 400 decision, 404 unknown interaction)', async () => {
    const clientId = publishClient(fixture);
    const { landed, browser } = await signInUntilConsent(fixture, 'alice', { clientId });
    const page = landed.page as Response;
    expect(page.status).toBe(200);
    expectFramingRefusedOnHtml(page);
    const html = await page.text();
    const csrf = /name="csrf_token" value="([^"]+)"/.exec(html)?.[1] as string;
    const post = (url: string, form: Record<string, string>, session = browser) =>
      session.request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      });
    const refusals = [
      await post(page.url, { decision: 'approve' }),
      await post(page.url, { decision: 'maybe', csrf_token: csrf }),
      await post(page.url, { decision: 'approve', csrf_token: csrf }, new BrowserSession()),
      await fetch(`${fixture.issuer}${paths.interaction}/unknown-interaction/consent`),
    ];
    expect(refusals.map((response) => response.status)).toEqual([403, 400, 404, 404]);
    for (const response of refusals) expectFramingRefusedOnHtml(response);
  });

  it('the expired or unknown interaction pages', async () => {
    const pages = [
      await fetch(`${fixture.issuer}${paths.interaction}/unknown-interaction`),
      await fetch(`${fixture.issuer}${paths.interaction}/unknown-interaction/callback?state=nothing&code=x`),
      await fetch(`${fixture.issuer}${paths.upstreamCallback}?state=unknown-state&code=x`),
      await fetch(`${fixture.issuer}${paths.upstreamCallback}`),
    ];
    for (const response of pages) {
      expect(response.status).toBe(400);
      expectFramingRefusedOnHtml(response);
    }
  });

  it("oidc-provider's error pages (unknown client, unregistered redirect URI, missing parameters)", async () => {
    const pages = [
      await fetch(
        authorizeUrl(fixture, {
          clientId: `${fixture.documents.origin}/clients/missing.json`,
          redirectUri: fixture.target.uri,
          pkce: newPkce(),
        }),
        { redirect: 'manual' },
      ),
      await fetch(
        authorizeUrl(fixture, { clientId: fixture.clientId, redirectUri: 'https://evil.example/', pkce: newPkce() }),
        { redirect: 'manual' },
      ),
      await fetch(`${fixture.issuer}${paths.authorize}`, { redirect: 'manual' }),
    ];
    for (const response of pages) {
      expect(response.status).toBe(400);
      expectFramingRefusedOnHtml(response);
    }
  });

  it('the form_post response page (response_mode=form_post), here an error sent back to the client', async () => {
    const response = await fetch(
      authorizeUrl(fixture, {
        clientId: fixture.clientId,
        redirectUri: fixture.target.uri,
        pkce: newPkce(),
        resource: 'https://other.example/mcp',
        extra: { response_mode: 'form_post' },
      }),
      { redirect: 'manual' },
    );
    expect(response.status).toBe(400);
    expect(await response.clone().text()).toContain('invalid_target');
    expectFramingRefusedOnHtml(response);
  });

  it('the form_post response page that carries the code', async () => {
    const clientId = publishClient(fixture);
    const { landed, browser } = await signInUntilConsent(fixture, 'bob', {
      clientId,
      extra: { response_mode: 'form_post' },
    });
    const consent = await decideConsent(browser, landed.page as Response, 'approve', fixture.target.uri);
    const page = consent.page as Response;
    expect(page.status).toBe(200);
    expect(await page.clone().text()).toMatch(/<input type="hidden" name="code"/);
    expectFramingRefusedOnHtml(page);
  });
});
