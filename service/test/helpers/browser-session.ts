import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

interface StoredCookie {
  name: string;
  value: string;
  path: string;
}

/**
 * What a browser does in the sign-in: keep cookies and follow redirects by hand, so a test can stop at the redirect
 * to the client. Cookies are kept per name and path and sent only under their path (RFC 6265 §5.1.4, §5.4), as a
 * browser does: oidc-provider scopes its interaction cookie to `/…/interaction/<uid>`, and a request outside that
 * path must not carry it. Hosts are not told apart: every server of these tests is on 127.0.0.1, and cookies ignore
 * ports.
 */
export class BrowserSession {
  private readonly cookies = new Map<string, StoredCookie>();

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const path = new URL(url).pathname;
    const sent = [...this.cookies.values()]
      .filter((cookie) => pathMatches(path, cookie.path))
      // RFC 6265 §5.4: longer paths first.
      .sort((a, b) => b.path.length - a.path.length);
    if (sent.length > 0) headers.set('cookie', sent.map((cookie) => `${cookie.name}=${cookie.value}`).join('; '));
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const header of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = header.split(';');
      const separator = pair.indexOf('=');
      const name = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1).trim();
      const pathAttribute = attributes.map((attribute) => attribute.trim()).find((a) => /^path=/i.test(a));
      const cookiePath = pathAttribute?.slice('path='.length) || defaultPath(path);
      const key = `${name} ${cookiePath}`;
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(header)) this.cookies.delete(key);
      else this.cookies.set(key, { name, value, path: cookiePath });
    }
    return response;
  }

  /** GETs `url` and follows redirects until a page, or a redirect to `stopAt` (returned as its URL). */
  async follow(
    url: string,
    stopAt: string,
    first?: Promise<Response>,
  ): Promise<{ page?: Response; redirect?: string }> {
    let response = await (first ?? this.request(url));
    let current = url;
    for (let hops = 0; hops < 10; hops++) {
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || location === null) return { page: response };
      current = new URL(location, current).href;
      if (current.startsWith(stopAt)) return { redirect: current };
      response = await this.request(current);
    }
    throw new Error(`more than 10 redirects from ${url}`);
  }

  forget(): void {
    this.cookies.clear();
  }
}

/** RFC 6265 §5.1.4: the cookie path is a prefix of the request path ending at a `/` boundary. */
function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}

/** RFC 6265 §5.1.4: without a Path attribute, the request path up to its last `/`. */
function defaultPath(requestPath: string): string {
  const last = requestPath.lastIndexOf('/');
  return last <= 0 ? '/' : requestPath.slice(0, last);
}

/** The client's redirect URI: a tiny server that records the URLs it was sent to. */
export interface RedirectTarget {
  uri: string;
  received: string[];
  close(): Promise<void>;
}

export async function startRedirectTarget(): Promise<RedirectTarget> {
  const received: string[] = [];
  const server: Server = createServer((request, response) => {
    received.push(new URL(request.url ?? '/', uri).href);
    response.writeHead(200, { 'content-type': 'text/plain' }).end('signed in');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const uri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;
  return {
    uri,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
