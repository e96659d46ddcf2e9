/**
 * A TCP proxy in front of the test issuer, on a port of its own that stays the same across faults, so the service's
 * JWKS URL can point at it while a test takes the issuer away:
 * - `forward`: the issuer answers through it;
 * - `down`: nothing listens on the port (connection refused, as when the identity provider is unreachable);
 * - `hung`: connections are accepted and never answered (a black-holed network or a stuck server).
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { freePort } from '../helpers/free-port.js';

const REQUEST_LINE = /^[A-Z]+ \S/;

export type IssuerProxyMode = 'forward' | 'down' | 'hung';

export interface IssuerEndpointProxy {
  /** http://127.0.0.1:<port>: the issuer's paths work under it (e.g. `${baseUrl}/keys`). */
  readonly baseUrl: string;
  /** HTTP requests received so far (in `forward` and `hung` mode): each JWKS fetch is one. */
  readonly requests: number;
  /** Connections with a request still open: in `hung` mode, fetches waiting for an answer that never comes. */
  readonly waitingRequests: number;
  setMode(mode: IssuerProxyMode): Promise<void>;
  close(): Promise<void>;
}

/** Forwards to the issuer at `issuerBaseUrl`, listening on `port` (a free one when not given). */
export async function startIssuerEndpointProxy(issuerBaseUrl: string, port?: number): Promise<IssuerEndpointProxy> {
  const target = new URL(issuerBaseUrl);
  const listenPort = port ?? (await freePort());
  const sockets = new Set<Socket>();
  const waiting = new Set<Socket>();
  let mode: IssuerProxyMode = 'forward';
  let requests = 0;
  let server: Server | undefined;

  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };

  const listen = async () => {
    const listening = createServer((client) => {
      track(client);
      // Counted by what arrives, not by connections: Node's fetch opens a spare connection after an aborted request.
      client.on('data', (chunk: Buffer) => {
        if (REQUEST_LINE.test(chunk.subarray(0, 16).toString('latin1'))) {
          requests += 1;
          waiting.add(client);
        }
      });
      client.on('close', () => waiting.delete(client));
      if (mode === 'hung') return;
      const upstream = createConnection({ host: target.hostname, port: Number(target.port) });
      track(upstream);
      client.pipe(upstream).pipe(client);
      upstream.on('close', () => client.destroy());
      client.on('close', () => upstream.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      listening.once('error', reject);
      listening.listen(listenPort, '127.0.0.1', () => resolve());
    });
    server = listening;
  };

  const stopListening = async () => {
    const closing = server;
    server = undefined;
    for (const socket of sockets) socket.destroy();
    if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
  };

  await listen();
  return {
    baseUrl: `http://127.0.0.1:${listenPort}`,
    get requests() {
      return requests;
    },
    get waitingRequests() {
      return mode === 'hung' ? waiting.size : 0;
    },
    async setMode(next) {
      if (next === mode) return;
      mode = next;
      // Whatever was open belonged to the previous mode (keep-alive sockets included): cut it.
      for (const socket of sockets) socket.destroy();
      if (next === 'down') await stopListening();
      else if (server === undefined) await listen();
    },
    close: stopListening,
  };
}
