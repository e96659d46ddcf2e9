import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MCP_SCOPES } from '../contract.js';
import { loadOrCreateDevSigningKey } from './dev-signing-key.js';
import { type MintClaims, mintDevAccessToken } from './dev-token-minter.js';
import { DEV_LOOPBACK_HOSTS, urlHost } from './loopback.js';

export type { MintClaims } from './dev-token-minter.js';

export interface DevIssuerOptions {
  /** Must be spelled out: a development issuer mints any token asked for, so it never starts by default. */
  mode: 'development';
  /** Loopback only: 127.0.0.1, ::1 or localhost. */
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Holds the signing key (created on first use, mode 0600). */
  dataDir: string;
}

export interface DevIssuer {
  issuer: string;
  jwksUrl: string;
  mintAccessToken(claims: MintClaims): Promise<string>;
  close(): Promise<void>;
}

export class DevIssuerRefusedError extends Error {
  readonly code = 'dev_issuer_refused';
  constructor(message: string) {
    super(message);
    this.name = 'DevIssuerRefusedError';
  }
}

const JWKS_PATH = '/jwks.json';

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'access-control-allow-origin': '*',
  });
  response.end(JSON.stringify(body));
}

/**
 * A token issuer for local development and tests: serves issuer metadata (OIDC discovery and RFC 8414) and its JWKS
 * over plain HTTP on loopback, and mints access tokens in-process. It has no authorize or token endpoint: tokens come
 * from `mintAccessToken` or `npm run token`.
 */
export async function startDevIssuer(options: DevIssuerOptions): Promise<DevIssuer> {
  // Checked at run time too: a cast or a JavaScript caller must not get a token mint outside development.
  if (options.mode !== 'development') {
    throw new DevIssuerRefusedError("The development issuer only starts with mode: 'development'");
  }
  if (!DEV_LOOPBACK_HOSTS.has(options.host)) {
    throw new DevIssuerRefusedError(
      `The development issuer only binds to loopback (127.0.0.1, ::1, localhost), not "${options.host}"`,
    );
  }
  const key = await loadOrCreateDevSigningKey(options.dataDir);

  let metadata: Record<string, unknown> = {};
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('allow', 'GET, HEAD');
      sendJson(response, 405, { error: 'method_not_allowed' });
      return;
    }
    const path = new URL(request.url ?? '/', 'http://dev-issuer').pathname;
    switch (path) {
      case '/.well-known/openid-configuration':
      case '/.well-known/oauth-authorization-server':
        sendJson(response, 200, metadata);
        return;
      case JWKS_PATH:
        sendJson(response, 200, { keys: [key.publicJwk] });
        return;
      default:
        sendJson(response, 404, { error: 'not_found' });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  const { port } = server.address() as AddressInfo;
  const issuer = `http://${urlHost(options.host)}:${port}`;
  const jwksUrl = `${issuer}${JWKS_PATH}`;
  metadata = {
    issuer,
    jwks_uri: jwksUrl,
    scopes_supported: Object.values(MCP_SCOPES),
    response_types_supported: [],
    grant_types_supported: [],
    token_endpoint_auth_methods_supported: ['none'],
    id_token_signing_alg_values_supported: [key.alg],
    subject_types_supported: ['public'],
  };

  return {
    issuer,
    jwksUrl,
    mintAccessToken: (claims) => mintDevAccessToken(key, issuer, claims),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
