import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { jsonRpcMessageCount } from '../http/json-rpc-batch.js';
import { jsonRpcError } from '../http/json-rpc-errors.js';
import type { RateLimitDecision, RequestRateLimiter } from './rate-limiter.js';

/** Implementation-defined JSON-RPC server error for "too many requests". */
const RATE_LIMITED = -32029;

function setRateLimitHeaders(reply: FastifyReply, decision: RateLimitDecision): void {
  // The IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers), as Kong and @fastify/rate-limit send them.
  reply.header('ratelimit-limit', String(decision.limit));
  reply.header('ratelimit-remaining', String(decision.remaining));
  reply.header('ratelimit-reset', String(decision.resetSeconds));
}

/**
 * Runs after the bearer hook on /mcp: counts the verified caller against its user and tenant budgets and answers
 * 429 with Retry-After once either is spent. Unauthenticated requests never get here (the gateway limits by address).
 */
export function createRateLimitHook(limiter: RequestRateLimiter): preHandlerAsyncHookHandler {
  return async function rateLimit(request: FastifyRequest, reply: FastifyReply) {
    const identity = request.identity;
    if (!identity) return;
    const points = jsonRpcMessageCount(request.body);
    const decision = await limiter.consume({ tenantId: identity.tenantId, subject: identity.subject, points });
    setRateLimitHeaders(reply, decision);
    if (decision.allowed) return;
    reply.header('retry-after', String(decision.resetSeconds));
    const whose = decision.scope === 'user' ? 'your' : "your tenant's";
    // A batch is refused whole (its calls are never half run): say what it costs, so a client can split it.
    const cost = points > 1 ? `; this batch counts ${points}` : '';
    const message = `Rate limit exceeded (${whose} ${decision.limit} requests${cost}); retry after ${decision.resetSeconds} s.`;
    return reply.code(429).send(refusalOf(request.body, message));
  };
}

/**
 * The refusal as JSON-RPC answers a request: with its id, so a client can match it to the call it made; for a batch,
 * one error per request of the batch (notifications get none), as a batch's answer is an array.
 */
function refusalOf(body: unknown, message: string) {
  if (!Array.isArray(body)) return jsonRpcError(RATE_LIMITED, message, idOf(body));
  const errors = body.flatMap((entry) => {
    const id = idOf(entry);
    return id === null ? [] : [jsonRpcError(RATE_LIMITED, message, id)];
  });
  return errors.length > 0 ? errors : jsonRpcError(RATE_LIMITED, message);
}

function idOf(message: unknown): string | number | null {
  const id = (message as { id?: unknown } | null)?.id;
  return typeof id === 'string' || typeof id === 'number' ? id : null;
}
