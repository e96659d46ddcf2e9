import { describe, expect, it } from 'vitest';
import {
  BrowserSession,
  decideConsent,
  useAuthorizationServerFixture,
} from '../server/authorization-server-fixture.js';
import { consentRows, expectRefusalPage, publishClient, signInUntilConsent } from './attack-helpers.js';

function csrfTokenOf(html: string): string {
  const token = /name="csrf_token" value="([^"]+)"/.exec(html)?.[1];
  if (token === undefined) throw new Error(`no consent form: ${html.slice(0, 300)}`);
  return token;
}

/**
 * Cross-site request forgery on the consent form: a decision without the form's token, with another interaction's
 * token, or with a value that is neither approve nor deny, is refused; nothing is remembered, no grant is made and the
 * flow does not continue to the client. The same interaction is then still approvable with its own token, which shows
 * the refusals left it intact rather than passing because it had gone.
 */
describe('consent form forgery', () => {
  const fixture = useAuthorizationServerFixture();

  /** A signed-in browser on the consent page of a new client (so nothing is remembered for it). */
  async function consentPage(user: string, browser = new BrowserSession()) {
    const clientId = publishClient(fixture);
    const { landed } = await signInUntilConsent(fixture, user, { clientId, browser });
    const page = landed.page;
    expect(page?.url).toMatch(/\/oauth\/interaction\/[^/]+\/consent$/);
    const url = (page as Response).url;
    return { url, html: await (page as Response).text(), clientId, browser };
  }

  function post(browser: BrowserSession, url: string, form: Record<string, string>) {
    return browser.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
  }

  async function expectNoGrant(clientId: string) {
    expect(await consentRows(fixture, clientId)).toEqual([]);
    const { rows } = await fixture.db.adminPool.query(
      "SELECT 1 FROM oauth_records WHERE model IN ('Grant', 'AuthorizationCode') AND payload->>'clientId' = $1",
      [clientId],
    );
    expect(rows).toEqual([]);
  }

  /** The genuine decision still goes through: the interaction was intact, only the forged posts were refused. */
  async function expectStillApprovable(browser: BrowserSession, url: string) {
    const page = await browser.request(url);
    expect(page.status).toBe(200);
    const landed = await decideConsent(browser, page, 'approve', fixture.target.uri);
    expect(new URL(landed.redirect as string).searchParams.has('code')).toBe(true);
  }

  it('a decision without the CSRF token is 403, and nothing is granted', async () => {
    const { url, clientId, browser } = await consentPage('alice');
    const forms: Record<string, string>[] = [{ decision: 'approve' }, { decision: 'approve', csrf_token: '' }];
    for (const form of forms) {
      const response = await post(browser, url, form);
      await expectRefusalPage(response, 403);
      expect(response.headers.get('x-consent-error')).toMatch(/^csrf_/);
    }
    await expectNoGrant(clientId);
    await expectStillApprovable(browser, url);
  });

  it("a decision with another interaction's token of the same user is 403", async () => {
    // Two browsers: BrowserSession keeps cookies by name, and each interaction's cookie has the same name.
    const victim = await consentPage('bob');
    const other = await consentPage('bob');
    const response = await post(victim.browser, victim.url, {
      decision: 'approve',
      csrf_token: csrfTokenOf(other.html),
    });
    await expectRefusalPage(response, 403);
    expect(response.headers.get('x-consent-error')).toMatch(/^csrf_/);
    await expectNoGrant(victim.clientId);
    await expectStillApprovable(victim.browser, victim.url);
  });

  it("a decision with another user's token for another interaction is 403", async () => {
    const victim = await consentPage('alice');
    const attacker = await consentPage('carol');
    const response = await post(victim.browser, victim.url, {
      decision: 'approve',
      csrf_token: csrfTokenOf(attacker.html),
    });
    await expectRefusalPage(response, 403);
    await expectNoGrant(victim.clientId);
  });

  it('a forged decision value is 400, and nothing is granted', async () => {
    const { url, html, clientId, browser } = await consentPage('alice');
    for (const decision of ['yes', 'APPROVE', 'approve ', '']) {
      const response = await post(browser, url, { decision, csrf_token: csrfTokenOf(html) });
      await expectRefusalPage(response, 400);
      expect(response.headers.get('x-consent-error')).toBe('invalid_decision');
    }
    await expectNoGrant(clientId);
    await expectStillApprovable(browser, url);
  });

  it('a valid token posted from another browser (no interaction cookie) is 404', async () => {
    const { url, html, clientId } = await consentPage('alice');
    const response = await post(new BrowserSession(), url, { decision: 'approve', csrf_token: csrfTokenOf(html) });
    await expectRefusalPage(response, 404);
    await expectNoGrant(clientId);
  });
});
