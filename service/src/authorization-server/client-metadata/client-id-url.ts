import { ClientMetadataError, type ClientMetadataMode } from './client-metadata-error.js';

/** Long enough for any sensible document URL, short enough that a client id cannot be used to stuff logs. */
const MAX_CLIENT_ID_LENGTH = 2_048;

/** Hosts that name this machine; `http` client ids are allowed for them in development only. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname);
}

function refuse(why: string): never {
  throw new ClientMetadataError('invalid_client_id_url', `The client_id URL is not acceptable: ${why}.`);
}

/**
 * Checks a client id against the rules of draft-ietf-oauth-client-id-metadata-document §3 (Client Identifier URL):
 * the `https` scheme, a path component, no single-dot or double-dot path segments, no fragment, no username or
 * password. The draft says a query string SHOULD NOT be used; it is refused here, so that one document has one
 * client id. The URL must also already be in the form the WHATWG parser writes it (lower-case scheme and host, no
 * default port): the draft compares the document's `client_id` to the URL by simple string comparison, so a client
 * id with two spellings would make that comparison depend on which spelling was fetched.
 * In development an `http` client id is allowed on a loopback host, as the local mode asks, and nowhere else.
 */
export function parseClientIdUrl(clientId: string, mode: ClientMetadataMode): URL {
  if (clientId.length > MAX_CLIENT_ID_LENGTH) refuse(`longer than ${MAX_CLIENT_ID_LENGTH} characters`);
  if (!URL.canParse(clientId)) refuse('not an absolute URL');
  const url = new URL(clientId);
  if (url.protocol !== 'https:') {
    const allowedHttp = mode === 'development' && url.protocol === 'http:' && isLoopbackHost(url.hostname);
    if (!allowedHttp) {
      refuse(
        mode === 'development' ? 'it must use https (or http on a loopback host in development)' : 'it must use https',
      );
    }
  }
  if (url.username !== '' || url.password !== '') refuse('it must not contain credentials');
  if (clientId.includes('#')) refuse('it must not contain a fragment');
  if (clientId.includes('?')) refuse('it must not contain a query string');
  const rawPath = clientId.slice(clientId.indexOf('//') + 2).replace(/^[^/]*/, '');
  if (/(^|\/)(\.|%2e){1,2}(\/|$)/i.test(rawPath)) refuse('it must not contain "." or ".." path segments');
  if (url.pathname === '/' || url.pathname === '') refuse('it must have a path (the location of the document)');
  if (url.href !== clientId) refuse(`it must be written in canonical form (${url.href})`);
  return url;
}
