import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the misconfigured server gets wrong; every flag off is a server the audit passes. */
export interface Misconfiguration {
  /** `X-Powered-By: Express` on every answer. */
  poweredBy: boolean;
  /** CORS echoing any Origin, with credentials. */
  echoOrigin: boolean;
  /** `?access_token=` accepted like the Authorization header. */
  queryToken: boolean;
  /** A bad JSON body answered 500 with the parser's stack trace. */
  stackTraces: boolean;
  /** Prometheus text at /metrics on the public listener. */
  publicMetrics: boolean;
  /** The rate limit counts HTTP requests, so a batch costs one whatever its size. */
  batchCountsOnce: boolean;
  /** The metadata names another resource than the endpoint. */
  wrongResource: boolean;
  /** No X-Content-Type-Options. */
  noNosniff: boolean;
  /** /mcp answers whatever the Origin. */
  noOriginCheck: boolean;
  /** /mcp answers whatever the Host. */
  noHostCheck: boolean;
  /** Any bearer token is taken (no signature check). */
  acceptsAnyToken: boolean;
  /** No rate limit at all. */
  noRateLimit: boolean;
  /** 429 without Retry-After. */
  noRetryAfter: boolean;
  /** 401 with a bare `Bearer` challenge: no resource_metadata. */
  noChallengeMetadata: boolean;
  /** The authorization server's metadata names another issuer. */
  wrongIssuer: boolean;
  /** A bad token answered 401 without `error="invalid_token"` (RFC 6750 §3.1). */
  noInvalidTokenError: boolean;
  /** /mcp answers without any token. */
  noAuth: boolean;
  /** No token answered 403 (with the challenge) instead of 401. */
  forbiddenWithoutToken: boolean;
  /** `access-control-allow-origin: *` on /mcp. */
  corsWildcard: boolean;
  /** Not a mistake: the token is checked before Host and Origin, so an anonymous probe of those gets 401. */
  tokenCheckFirst: boolean;
}

export const ALL_RIGHT: Misconfiguration = {
  poweredBy: false,
  echoOrigin: false,
  queryToken: false,
  stackTraces: false,
  publicMetrics: false,
  batchCountsOnce: false,
  wrongResource: false,
  noNosniff: false,
  noOriginCheck: false,
  noHostCheck: false,
  acceptsAnyToken: false,
  noRateLimit: false,
  noRetryAfter: false,
  noChallengeMetadata: false,
  wrongIssuer: false,
  noInvalidTokenError: false,
  noAuth: false,
  forbiddenWithoutToken: false,
  corsWildcard: false,
  tokenCheckFirst: false,
};

/** The misconfigurations of the main test: five checks fail, the rest pass. */
export const ALL_WRONG: Misconfiguration = {
  ...ALL_RIGHT,
  poweredBy: true,
  echoOrigin: true,
  queryToken: true,
  stackTraces: true,
  publicMetrics: true,
};

export interface MisconfiguredServer {
  baseUrl: string;
  /** The only token it accepts. */
  token: string;
  /** Calls admitted per caller before 429. */
  limit: number;
  close(): Promise<void>;
}

/**
 * A small MCP-shaped server that does most things right (401 challenge, metadata, Origin and Host checks, 429) and the
 * chosen things wrong, for the audit to catch. Plain node:http, so nothing a framework adds hides a mistake.
 */
export async function startMisconfiguredServer(wrong: Misconfiguration): Promise<MisconfiguredServer> {
  const token = 'good-token-for-the-audit';
  const limit = 6;
  let spent = 0;
  let baseUrl = '';

  const handle = (request: IncomingMessage, response: ServerResponse, body: string) => {
    const url = new URL(request.url ?? '/', baseUrl);
    const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify(value));
    };
    if (!wrong.noNosniff) response.setHeader('x-content-type-options', 'nosniff');
    response.setHeader('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
    if (wrong.poweredBy) response.setHeader('x-powered-by', 'Express');
    const origin = request.headers.origin;
    if (wrong.corsWildcard && url.pathname === '/mcp') response.setHeader('access-control-allow-origin', '*');
    if (wrong.echoOrigin && origin) {
      response.setHeader('access-control-allow-origin', origin);
      response.setHeader('access-control-allow-credentials', 'true');
    }

    const mcpUrl = `${baseUrl}/mcp`;
    if (request.method === 'GET' && url.pathname.startsWith('/.well-known/oauth-protected-resource')) {
      return json(200, {
        resource: wrong.wrongResource ? `${baseUrl}/other` : mcpUrl,
        authorization_servers: [baseUrl],
        bearer_methods_supported: ['header'],
      });
    }
    if (request.method === 'GET' && url.pathname === '/.well-known/oauth-authorization-server') {
      return json(200, {
        issuer: wrong.wrongIssuer ? `${baseUrl}/other` : baseUrl,
        jwks_uri: `${baseUrl}/keys`,
        response_types_supported: ['code'],
      });
    }
    if (request.method === 'GET' && url.pathname === '/metrics' && wrong.publicMetrics) {
      response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      return response.end(
        '# HELP mcp_requests_total Requests.\n# TYPE mcp_requests_total counter\nmcp_requests_total 7\n',
      );
    }
    if (url.pathname !== '/mcp') return json(404, { error: 'not_found' });
    if (request.method !== 'POST') return json(405, { error: 'method_not_allowed' });

    const foreignHost = !wrong.noHostCheck && request.headers.host !== new URL(baseUrl).host;
    const foreignOrigin = !wrong.noOriginCheck && origin !== undefined;
    if (!wrong.tokenCheckFirst && (foreignHost || foreignOrigin)) return json(403, { error: 'forbidden' });
    let message: unknown;
    try {
      message = JSON.parse(body);
    } catch (error) {
      if (wrong.stackTraces) {
        response.writeHead(500, { 'content-type': 'text/plain' });
        return response.end((error as Error).stack);
      }
      return json(400, { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } });
    }
    const presented =
      /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ??
      (wrong.queryToken ? (url.searchParams.get('access_token') ?? undefined) : undefined);
    const challenge = wrong.noChallengeMetadata
      ? 'Bearer realm="mcp"'
      : `Bearer resource_metadata="${baseUrl}/.well-known/oauth-protected-resource/mcp"`;
    if (presented === undefined && !wrong.noAuth) {
      return json(
        wrong.forbiddenWithoutToken ? 403 : 401,
        { error: 'unauthorized' },
        { 'www-authenticate': challenge },
      );
    }
    if (presented !== undefined && presented !== token && !wrong.acceptsAnyToken && !wrong.noAuth) {
      const error = wrong.noInvalidTokenError ? '' : ', error="invalid_token"';
      return json(401, { error: 'invalid_token' }, { 'www-authenticate': `${challenge}${error}` });
    }
    if (foreignHost || foreignOrigin) return json(403, { error: 'forbidden' });
    const cost = Array.isArray(message) && !wrong.batchCountsOnce ? message.length : 1;
    if (!wrong.noRateLimit && spent + cost > limit) {
      const retryAfter: Record<string, string> = wrong.noRetryAfter ? {} : { 'retry-after': '60' };
      return json(429, { error: 'rate limited' }, { ...retryAfter, 'ratelimit-limit': String(limit) });
    }
    spent += cost;
    const answer = (m: { id?: unknown }) => ({ jsonrpc: '2.0', id: m.id ?? null, result: { tools: [] } });
    return json(200, Array.isArray(message) ? message.map(answer) : answer(message as { id?: unknown }), {
      'ratelimit-limit': String(limit),
    });
  };

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => handle(request, response, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    token,
    limit,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
