/**
 * Matching a requested redirect_uri against the registered ones: exact, except the port of a loopback redirect
 * (RFC 8252 §7.3). Every other near-miss is an open redirect attempt and must fail.
 */
import { describe, expect, it } from 'vitest';
import { ClientMetadataError } from '../../../src/authorization-server/client-metadata/client-metadata-error.js';
import {
  assertRedirectUriRegistered,
  isRedirectUriRegistered,
} from '../../../src/authorization-server/client-metadata/redirect-uri.js';

const REGISTERED = [
  'https://app.example.com/callback',
  'https://app.example.com/cb?tenant=a',
  'http://127.0.0.1/callback',
  'http://[::1]:8080/callback',
  'http://localhost:3000/oauth/callback',
  'com.example.app:/oauth2redirect',
];

describe('redirect URI matching', () => {
  it.each(REGISTERED)('matches the registered %s exactly', (uri) => {
    expect(isRedirectUriRegistered(uri, REGISTERED)).toBe(true);
  });

  it.each([
    'http://127.0.0.1:53124/callback',
    'http://127.0.0.1:1/callback',
    'http://[::1]/callback',
    'http://[::1]:65535/callback',
    'http://localhost:49152/oauth/callback',
    'http://localhost/oauth/callback',
  ])('lets a loopback redirect use any port: %s', (uri) => {
    expect(isRedirectUriRegistered(uri, REGISTERED)).toBe(true);
  });

  it.each([
    ['another host', 'https://evil.example.com/callback'],
    ['a subdomain', 'https://evil.app.example.com/callback'],
    ['a suffix host', 'https://app.example.com.evil.com/callback'],
    ['another path', 'https://app.example.com/other'],
    ['a longer path (prefix match)', 'https://app.example.com/callback/evil'],
    ['a path traversal', 'https://app.example.com/callback/../evil'],
    ['an added query', 'https://app.example.com/callback?next=https://evil.com'],
    ['a changed query', 'https://app.example.com/cb?tenant=b'],
    ['a dropped query', 'https://app.example.com/cb'],
    ['a fragment', 'https://app.example.com/callback#x'],
    ['a trailing slash', 'https://app.example.com/callback/'],
    ['an upper-case path', 'https://app.example.com/CALLBACK'],
    ['an upper-case host', 'https://APP.example.com/callback'],
    ['a percent-encoded path', 'https://app.example.com/%63allback'],
    ['an explicit default port', 'https://app.example.com:443/callback'],
    ['another port on https', 'https://app.example.com:8443/callback'],
    ['http instead of https', 'http://app.example.com/callback'],
    ['userinfo naming the registered host', 'https://app.example.com@evil.com/callback'],
    ['userinfo on a loopback redirect', 'http://127.0.0.1:5000@evil.com/callback'],
    ['credentials on a loopback redirect', 'http://user@127.0.0.1:5000/callback'],
    ['a loopback redirect with another path', 'http://127.0.0.1:5000/callback/evil'],
    ['a loopback redirect with a query', 'http://127.0.0.1:5000/callback?x=1'],
    ['a loopback redirect over https', 'https://127.0.0.1:5000/callback'],
    ['a non-canonical loopback address', 'http://127.1:5000/callback'],
    ['another loopback address', 'http://127.0.0.2:5000/callback'],
    ['localhost for a registered 127.0.0.1', 'http://localhost:5000/callback'],
    ['127.0.0.1 for a registered localhost', 'http://127.0.0.1:5000/oauth/callback'],
    ['a loopback dot segment', 'http://127.0.0.1:5000/x/../callback'],
    ['an encoded loopback path', 'http://127.0.0.1:5000/%63allback'],
    ['another private-use path', 'com.example.app:/evil'],
    ['an empty string', ''],
    ['not a URL', 'callback'],
  ])('refuses %s: %s', (_name, uri) => {
    expect(isRedirectUriRegistered(uri, REGISTERED)).toBe(false);
  });

  it('keeps the loopback host as written: ::1, 127.0.0.1 and localhost never stand in for one another', () => {
    expect(isRedirectUriRegistered('http://[::1]:5000/callback', ['http://127.0.0.1/callback'])).toBe(false);
    expect(isRedirectUriRegistered('http://127.0.0.1:5000/callback', ['http://[::1]/callback'])).toBe(false);
    expect(isRedirectUriRegistered('http://localhost:5000/callback', ['http://[::1]/callback'])).toBe(false);
  });

  it('does not let a loopback port variant match a non-loopback registration', () => {
    expect(isRedirectUriRegistered('http://app.example.com:8080/callback', ['http://app.example.com/callback'])).toBe(
      false,
    );
  });

  it('throws redirect_uri_not_registered with a message that says why', () => {
    expect(() => assertRedirectUriRegistered('https://evil.example.com/callback', REGISTERED)).toThrow(
      ClientMetadataError,
    );
    try {
      assertRedirectUriRegistered('https://evil.example.com/callback', REGISTERED);
    } catch (error) {
      expect((error as ClientMetadataError).code).toBe('redirect_uri_not_registered');
      expect((error as ClientMetadataError).message).toMatch(/match exactly/);
    }
    expect(() => assertRedirectUriRegistered('http://127.0.0.1:4000/callback', REGISTERED)).not.toThrow();
  });
});
