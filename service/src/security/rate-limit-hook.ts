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
    return reply
      .code(429)
      .send(
        jsonRpcError(
          RATE_LIMITED,
          `Rate limit exceeded (${whose} ${decision.limit} requests${cost}); retry after ${decision.resetSeconds} s.`,
        ),
      );
  };
}
