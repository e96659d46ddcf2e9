import type { McpServer } from '@modelcontextprotocol/server';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
  LogController,
  type preHandlerAsyncHookHandler,
} from 'fastify';
import type { Pool } from 'pg';
import { PATHS } from './contract.js';
import { DEFAULT_BATCH_CONCURRENCY } from './http/batch-call-slots.js';
import { CORRELATION_HEADER, correlationIdFor } from './http/correlation-id.js';
import { closeConnectionsWhileDraining } from './http/draining-connections.js';
import { healthRoutes, type Lifecycle, type ReadinessCheck } from './http/health-routes.js';
import { InFlightWork } from './http/in-flight-work.js';
import { httpErrorHandler } from './http/json-rpc-errors.js';
import { type LogDestination, loggerOptions, requestChildLogger } from './http/logger-options.js';
import { mcpRoute } from './http/mcp-route.js';
import { securityPlugins } from './http/security-plugins.js';
import { createMcpServerFactory, type McpServerFactoryOptions } from './mcp/server-factory.js';
import { registerHttpMetrics } from './observability/http-metrics.js';
import type { ServiceTelemetry } from './observability/service-telemetry.js';

/** 1 MiB: a document body is at most 100 000 characters; anything much larger is not a real MCP message. */
export const BODY_LIMIT_BYTES = 1_048_576;

export interface AppDependencies {
  pool: Pool;
  /** Verifies the bearer token and the message's scopes; production passes the OAuth resource-server hook. */
  authenticate: preHandlerAsyncHookHandler;
  /** Per-caller rate limit on /mcp, after authentication; absent in tests that do not exercise it. */
  rateLimit?: preHandlerAsyncHookHandler;
  /** Registers the protected-resource metadata routes (RFC 9728). */
  registerMetadataRoutes: (app: FastifyInstance) => void;
  readinessChecks: ReadinessCheck[];
  lifecycle: Lifecycle;
  allowedOrigins: string[];
  allowedHosts: string[];
  trustProxy: FastifyServerOptions['trustProxy'];
  logLevel: string;
  /** Log lines go here instead of stdout (tests read them). */
  logDestination?: LogDestination;
  /** Test-only additions to every per-request MCP server (the conformance fixtures). */
  registerExtras?: (server: McpServer) => void;
  /** Test-only: the conformance fixtures' multi-round-trip state check (see McpServerFactoryOptions). */
  requestState?: McpServerFactoryOptions['requestState'];
  /** HTTP and tool metrics, request and tool spans; none when absent. */
  telemetry?: ServiceTelemetry;
  /** How many calls of one JSON-RPC batch run at once (default DEFAULT_BATCH_CONCURRENCY). */
  batchConcurrency?: number;
}

/** One line per request, when it ends, with what came in and what went out, instead of Fastify's two. */
class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    if (error)
      reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
    else reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}

/**
 * The whole HTTP surface, built from injected dependencies so tests drive it with `inject` or a real
 * socket and the process entry point only wires real ones.
 */
export async function buildApp(deps: AppDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(deps.logLevel, deps.logDestination),
    trustProxy: deps.trustProxy,
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: correlationIdFor,
    requestIdHeader: false,
    childLoggerFactory: requestChildLogger,
    // Slow clients may not hold a connection open forever; keep-alive outlives Kong's 60 s upstream idle
    // timeout so the gateway, not this server, closes idle connections (avoids races on reuse).
    requestTimeout: 60_000,
    keepAliveTimeout: 75_000,
    // Requests that reach a closing server on a kept-alive connection are served (with Connection: close), not
    // answered with Fastify's own 503 body, which is no JSON-RPC; close() still waits for them before onClose.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: false },
    logController: new OneLinePerRequest(),
  });
  app.setErrorHandler(httpErrorHandler);
  if (deps.telemetry) registerHttpMetrics(app, deps.telemetry.metrics);
  app.addHook('onRequest', async (request, reply) => {
    reply.header(CORRELATION_HEADER, request.id);
  });
  closeConnectionsWhileDraining(app, deps.lifecycle);

  await securityPlugins(app, { allowedOrigins: deps.allowedOrigins });
  healthRoutes(app, { checks: deps.readinessChecks, lifecycle: deps.lifecycle });
  deps.registerMetadataRoutes(app);

  const work = new InFlightWork();
  const factory = createMcpServerFactory({
    pool: deps.pool,
    logger: app.log,
    work,
    registerExtras: deps.registerExtras,
    requestState: deps.requestState,
    telemetry: deps.telemetry?.operations,
  });
  const mcp = mcpRoute(app, {
    work,
    factory,
    authenticate: deps.authenticate,
    rateLimit: deps.rateLimit,
    allowedHosts: deps.allowedHosts,
    allowedOrigins: deps.allowedOrigins,
    bodyLimit: BODY_LIMIT_BYTES,
    tracing: deps.telemetry?.mcpRequests,
    batchConcurrency: deps.batchConcurrency ?? DEFAULT_BATCH_CONCURRENCY,
    metrics: deps.telemetry?.metrics,
  });
  app.addHook('onClose', async () => mcp.close());

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({
      error: 'not_found',
      message: `No route for ${request.method} ${request.url.split('?')[0]}. MCP is at ${PATHS.mcp}.`,
    });
  });
  return app;
}
