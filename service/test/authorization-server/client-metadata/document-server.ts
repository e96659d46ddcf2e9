import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { ClientMetadataError } from '../../../src/authorization-server/client-metadata/client-metadata-error.js';

/** A throwaway CA and a server certificate for `client.test` and the loopback addresses, made with openssl. */
export interface TestCertificates {
  readonly ca: string;
  readonly key: string;
  readonly cert: string;
}

export function createTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'cimd-tls-'));
  const at = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  try {
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    openssl(
      'req',
      '-x509',
      ...ec,
      '-keyout',
      at('ca.key'),
      '-out',
      at('ca.pem'),
      '-days',
      '1',
      '-subj',
      '/CN=cimd test CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign',
    );
    openssl('req', ...ec, '-keyout', at('leaf.key'), '-out', at('leaf.csr'), '-subj', '/CN=client.test');
    writeFileSync(
      at('leaf.ext'),
      'subjectAltName=DNS:client.test,DNS:localhost,IP:127.0.0.1,IP:127.0.0.2\nextendedKeyUsage=serverAuth\n',
    );
    openssl(
      'x509',
      '-req',
      '-in',
      at('leaf.csr'),
      '-CA',
      at('ca.pem'),
      '-CAkey',
      at('ca.key'),
      '-CAcreateserial',
      '-out',
      at('leaf.pem'),
      '-days',
      '1',
      '-extfile',
      at('leaf.ext'),
    );
    return {
      ca: readFileSync(at('ca.pem'), 'utf8'),
      key: readFileSync(at('leaf.key'), 'utf8'),
      cert: readFileSync(at('leaf.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export type Route = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * An HTTPS server answering per path, counting TCP connections and requests, so a test can prove that a refused
 * fetch never connected and that a pinned fetch went to this server and not another.
 */
export interface DocumentServer {
  readonly routes: Map<string, Route>;
  readonly connections: () => number;
  readonly requests: () => number;
  /** Host headers of the requests received. */
  readonly hosts: string[];
  close(): Promise<void>;
}

export async function startDocumentServer(certificates: TestCertificates, host: string, port: number) {
  const routes = new Map<string, Route>();
  const hosts: string[] = [];
  let connections = 0;
  let requests = 0;
  const server: Server = createServer({ key: certificates.key, cert: certificates.cert }, (request, response) => {
    requests++;
    hosts.push(request.headers.host ?? '');
    const route = routes.get(request.url ?? '');
    if (route) return route(request, response);
    response.writeHead(404).end();
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const documentServer: DocumentServer = {
    routes,
    connections: () => connections,
    requests: () => requests,
    hosts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return documentServer;
}

/** Answers JSON with the given headers. */
export function json(body: unknown, headers: Record<string, string> = {}): Route {
  return (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  };
}

/** The ClientMetadataError a promise rejects with (the test fails if it resolves or rejects with anything else). */
export async function failureOf(promise: Promise<unknown>): Promise<ClientMetadataError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ClientMetadataError);
  return error as ClientMetadataError;
}
