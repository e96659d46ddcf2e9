import { beforeAll, describe, expect, it } from 'vitest';
import { authorizeUrl, newPkce, useAuthorizationServerFixture } from '../server/authorization-server-fixture.js';
import { expectRefusalPage } from './attack-helpers.js';

const REGISTERED = 'https://app.example.com/oauth/callback';

/**
 * What the client's document registers is the only place a code may go: a document that names another client, and
 * every near miss of a registered redirect URI (open redirect), are error pages of ours, never a redirect.
 */
describe('client documents and redirect URIs: no code to anyone but the registered client', () => {
  const fixture = useAuthorizationServerFixture();
  let clientId: string;

  beforeAll(async () => {
    clientId = fixture.documents.publish('/clients/web-client.json', (id) => ({
      client_id: id,
      client_name: 'Web client',
      redirect_uris: [REGISTERED, fixture.target.uri],
      token_endpoint_auth_method: 'none',
    }));
  }, 60_000);

  function authorize(redirectUri: string, client = clientId) {
    return fetch(authorizeUrl(fixture, { clientId: client, redirectUri, pkce: newPkce() }), { redirect: 'manual' });
  }

  it('the registered redirect URIs work (the control for every refusal below)', async () => {
    for (const uri of [REGISTERED, fixture.target.uri]) {
      const response = await authorize(uri);
      expect(response.status, uri).toBe(303);
      expect(response.headers.get('location')).toMatch(/^\/oauth\/interaction\//);
    }
  });

  it('a document whose client_id is not its own URL is invalid_client', async () => {
    const impostor = fixture.documents.publish('/clients/impostor.json', () => ({
      // Claims to be the fixture's client, whose users may have consented already.
      client_id: fixture.clientId,
      redirect_uris: [fixture.target.uri],
    }));
    const body = await expectRefusalPage(await authorize(fixture.target.uri, impostor));
    expect(body).toContain('invalid_client');
  });

  const target = () => new URL(fixture.target.uri);
  const nearMisses: Array<[string, () => string]> = [
    ['another host', () => 'https://evil.example/oauth/callback'],
    ['another path', () => 'https://app.example.com/oauth/other'],
    ['a prefix of the registered one', () => 'https://app.example.com/oauth/call'],
    ['the registered one plus a path segment', () => `${REGISTERED}/evil`],
    ['the registered one plus characters', () => `${REGISTERED}x`],
    ['a trailing slash', () => `${REGISTERED}/`],
    ['an added query', () => `${REGISTERED}?next=https://evil.example`],
    ['a fragment', () => `${REGISTERED}#evil`],
    ['a dot segment', () => 'https://app.example.com/oauth/callback/../../evil'],
    ['a suffix of the host', () => 'https://app.example.com.evil.example/oauth/callback'],
    ['userinfo naming the host', () => 'https://app.example.com@evil.example/oauth/callback'],
    ['userinfo before the host', () => 'https://good@app.example.com/oauth/callback'],
    ['another port on a non-loopback host', () => 'https://app.example.com:8443/oauth/callback'],
    ['http instead of https', () => 'http://app.example.com/oauth/callback'],
    ['upper-case host', () => 'https://APP.example.com/oauth/callback'],
    ['a percent-encoded path', () => 'https://app.example.com/oauth/%63allback'],
    ['an encoded slash', () => 'https://app.example.com/oauth%2Fcallback'],
    ['an encoded @ in the host', () => 'https://evil.example%40app.example.com/oauth/callback'],
    ['a backslash', () => 'https://evil.example\\@app.example.com/oauth/callback'],
    ['localhost for the registered 127.0.0.1', () => `http://localhost:${target().port}${target().pathname}`],
    ['another path on the loopback redirect', () => `${target().origin}/elsewhere`],
    ['the loopback redirect with userinfo', () => `http://evil@127.0.0.1:${target().port}${target().pathname}`],
    ['a loopback-looking host', () => `http://127.0.0.1.evil.example:${target().port}${target().pathname}`],
    ['a javascript: URI', () => 'javascript:alert(1)'],
  ];

  it.each(nearMisses)('a redirect_uri with %s is an error page, never a redirect', async (_label, uri) => {
    const attacker = uri();
    const response = await authorize(attacker);
    const body = await expectRefusalPage(response);
    expect(body).toMatch(/invalid_redirect_uri|invalid_request/);
  });
});
