import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

/** A JSON-RPC error body; id null unless the request's own id could be read (JSON-RPC 2.0 §5). */
export function jsonRpcError(code: number, message: string, id: string | number | null = null) {
  return { jsonrpc: '2.0' as const, id, error: { code, message } };
}

const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;
const INTERNAL_ERROR = -32603;

/**
 * Errors raised before the MCP layer (body parsing, size, media type) answered in JSON-RPC shape, so an MCP
 * client can read them; never with internal messages or stacks.
 */
export function mcpErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode ?? 500;
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      reply.code(400).send(jsonRpcError(PARSE_ERROR, 'Parse error: the body is not valid JSON.'));
      return;
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      reply.code(413).send(jsonRpcError(INVALID_REQUEST, 'Request body too large.'));
      return;
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      reply.code(415).send(jsonRpcError(INVALID_REQUEST, 'Unsupported Content-Type: send application/json.'));
      return;
  }
  if (status >= 500) {
    request.log.error({ err: error }, 'request failed');
    reply.code(500).send(jsonRpcError(INTERNAL_ERROR, `Internal error. Reference: ${request.id}.`));
    return;
  }
  reply.code(status).send(jsonRpcError(INVALID_REQUEST, error.message));
}

/** The same policy for every other route: a code and a safe message. */
export function httpErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode ?? 500;
  if (status >= 500) {
    request.log.error({ err: error }, 'request failed');
    reply.code(500).send({ error: 'internal_error', message: `Internal error. Reference: ${request.id}.` });
    return;
  }
  reply.code(status).send({ error: error.code ?? 'bad_request', message: error.message });
}
