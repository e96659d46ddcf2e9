import { ClientMetadataError } from './client-metadata-error.js';

/**
 * Loopback hosts whose redirect URIs may differ from the registered one in the port only. RFC 8252 §7.3: a native
 * app listens on whatever port the operating system gives it, so the authorization server "MUST allow any port to be
 * specified at the time of the request for loopback IP redirect URIs" (also OAuth 2.1 §8.4.2). `localhost` is
 * included although RFC 8252 §8.3 calls it NOT RECOMMENDED for clients: MCP clients in the wild register
 * `http://localhost:{port}/callback`, and refusing them would only push users to dynamic registration. The host must
 * still match as written: `localhost` never matches `127.0.0.1` or `[::1]` (each resolves differently on different
 * machines, and a client that registered one did not promise to listen on the others).
 */
const LOOPBACK_REDIRECT_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** A URL whose text is exactly what the WHATWG parser writes, or undefined (so no two spellings of one URL match). */
function canonicalUrl(text: string): URL | undefined {
  if (!URL.canParse(text)) return undefined;
  const url = new URL(text);
  return url.href === text ? url : undefined;
}

function isLoopbackRedirect(url: URL): boolean {
  return (
    url.protocol === 'http:' && LOOPBACK_REDIRECT_HOSTS.has(url.hostname) && url.username === '' && url.password === ''
  );
}

function withoutPort(url: URL): string {
  const copy = new URL(url.href);
  copy.port = '';
  return copy.href;
}

/**
 * Whether a requested redirect_uri is one the client registered. Exact string comparison (OAuth 2.1 §2.3.1,
 * RFC 3986 §6.2.1 simple string comparison), so no prefix matching, no case folding, no percent-decoding and no
 * trailing-slash leniency: every leniency is a way to send the authorization code somewhere the client did not
 * register (the open redirect). The one exception is the port of a loopback redirect URI (see above), and even then
 * both URIs must be canonical and equal in everything but the port.
 */
export function isRedirectUriRegistered(requested: string, registered: readonly string[]): boolean {
  if (registered.includes(requested)) return true;
  const requestedUrl = canonicalUrl(requested);
  if (requestedUrl === undefined || !isLoopbackRedirect(requestedUrl)) return false;
  const requestedWithoutPort = withoutPort(requestedUrl);
  return registered.some((candidate) => {
    const candidateUrl = canonicalUrl(candidate);
    return (
      candidateUrl !== undefined &&
      isLoopbackRedirect(candidateUrl) &&
      withoutPort(candidateUrl) === requestedWithoutPort
    );
  });
}

/** Throws `redirect_uri_not_registered` unless the requested redirect_uri is registered (see above). */
export function assertRedirectUriRegistered(requested: string, registered: readonly string[]): void {
  if (!isRedirectUriRegistered(requested, registered)) {
    throw new ClientMetadataError(
      'redirect_uri_not_registered',
      "The redirect_uri is not one of the redirect_uris in the client's metadata document; it must match exactly.",
    );
  }
}

export { LOOPBACK_REDIRECT_HOSTS };
