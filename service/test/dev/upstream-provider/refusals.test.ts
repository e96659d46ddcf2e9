import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DevUpstreamProvider,
  type DevUpstreamProviderOptions,
  DevUpstreamProviderRefusedError,
  startDevUpstreamProvider,
} from '../../../src/dev/upstream-provider/dev-upstream-provider.js';
import { DEV_UPSTREAM_CLIENT_ID } from '../../../src/dev/upstream-provider/provider-configuration.js';
import { BrowserSession, type RedirectTarget, startRedirectTarget } from '../../helpers/browser-session.js';

// A valid S256 challenge (RFC 7636 appendix B).
const CHALLENGE = 'E9Melhoofs9sbu_ndR3mcMFVJYY_7ZCMCzpuP2ANPvw';

describe('development upstream provider refusals', () => {
  let dataDir: string;
  let target: RedirectTarget;
  let provider: DevUpstreamProvider;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'dev-upstream-provider-'));
    target = await startRedirectTarget();
    provider = await startDevUpstreamProvider({ mode: 'development', port: 0, redirectUris: [target.uri], dataDir });
  });

  afterAll(async () => {
    await provider?.close();
    await target?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  function authorizationUrl(overrides: Record<string, string | undefined>): string {
    const url = new URL('/auth', provider.issuer);
    const params: Record<string, string | undefined> = {
      client_id: DEV_UPSTREAM_CLIENT_ID,
      response_type: 'code',
      scope: 'openid profile',
      redirect_uri: target.uri,
      state: 'state-1',
      code_challenge: CHALLENGE,
      code_challenge_method: 'S256',
      ...overrides,
    };
    for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
    return url.href;
  }

  /** The error the provider sends the client to its redirect URI with, or undefined when it showed the form. */
  async function authorizationOutcome(overrides: Record<string, string | undefined>) {
    const outcome = await new BrowserSession().follow(authorizationUrl(overrides), target.uri);
    if (outcome.redirect === undefined) return { status: outcome.page!.status, page: outcome.page! };
    const params = new URL(outcome.redirect).searchParams;
    return { error: params.get('error'), description: params.get('error_description'), code: params.get('code') };
  }

  it('shows the sign-in form for a correct request (the baseline of the refusals below)', async () => {
    const outcome = await authorizationOutcome({});
    expect(outcome.status).toBe(200);
  });

  it('refuses an authorization request without PKCE', async () => {
    const outcome = await authorizationOutcome({ code_challenge: undefined, code_challenge_method: undefined });
    expect(outcome).toMatchObject({ error: 'invalid_request', code: null });
    expect(outcome.description).toMatch(/PKCE/);
  });

  it('refuses PKCE with the plain method', async () => {
    const outcome = await authorizationOutcome({ code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' });
    expect(outcome).toMatchObject({ error: 'invalid_request', code: null });
    expect(outcome.description).toMatch(/code_challenge_method/);
  });

  it('refuses an unknown redirect URI with a page, never a redirect', async () => {
    const elsewhere = new URL('/elsewhere', target.uri).href;
    const response = await new BrowserSession().request(authorizationUrl({ redirect_uri: elsewhere }));
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await response.text()).toContain('invalid_redirect_uri');
  });

  it('serves the form with a CSP, no script, and says the password is not checked', async () => {
    const { page } = await authorizationOutcome({});
    const csp = page!.headers.get('content-security-policy');
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`form-action 'self' ${new URL(target.uri).origin}`);
    expect(csp).toContain("frame-ancestors 'none'");
    const html = await page!.text();
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('not checked');
    for (const user of ['alice', 'bob', 'carol', 'adam', 'mia']) expect(html).toContain(`value="${user}"`);
  });

  it('refuses a sign-in posted without the interaction cookie (another site posting the form)', async () => {
    const browser = new BrowserSession();
    const { page } = await browser.follow(authorizationUrl({}), target.uri);
    const action = /action="([^"]+)"/.exec(await page!.text())![1]!;
    const response = await new BrowserSession().request(new URL(action, provider.issuer).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'user=alice&password=x',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('Start again from the application');
  });

  it('refuses a sign-in posted to another interaction than the one its cookie belongs to', async () => {
    const browser = new BrowserSession();
    const { page } = await browser.follow(authorizationUrl({}), target.uri);
    await page!.text();
    const response = await browser.request(new URL('/interaction/not-this-one/login', provider.issuer).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'user=alice&password=x',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });

  it('refuses a user that is not a sample user, showing the form again', async () => {
    const browser = new BrowserSession();
    const { page } = await browser.follow(authorizationUrl({}), target.uri);
    const action = /action="([^"]+)"/.exec(await page!.text())![1]!;
    const response = await browser.request(new URL(action, provider.issuer).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ user: '<b>mallory</b>', password: 'x' }).toString(),
    });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('Choose one of the sample users.');
    expect(html).toContain(`action="${action}"`);
  });
});

describe('development upstream provider start', () => {
  const options = (overrides: Partial<Record<keyof DevUpstreamProviderOptions, unknown>>) =>
    ({
      mode: 'development',
      port: 0,
      redirectUris: ['http://127.0.0.1:1/callback'],
      dataDir: join(tmpdir(), 'dev-upstream-provider-never-created'),
      ...overrides,
    }) as DevUpstreamProviderOptions;

  it('refuses to start outside development mode', async () => {
    const start = startDevUpstreamProvider(options({ mode: 'production' }));
    await expect(start).rejects.toBeInstanceOf(DevUpstreamProviderRefusedError);
    await expect(start).rejects.toThrow("only starts with mode: 'development'");
  });

  it('refuses to bind to anything but loopback', async () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.10']) {
      await expect(startDevUpstreamProvider(options({ host }))).rejects.toThrow(
        `only binds to loopback (127.0.0.1, ::1, localhost), not "${host}"`,
      );
    }
  });

  it('refuses to start without redirect URIs, or with one that is not an http(s) URL', async () => {
    await expect(startDevUpstreamProvider(options({ redirectUris: [] }))).rejects.toThrow('at least one redirect URI');
    await expect(startDevUpstreamProvider(options({ redirectUris: ['javascript:alert(1)'] }))).rejects.toThrow(
      'is not an absolute http(s) URL',
    );
  });
});
