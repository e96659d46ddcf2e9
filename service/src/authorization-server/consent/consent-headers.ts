import { CONSENT_STYLE_HASH } from './consent-style.js';

/**
 * Headers of every consent response. The CSP allows no script, no external resource and only our one stylesheet
 * (by hash); `frame-ancestors 'none'` and `X-Frame-Options: DENY` (for browsers without CSP level 2) refuse framing,
 * which is what stops clickjacking of the Approve button. `form-action 'self'`: an injected form cannot post the
 * user's decision elsewhere. `no-store`: the page holds a CSRF token and the user's name. `no-referrer`: the URL
 * carries the interaction id.
 */
export const CONSENT_CONTENT_SECURITY_POLICY = `default-src 'none'; style-src '${CONSENT_STYLE_HASH}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;

/**
 * The headers of the consent form itself. Browsers apply `form-action` to every redirect that follows the post
 * (Chromium does), and the decision ends in a redirect to the client: its redirect URI's origin (or, for a private-use
 * scheme, that scheme) is added, and nothing else. A value that is not a URL adds nothing.
 */
export function consentFormHeaders(redirectUri: string): Readonly<Record<string, string>> {
  const source = formActionSource(redirectUri);
  if (source === undefined) return CONSENT_HEADERS;
  return {
    ...CONSENT_HEADERS,
    'content-security-policy': CONSENT_CONTENT_SECURITY_POLICY.replace(
      "form-action 'self'",
      `form-action 'self' ${source}`,
    ),
  };
}

function formActionSource(redirectUri: string): string | undefined {
  const url = URL.parse(redirectUri);
  if (url === null) return undefined;
  if (url.protocol === 'https:' || url.protocol === 'http:') return url.origin;
  // A private-use scheme is a reverse domain name (RFC 8252 §7.1), so it has a dot; that also keeps out javascript:
  // and data:. Letters, digits, + - . only (a CSP scheme-source), so no quote or space can extend the policy.
  return /^[a-z][a-z0-9+-]*(\.[a-z0-9+-]+)+:$/.test(url.protocol) ? url.protocol : undefined;
}

export const CONSENT_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': CONSENT_CONTENT_SECURITY_POLICY,
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
});
