/**
 * Headers of every page this provider renders. No script at all; the form may post only to this provider, and the
 * redirects that follow a post may only lead to the registered redirect URIs' origins (browsers apply form-action
 * to the redirects after a form submission too).
 */
export function htmlHeaders(redirectOrigins: ReadonlySet<string>): Record<string, string> {
  const formAction = ["'self'", ...redirectOrigins].join(' ');
  return {
    'content-security-policy': `default-src 'none'; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
}
