/**
 * The part of a URI the consent page names as "where": the host (with a non-default port) for http(s); for a
 * private-use redirect scheme (RFC 8252 §7.1, `com.example.app:/callback`) there is no host, so the scheme is shown.
 * A value that is not a URI is shown as given (escaped by the page), never guessed at.
 */
export function displayHost(uri: string): string {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return uri;
  }
  if (url.host !== '') return url.host;
  return url.protocol.replace(/:$/, '');
}
