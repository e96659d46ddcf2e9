import { createServer, type Server } from 'node:http';
import { type AddressInfo, isIPv4, isIPv6 } from 'node:net';
import type { Registry } from 'prom-client';
import { PATHS } from '../contract.js';

export interface MetricsServer {
  /** e.g. http://127.0.0.1:9464 (the actual port when 0 was asked for). */
  readonly address: string;
  close(): Promise<void>;
}

export interface MetricsServerOptions {
  registry: Registry;
  /** Bind address (METRICS_HOST): all interfaces in the pod, where Prometheus scrapes the pod IP; loopback in dev. */
  host: string;
  port: number;
  /** A scrape that failed to collect (the scraper only sees a 500). */
  onCollectError?: (error: unknown) => void;
}

const HOST_HEADER = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::\d{1,5})?$/;

/**
 * Whether a Host header names this listener by address: an IP literal (Prometheus scrapes the pod IP) or localhost.
 * A page that rebinds its own DNS name to this address (DNS rebinding) always sends that name, so it is refused
 * before anything is read; a name Prometheus might use instead is not needed, since it scrapes endpoints by IP.
 */
export function isScrapeHost(host: string | undefined): boolean {
  const match = HOST_HEADER.exec(host ?? '');
  if (!match) return false;
  const [, bracketed, plain] = match;
  if (bracketed !== undefined) return isIPv6(bracketed);
  return plain !== undefined && (isIPv4(plain) || plain.toLowerCase() === 'localhost');
}

/**
 * The Prometheus scrape endpoint on a listener of its own: the gateway routes only to the service port, so
 * metrics (route names, pool sizes, process internals) can never be reached from outside the cluster network.
 * A plain node:http server: one GET route needs no framework, and it stays up while the service port drains.
 */
export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const { registry } = options;
  const server = createServer((request, response) => {
    if (!isScrapeHost(request.headers.host)) {
      response
        .writeHead(403, { 'content-type': 'text/plain; charset=utf-8' })
        .end('Metrics answer only requests addressed to an IP address or localhost.\n');
      return;
    }
    const path = (request.url ?? '').split('?')[0];
    if (path !== PATHS.metrics) {
      response
        .writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
        .end(`Metrics are at ${PATHS.metrics}.\n`);
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end();
      return;
    }
    registry.metrics().then(
      (body) => {
        response.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
        response.end(request.method === 'HEAD' ? undefined : body);
      },
      (error: unknown) => {
        options.onCollectError?.(error);
        response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('Metrics collection failed.\n');
      },
    );
  });

  await listen(server, options.port, options.host);
  const bound = server.address() as AddressInfo;
  const host = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
  return {
    address: `http://${host}:${bound.port}`,
    close: () => closeServer(server),
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // close() waits for open connections; a scraper's idle keep-alive connection would hold it until its timeout.
    server.closeIdleConnections();
  });
}
