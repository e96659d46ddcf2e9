/**
 * The most messages one JSON-RPC batch may carry. The SDK refuses larger batches itself, but only after the token
 * check and the rate limiter have run; refusing here first keeps an oversized batch from spending any budget.
 */
export const MAX_BATCH_MESSAGES = 100;

/**
 * What a request body costs against the rate limits: each message of a batch counts, as if sent on its own, so a
 * batch cannot multiply a caller's budget. Anything else (one message, or a body the SDK will refuse) counts one.
 */
export function jsonRpcMessageCount(body: unknown): number {
  return Array.isArray(body) ? Math.max(1, body.length) : 1;
}
