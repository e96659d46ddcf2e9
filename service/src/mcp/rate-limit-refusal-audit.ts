import type { preHandlerAsyncHookHandler } from 'fastify';
import type { RefusalAudit } from './refusal-audit.js';

const TOO_MANY_REQUESTS = 429;

/**
 * Wraps the rate-limit hook so that its 429 answers to a verified caller are audited (aggregated per caller and
 * window, see createRefusalAudit); the hook itself decides and answers as before. The 429 is already sent when the
 * hook returns, so its row is written just after the answer (shutdown waits for it, see RefusalAudit.flush).
 */
export function auditRateLimitRefusals(
  rateLimit: preHandlerAsyncHookHandler,
  audit: RefusalAudit,
): preHandlerAsyncHookHandler {
  return async function auditedRateLimit(request, reply) {
    const answered = await rateLimit.call(this, request, reply);
    if (reply.statusCode === TOO_MANY_REQUESTS && request.identity !== undefined) {
      const limit = reply.getHeader('ratelimit-limit');
      void audit.record({
        identity: request.identity,
        correlationId: request.id,
        message: request.body,
        kind: 'rate_limited',
        detail: limit === undefined ? 'HTTP 429' : `HTTP 429, budget of ${String(limit)} requests spent`,
      });
    }
    return answered;
  };
}
