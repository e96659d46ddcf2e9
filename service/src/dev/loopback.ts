/**
 * The development servers (issuer, upstream provider) mint tokens for anyone who asks: they bind to these hosts only,
 * so nothing beyond this machine can reach them.
 */
export const DEV_LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', '::1', 'localhost']);

/** The host as it appears in a URL (an IPv6 address in brackets). */
export function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
