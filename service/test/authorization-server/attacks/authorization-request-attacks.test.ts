import { describe, expect, it } from 'vitest';
import {
  type AuthorizationServerFixture,
  authorizeUrl,
  BrowserSession,
  newPkce,
  useAuthorizationServerFixture,
} from '../server/authorization-server-fixture.js';
import { authorizeUrlWithResources } from './attack-helpers.js';

/**
 * Authorization requests that must be refused before anyone signs in: no PKCE, `plain` PKCE, and a `resource` that is
 * not this server's MCP resource. The client and its redirect URI are valid, so the refusal goes back to the client
 * (RFC 6749 §4.1.2.1) with `iss` (RFC 9207), and never by way of the upstream sign-in or a code.
 */
describe('authorization requests refused before sign-in', () => {
  const fixture = useAuthorizationServerFixture();

  async function expectRefusedToClient(url: string, error: string) {
    const browser = new BrowserSession();
    const { page, redirect } = await browser.follow(url, fixture.target.uri);
    expect(page, page && `a page at ${page.url} (${page.status}) instead of a redirect to the client`).toBeUndefined();
    const back = new URL(redirect as string);
    expect(back.origin + back.pathname).toBe(fixture.target.uri);
    expect(Object.fromEntries(back.searchParams)).toMatchObject({ error, state: 'state-1', iss: fixture.issuer });
    expect(back.searchParams.has('code')).toBe(false);
    return back;
  }

  async function interactionCount() {
    const { rows } = await fixture.db.adminPool.query<{ count: string }>(
      "SELECT count(*) FROM oauth_records WHERE model IN ('Interaction', 'UpstreamSignIn', 'AuthorizationCode')",
    );
    return Number(rows[0]?.count);
  }

  it('the control: a valid request starts an interaction', async () => {
    const response = await fetch(
      authorizeUrl(fixture, { clientId: fixture.clientId, redirectUri: fixture.target.uri, pkce: newPkce() }),
      { redirect: 'manual' },
    );
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(/^\/oauth\/interaction\//);
  });

  const pkceAttacks: Array<[string, Record<string, string | undefined>]> = [
    ['without code_challenge', { code_challenge: undefined, code_challenge_method: undefined }],
    ['without code_challenge_method (plain by default)', { code_challenge_method: undefined }],
    ['with code_challenge_method=plain', { code_challenge_method: 'plain', code_challenge: 'a'.repeat(43) }],
    ['with an unknown code_challenge_method', { code_challenge_method: 'S512' }],
  ];

  it.each(pkceAttacks)('a request %s is invalid_request', async (_label, extra) => {
    const before = await interactionCount();
    const url = authorizeUrl(fixture, {
      clientId: fixture.clientId,
      redirectUri: fixture.target.uri,
      pkce: newPkce(),
      extra,
    });
    await expectRefusedToClient(url, 'invalid_request');
    expect(await interactionCount()).toBe(before);
  });

  const resourceAttacks: Array<[string, (fixture: AuthorizationServerFixture) => string[]]> = [
    ['another server', () => ['https://other.example/mcp']],
    ['this server with another path', (f) => [`${new URL(f.resource).origin}/other`]],
    ['this resource with a fragment', (f) => [`${f.resource}#fragment`]],
    ['this resource and another one', (f) => [f.resource, 'https://other.example/mcp']],
    ['another one and this resource', (f) => ['https://other.example/mcp', f.resource]],
    ['a relative URI', () => ['/mcp']],
  ];

  it.each(resourceAttacks)('a resource naming %s is invalid_target, before any sign-in', async (_label, resources) => {
    const before = await interactionCount();
    await expectRefusedToClient(authorizeUrlWithResources(fixture, resources(fixture)), 'invalid_target');
    expect(await interactionCount()).toBe(before);
  });
});
