import type { FastifyReply, FastifyRequest, preValidationAsyncHookHandler } from 'fastify';
import { MAX_BATCH_MESSAGES } from './json-rpc-batch.js';
import { INVALID_REQUEST, jsonRpcError } from './json-rpc-errors.js';

/**
 * Deeper than any real MCP message (a tool call's arguments sit at depth 3), and far below the depth at which the
 * recursive code after us (JSON.stringify in the SDK's Node adapter, scope and schema walks) overflows the stack:
 * about 4 000 levels here, which a 1 MiB body can exceed a hundred times over.
 */
export const MAX_JSON_DEPTH = 64;

/** Whether a parsed JSON value nests objects or arrays deeper than `max`; iterative, so the check cannot overflow. */
export function jsonNestsDeeperThan(value: unknown, max: number): boolean {
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 1 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (typeof next.value !== 'object' || next.value === null) continue;
    if (next.depth > max) return true;
    for (const child of Object.values(next.value)) pending.push({ value: child, depth: next.depth + 1 });
  }
  return false;
}

/** The id of a single request, to echo on its error; null for a batch or when there is none to read. */
function requestIdOf(body: unknown): string | number | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const { id } = body as { id?: unknown };
  return typeof id === 'string' || typeof id === 'number' ? id : null;
}

export interface JsonRpcShapeLimitsOptions {
  /** Told the size of every batch received (the mcp_jsonrpc_batch_messages histogram); none when absent. */
  onBatch?: (messages: number) => void;
}

/**
 * Refuses, before the token check and the rate limiter, the bodies the MCP layer cannot serve: a batch over
 * MAX_BATCH_MESSAGES, and JSON nested deeper than MAX_JSON_DEPTH (which used to overflow the stack and answer a bare
 * 500). Both as JSON-RPC Invalid Request errors with a reference, never a stack.
 */
export function jsonRpcShapeLimits(options: JsonRpcShapeLimitsOptions = {}): preValidationAsyncHookHandler {
  const refuse = (request: FastifyRequest, reply: FastifyReply, reason: string, message: string) => {
    request.log.info({ refused: reason }, 'request refused: message shape');
    return reply
      .code(400)
      .send(jsonRpcError(INVALID_REQUEST, `${message} Reference: ${request.id}.`, requestIdOf(request.body)));
  };

  return async function jsonRpcShapeLimitsHook(request, reply) {
    const body = request.body;
    if (Array.isArray(body)) {
      options.onBatch?.(body.length);
      if (body.length > MAX_BATCH_MESSAGES) {
        return refuse(
          request,
          reply,
          'batch_too_large',
          `Invalid Request: a batch may carry at most ${MAX_BATCH_MESSAGES} messages (this one has ${body.length}); send it in parts.`,
        );
      }
    }
    if (jsonNestsDeeperThan(body, MAX_JSON_DEPTH)) {
      return refuse(
        request,
        reply,
        'nested_too_deep',
        `Invalid Request: the message nests deeper than ${MAX_JSON_DEPTH} levels.`,
      );
    }
  };
}
