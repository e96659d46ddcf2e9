import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';

/** The SDK's own answer to a refused Origin (JSON-RPC error, no id), kept so clients see no difference. */
const FORBIDDEN_ORIGIN = -32000;

/** The serialized origin (scheme://host[:port], lowercase, default port dropped), or undefined when not one. */
function originOf(value: string): string | undefined {
  try {
    const origin = new URL(value).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

/**
 * An onRequest hook that lets a browser request through only when its Origin is one of the allowed origins, compared
 * as whole origins: scheme, host and port. The SDK's originValidation compares hostnames only, so
 * `http://app.example.com:8080` passed where only `https://app.example.com` was allowed: another scheme or port is
 * another origin (another server, or the same host without TLS). Requests without an Origin header (non-browser
 * clients) pass; CORS (@fastify/cors) compares the same list exactly.
 */
export function exactOriginValidation(allowedOrigins: readonly string[]): onRequestAsyncHookHandler {
  const allowed = new Set(allowedOrigins.map((origin) => originOf(origin) ?? origin));
  return async function originValidation(request: FastifyRequest, reply: FastifyReply) {
    const header = request.headers.origin;
    if (header === undefined || header === '') return;
    const origin = originOf(header);
    if (origin !== undefined && allowed.has(origin)) return;
    const message = origin === undefined ? 'Invalid Origin header' : `Invalid Origin: ${origin}`;
    return reply.code(403).send({ jsonrpc: '2.0', error: { code: FORBIDDEN_ORIGIN, message }, id: null });
  };
}
