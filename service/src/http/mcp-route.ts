import { hostHeaderValidation } from '@modelcontextprotocol/fastify';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, type McpServerFactory } from '@modelcontextprotocol/server';
import type { FastifyInstance, preHandlerAsyncHookHandler } from 'fastify';
import { PATHS } from '../contract.js';
import type { McpRequestTracing } from '../observability/mcp-request-span.js';
import type { ServiceMetrics } from '../observability/service-metrics.js';
import { BatchCallSlots, withBatchCallSlots } from './batch-call-slots.js';
import { leaveConnectionHeaderToNode } from './connection-header.js';
import type { InFlightWork } from './in-flight-work.js';
import { mcpErrorHandler } from './json-rpc-errors.js';
import { jsonRpcShapeLimits } from './json-rpc-shape-limits.js';
import { exactOriginValidation } from './origin-validation.js';
import { singleAnswerAsJson } from './single-answer-as-json.js';

export interface McpRouteOptions {
  factory: McpServerFactory;
  /** Verifies the bearer token and the scopes of the message; sets request.raw.auth for the SDK. */
  authenticate: preHandlerAsyncHookHandler;
  /** Runs after authenticate: counts the verified caller against its budgets (absent: no limit). */
  rateLimit?: preHandlerAsyncHookHandler;
  allowedHosts: string[];
  /** Browser origins allowed, compared whole (scheme, host, port). */
  allowedOrigins: string[];
  bodyLimit: number;
  work: InFlightWork;
  /** The server span of each request; none when absent. */
  tracing?: McpRequestTracing;
  /** How many calls of one JSON-RPC batch run at once (MCP_BATCH_CONCURRENCY). */
  batchConcurrency: number;
  /** Batch sizes and calls waiting for a batch slot; none when absent. */
  metrics?: Pick<ServiceMetrics, 'batchMessages' | 'batchCallsWaiting'>;
}

/**
 * Streamable HTTP at /mcp, stateless: any replica answers any request (2026-07-28 per-request
 * envelopes, and 2025-era clients through the SDK's stateless fallback; GET/DELETE answer 405).
 * Host and Origin are checked before anything else (DNS rebinding, cross-site requests), then the token.
 */
export function mcpRoute(app: FastifyInstance, options: McpRouteOptions): { close(): Promise<void> } {
  const handler = createMcpHandler(options.factory, {
    legacy: 'stateless',
    maxRequestBodySize: options.bodyLimit,
    // Mostly a client's mistake the SDK refused (a wrong Accept header, a malformed message): what, not a stack trace.
    onerror: (error) => app.log.warn({ reason: error.message }, 'mcp request refused by the SDK'),
  });
  const nodeHandler = toNodeHandler(
    { fetch: (request, init) => handler.fetch(request, init).then(singleAnswerAsJson) },
    {
      maxRequestBodySize: options.bodyLimit,
      onerror: (error) => app.log.error({ err: error }, 'mcp adapter error'),
    },
  );

  app.register(async (scope) => {
    scope.setErrorHandler(mcpErrorHandler);
    scope.route({
      method: ['POST', 'GET', 'DELETE'],
      url: PATHS.mcp,
      bodyLimit: options.bodyLimit,
      onRequest: [
        // First, so requests refused by the checks below are traced too.
        ...(options.tracing ? [options.tracing.onRequest] : []),
        hostHeaderValidation(options.allowedHosts),
        exactOriginValidation(options.allowedOrigins),
      ],
      // Before the token check and the rate limiter: what cannot be served must not cost budget or a stack.
      preValidation: jsonRpcShapeLimits({ onBatch: (messages) => options.metrics?.batchMessages.observe(messages) }),
      preHandler: options.rateLimit ? [options.authenticate, options.rateLimit] : options.authenticate,
      handler: async (request, reply) => {
        const auth = request.raw.auth;
        if (auth) auth.extra = { ...auth.extra, correlationId: request.id };
        if (auth && Array.isArray(request.body)) {
          withBatchCallSlots(auth, new BatchCallSlots(options.batchConcurrency, options.metrics?.batchCallsWaiting));
        }
        // Headers set through Fastify (CORS, helmet, request id) live on the reply object; copy them to the
        // raw response the SDK writes, since a hijacked reply no longer sends them.
        for (const [name, value] of Object.entries(reply.getHeaders())) {
          if (value !== undefined) reply.raw.setHeader(name, value as string | number | readonly string[]);
        }
        leaveConnectionHeaderToNode(reply.raw);
        reply.hijack();
        const handle = () => options.work.track(nodeHandler(request.raw, reply.raw, request.body));
        await (options.tracing ? options.tracing.runInRequestSpan(request, handle) : handle());
      },
    });
  });

  return {
    // Hijacked requests and their tools are invisible to Fastify's own close: wait for them, so nothing touches
    // the database pool after it is ended.
    async close() {
      await options.work.drain();
      await handler.close();
    },
  };
}
