import { CONSENT_STYLE_HASH } from './consent-style.js';

/**
 * Headers of every consent response. The CSP allows no script, no external resource and only our one stylesheet
 * (by hash); `frame-ancestors 'none'` and `X-Frame-Options: DENY` (for browsers without CSP level 2) refuse framing,
 * which is what stops clickjacking of the Approve button. `form-action 'self'`: an injected form cannot post the
 * user's decision elsewhere. `no-store`: the page holds a CSRF token and the user's name. `no-referrer`: the URL
 * carries the interaction id.
 */
export const CONSENT_CONTENT_SECURITY_POLICY = `default-src 'none'; style-src '${CONSENT_STYLE_HASH}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;

export const CONSENT_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': CONSENT_CONTENT_SECURITY_POLICY,
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
});
