import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeProtectedHeader } from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  mapUpstreamIdentity,
  parseUpstreamIdentityConfig,
} from '../../../src/authorization-server/upstream/identity-mapping.js';
import { KEY_FILE } from '../../../src/dev/dev-signing-key.js';
import {
  type DevUpstreamProvider,
  startDevUpstreamProvider,
} from '../../../src/dev/upstream-provider/dev-upstream-provider.js';
import { DEV_UPSTREAM_CLIENT_ID } from '../../../src/dev/upstream-provider/provider-configuration.js';
import { devUpstreamIdentityConfig } from '../../../src/dev/upstream-provider/upstream-users.js';
import { BrowserSession, type RedirectTarget, startRedirectTarget } from '../../helpers/browser-session.js';

describe('development upstream provider: authorization code + PKCE sign-in', () => {
  let dataDir: string;
  let target: RedirectTarget;
  let provider: DevUpstreamProvider;
  let client: oidc.Configuration;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'dev-upstream-provider-'));
    target = await startRedirectTarget();
    provider = await startDevUpstreamProvider({ mode: 'development', port: 0, redirectUris: [target.uri], dataDir });
    client = await oidc.discovery(
      new URL(provider.issuer),
      DEV_UPSTREAM_CLIENT_ID,
      { id_token_signed_response_alg: 'ES256' },
      oidc.None(),
      { execute: [oidc.allowInsecureRequests] },
    );
  });

  afterAll(async () => {
    await provider?.close();
    await target?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** Runs the whole flow as the authorization server and a browser would; returns the verified ID token claims. */
  async function signInAs(user: string) {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const authorizationUrl = oidc.buildAuthorizationUrl(client, {
      redirect_uri: target.uri,
      scope: 'openid profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });

    const browser = new BrowserSession();
    const form = await browser.follow(authorizationUrl.href, target.uri);
    expect(form.page?.status).toBe(200);
    const html = await form.page!.text();
    const action = /<form method="post" action="([^"]+)">/.exec(html)?.[1];
    expect(action).toMatch(/^\/interaction\/[^/]+\/login$/);

    const submitted = browser.request(new URL(action!, provider.issuer).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ user, password: 'anything' }).toString(),
    });
    const landed = await browser.follow(new URL(action!, provider.issuer).href, target.uri, submitted);
    expect(landed.redirect).toBeDefined();
    // The browser arrives at the client's redirect URI, which is where the code is taken from.
    await fetch(landed.redirect!);
    const callbackUrl = target.received.at(-1)!;
    expect(new URL(callbackUrl).searchParams.get('code')).toBeTruthy();

    const tokens = await oidc.authorizationCodeGrant(client, new URL(callbackUrl), {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
      idTokenExpected: true,
    });
    expect(decodeProtectedHeader(tokens.id_token!).alg).toBe('ES256');
    return tokens.claims()!;
  }

  it('signs alice in and her ID token maps to tenant acme, user alice, no roles', async () => {
    const claims = await signInAs('alice');
    expect(claims).toMatchObject({
      iss: provider.issuer,
      aud: DEV_UPSTREAM_CLIENT_ID,
      sub: 'alice',
      tenant_id: 'acme',
      roles: [],
    });
    const config = parseUpstreamIdentityConfig(devUpstreamIdentityConfig(provider.issuer));
    expect(mapUpstreamIdentity(claims, config)).toEqual({
      tenantId: 'acme',
      userId: 'alice',
      roles: [],
      displayName: 'Alice (acme)',
    });
  });

  it('signs the admin in and the mapping grants the admin role', async () => {
    const claims = await signInAs('adam');
    expect(claims).toMatchObject({ sub: 'adam', tenant_id: 'acme', roles: ['admin'] });
    const config = parseUpstreamIdentityConfig(devUpstreamIdentityConfig(provider.issuer));
    expect(mapUpstreamIdentity(claims, config)).toMatchObject({ tenantId: 'acme', userId: 'adam', roles: ['admin'] });
  });

  it('signs carol in to tenant globex and mia as a manager', async () => {
    const config = parseUpstreamIdentityConfig(devUpstreamIdentityConfig(provider.issuer));
    expect(mapUpstreamIdentity(await signInAs('carol'), config)).toMatchObject({ tenantId: 'globex', roles: [] });
    expect(mapUpstreamIdentity(await signInAs('mia'), config)).toMatchObject({ tenantId: 'acme', roles: ['manager'] });
  });

  it('keeps its signing key in the data dir, private, and the same after a restart', async () => {
    expect((await stat(join(dataDir, KEY_FILE))).mode & 0o777).toBe(0o600);
    const jwks = async (issuer: string) => {
      const metadata = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as {
        jwks_uri: string;
      };
      return ((await (await fetch(metadata.jwks_uri)).json()) as { keys: Array<Record<string, unknown>> }).keys;
    };
    const before = await jwks(provider.issuer);
    expect(before).toHaveLength(1);
    expect(before[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256' });
    expect(before[0]).not.toHaveProperty('d');
    const restarted = await startDevUpstreamProvider({
      mode: 'development',
      port: 0,
      redirectUris: [target.uri],
      dataDir,
    });
    try {
      expect(await jwks(restarted.issuer)).toEqual(before);
    } finally {
      await restarted.close();
    }
  });
});
