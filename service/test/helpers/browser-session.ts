import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What a browser does in the sign-in: keep cookies (by name only; the provider's cookie paths do not overlap in
 * name) and follow redirects by hand, so a test can stop at the redirect to the client.
 */
export class BrowserSession {
  private readonly cookies = new Map<string, string>();

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) {
      headers.set('cookie', [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    }
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const separator = pair.indexOf('=');
      const name = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(cookie)) this.cookies.delete(name);
      else this.cookies.set(name, value);
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
