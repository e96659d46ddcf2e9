import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentFormHeaders } from '../../../src/authorization-server/consent/consent-headers.js';
import { CONSENT_STYLE_HASH } from '../../../src/authorization-server/consent/consent-style.js';
import {
  buildConsentTestApp,
  type ConsentTestApp,
  createMemoryConsentStore,
  csrfTokenOf,
  formBody,
} from './consent-test-app.js';

const EXPECTED_HEADERS = {
  'content-security-policy': `default-src 'none'; style-src '${CONSENT_STYLE_HASH}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'content-type': 'text/html; charset=utf-8',
};

describe('consent response headers', () => {
  let target: ConsentTestApp;
  beforeAll(async () => {
    target = await buildConsentTestApp(createMemoryConsentStore());
  });
  afterAll(async () => {
    await target.app.close();
  });

  it('the style hash is a SHA-256 of 32 bytes', () => {
    expect(CONSENT_STYLE_HASH).toMatch(/^sha256-[A-Za-z0-9+/]{43}=$/);
  });

  it("the consent form carries the exact CSP, with the client's redirect origin as its only other form target", async () => {
    const response = await target.app.inject({ method: 'GET', url: '/interaction-1/consent' });
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({
      ...EXPECTED_HEADERS,
      'content-security-policy': EXPECTED_HEADERS['content-security-policy'].replace(
        "form-action 'self'",
        "form-action 'self' https://app.example.net",
      ),
    });
  });

  it.each([
    ['http://127.0.0.1:43111/callback', "form-action 'self' http://127.0.0.1:43111;"],
    ['com.example.app:/oauth/callback', "form-action 'self' com.example.app:;"],
    ['not a url', "form-action 'self';"],
    ["javascript:alert('x')", "form-action 'self';"],
    ['data:text/html,x', "form-action 'self';"],
  ])('the form target for redirect URI %s is %s', (redirectUri, expected) => {
    expect(consentFormHeaders(redirectUri)['content-security-policy']).toContain(expected);
  });

  it.each([
    ['an unknown interaction (404)', 'GET', '/nope/consent', undefined, 404],
    ['a post without CSRF token (403)', 'POST', '/interaction-1/consent', formBody({ decision: 'approve' }), 403],
  ])('%s carries the same headers', async (_name, method, url, payload, status) => {
    const response = await target.app.inject({
      method: method as 'GET' | 'POST',
      url,
      payload,
      headers: payload ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
    });
    expect(response.statusCode).toBe(status);
    expect(response.headers).toMatchObject(EXPECTED_HEADERS);
  });

  it('the page after a decision carries the same headers, and a redirect carries them too', async () => {
    const page = await target.app.inject({ method: 'GET', url: '/interaction-1/consent' });
    const token = csrfTokenOf(page.body);
    const done = await target.app.inject({
      method: 'POST',
      url: '/interaction-1/consent',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: formBody({ csrf_token: token, decision: 'deny' }),
    });
    expect(done.statusCode).toBe(200);
    expect(done.headers).toMatchObject(EXPECTED_HEADERS);

    target.redirectTo = '/after-consent';
    try {
      const redirected = await target.app.inject({
        method: 'POST',
        url: '/interaction-1/consent',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: formBody({ csrf_token: token, decision: 'deny' }),
      });
      expect(redirected.statusCode).toBe(303);
      expect(redirected.headers.location).toBe('/after-consent');
      expect(redirected.headers['cache-control']).toBe('no-store');
    } finally {
      target.redirectTo = undefined;
    }
  });
});
