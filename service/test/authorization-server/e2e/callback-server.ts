import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The client's redirect URI as a real loopback page (RFC 8252 §7.3): the browser lands here with the code. */
export interface CallbackServer {
  /** http://127.0.0.1:<port>/callback */
  uri: string;
  /** Every URL the browser was sent to, in order. */
  received: URL[];
  /** Resolves with the next callback URL that arrives after this call (or one that arrived unclaimed before it). */
  nextCallback(): Promise<URL>;
  close(): Promise<void>;
}

export async function startCallbackServer(): Promise<CallbackServer> {
  const received: URL[] = [];
  let claimed = 0;
  const waiting: Array<(url: URL) => void> = [];
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', uri);
    if (url.pathname !== '/callback') return void response.writeHead(404).end();
    received.push(url);
    const waiter = waiting.shift();
    if (waiter !== undefined) {
      claimed++;
      waiter(url);
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end('<!doctype html><title>Signed in</title><h1>Signed in</h1><p>You can close this window.</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const uri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;
  return {
    uri,
    received,
    nextCallback() {
      if (claimed < received.length) return Promise.resolve(received[claimed++] as URL);
      return new Promise<URL>((resolve) => waiting.push(resolve));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
