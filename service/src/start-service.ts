import type { McpServer } from '@modelcontextprotocol/server';
import { getOAuthProtectedResourceMetadataUrl } from '@modelcontextprotocol/server';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';
import type { FastifyInstance } from 'fastify';
import type { Pool } from 'pg';
import { buildApp } from './app.js';
import { createBearerAuthHook } from './auth/bearer-auth.js';
import { protectedResourceMetadataRoutes } from './auth/protected-resource-metadata.js';
import type { SigningKeyLogger } from './auth/signing-key-cache.js';
import { createTokenVerifier } from './auth/token-verifier.js';
import type { ServiceConfig } from './config.js';
import { MCP_SCOPES, SECRET_NAMES } from './contract.js';
import { checkDatabase } from './data/health.js';
import { runMigrations } from './data/migrate.js';
import { createDatabasePool } from './data/pool.js';
import { observeDatabasePool } from './data/pool-supervision.js';
import type { Lifecycle } from './http/health-routes.js';
import type { LogDestination } from './http/logger-options.js';
import { auditRateLimitRefusals } from './mcp/rate-limit-refusal-audit.js';
import { createRefusalAudit } from './mcp/refusal-audit.js';
import { requiredScopesForMessage } from './mcp/required-scopes.js';
import { databasePoolTelemetry } from './observability/database-pool-telemetry.js';
import { authFailureReasonLabel } from './observability/metric-labels.js';
import { type MetricsServer, startMetricsServer } from './observability/metrics-server.js';
import type { ServiceMetrics } from './observability/service-metrics.js';
import { createServiceTelemetry, databaseNameOf, type ServiceTelemetry } from './observability/service-telemetry.js';
import { createEntraTokenPassword } from './secrets/entra-token-password.js';
import type { KeyVaultLogger } from './secrets/key-vault-secret-source.js';
import { keepRedisPasswordCurrent } from './secrets/redis-password-refresh.js';
import { secretsFromConfig, startupPassword } from './secrets/secrets-from-config.js';
import type { SecretsProvider } from './secrets/secrets-provider.js';
import { workloadIdentityCredential } from './secrets/workload-identity-credential.js';
import { createRateLimitHook } from './security/rate-limit-hook.js';
import { createRequestRateLimiter } from './security/rate-limiter.js';
import { createRedisClient, type RedisLogger, waitForRedis } from './security/redis-client.js';
import { keepRedisTokenFresh, REDIS_ENTRA_SCOPE } from './security/redis-entra-auth.js';

export interface RunningService {
  app: FastifyInstance;
  pool: Pool;
  lifecycle: Lifecycle;
  /** The address the server listens on, e.g. http://127.0.0.1:8080. */
  address: string;
  /** The Prometheus listener (its own port, never routed by the gateway), e.g. http://127.0.0.1:9464. */
  metricsAddress: string;
  telemetry: ServiceTelemetry;
  /** Stops taking new work, waits for in-flight requests, closes the pool, the metrics listener and flushes spans. */
  stop(): Promise<void>;
}

export interface StartServiceOptions {
  /** Test-only additions to every per-request MCP server; production never passes it. */
  registerExtras?: (server: McpServer) => void;
  /** An existing pool to use instead of one built from the configuration (the caller then owns and ends it). */
  pool?: Pool;
  /** Log lines go here instead of stdout (tests read them). */
  logDestination?: LogDestination;
  /** Test-only: span processors used instead of the OTLP exporter (e.g. an in-memory exporter). */
  spanProcessors?: SpanProcessor[];
  /** Where passwords come from, instead of the provider built from the configuration and process.env. */
  secrets?: SecretsProvider;
}

/** How long start-up waits for Redis before serving on local rate-limit counters. */
const REDIS_STARTUP_WAIT_MS = 2_000;

/** Logs of the start-up phase, before the app (and its logger) exists: one JSON line on stderr. */
const startupLogger = {
  warn(details: Record<string, unknown>, message: string) {
    process.stderr.write(`${JSON.stringify({ level: 40, time: Date.now(), msg: message, ...details })}\n`);
  },
  info(details: Record<string, unknown>, message: string) {
    process.stderr.write(`${JSON.stringify({ level: 30, time: Date.now(), msg: message, ...details })}\n`);
  },
};

/** Wires the real dependencies from a validated configuration and starts listening. */
export async function startService(config: ServiceConfig, options: StartServiceOptions = {}): Promise<RunningService> {
  // Redis and Key Vault outages are logged by the app's logger once it exists, by the start-up logger before.
  const log: { target: KeyVaultLogger } = { target: startupLogger };
  const redisLogger: RedisLogger = { warn: (details, message) => log.target.warn(details, message) };
  // Set once the telemetry exists; a stale read needs a value fetched a TTL earlier, so none is lost before.
  let metrics: ServiceMetrics | undefined;
  const secrets =
    options.secrets ??
    secretsFromConfig(config, {
      env: process.env,
      logger: {
        warn: (details, message) => log.target.warn(details, message),
        info: (details, message) => log.target.info(details, message),
      },
      onStaleRead: (name) => metrics?.keyVaultStaleReads.inc({ secret: name }),
    });
  // With Key Vault configured the passwords must exist (a missing one stops the start, naming it); without it a
  // password may be absent (development: the URL's own, or trust auth).
  const required = { required: config.keyVaultUrl !== undefined };
  const databasePassword =
    config.database.auth === 'password'
      ? await startupPassword(secrets, SECRET_NAMES.databasePassword, required)
      : undefined;
  const redisPassword =
    config.redis?.auth === 'password'
      ? await startupPassword(secrets, SECRET_NAMES.redisPassword, required)
      : undefined;
  if (config.database.migrationUrl) {
    await runMigrations({
      connectionString: config.database.migrationUrl,
      appRolePassword: await databasePassword?.(),
    });
  }
  const ownsPool = options.pool === undefined;
  const pool =
    options.pool ??
    createDatabasePool({
      connectionString: config.database.url,
      // Entra auth (prod): no password exists; each new connection presents a token of the workload identity.
      // Password auth: each new connection reads the secret, so a rotated one is used without a restart.
      password:
        config.database.auth === 'entra' ? createEntraTokenPassword(workloadIdentityCredential()) : databasePassword,
      maxConnections: config.database.poolMax,
      tenantMaxConnections: config.database.tenantMaxConnections,
      applicationName: 'mcp-server',
    });
  // Signing-key and refusal-audit events only happen while requests are served, once the app's logger exists.
  const appLog: SigningKeyLogger = {
    warn: (details, message) => app.log.warn(details, message),
    info: (details, message) => app.log.info(details, message),
    error: (details, message) => app.log.error(details, message),
  };
  const verifier = createTokenVerifier({
    ...config.auth,
    audience: config.resourceUrl,
    keySets: { ...config.auth.keySets, logger: appLog },
  });
  const refusalAudit = createRefusalAudit({ pool, logger: appLog });
  const resourceMetadataUrl = getOAuthProtectedResourceMetadataUrl(new URL(config.resourceUrl));
  const lifecycle: Lifecycle = { draining: false };
  const telemetry = createServiceTelemetry({
    pool,
    databaseName: databaseNameOf(config.database.url),
    otlpEndpoint: config.otlpEndpoint,
    spanProcessors: options.spanProcessors,
  });
  telemetry.metrics.watchSigningKeys(() => verifier.signingKeyStatus());
  metrics = telemetry.metrics;

  const redis = config.redis
    ? createRedisClient(config.redis.url, { ...config.redis, lazyConnect: true, logger: redisLogger })
    : undefined;
  // Password auth: the current secret before the first connection and before every reconnect.
  const redisPasswordAuth =
    redis && redisPassword ? keepRedisPasswordCurrent(redis, redisPassword, redisLogger) : undefined;
  await redisPasswordAuth?.refresh();
  // Entra (access keys off): the first token is fetched before connecting, and renewed for as long as we run.
  const redisTokenAuth =
    redis && config.redis?.auth === 'entra' && config.redis.username
      ? keepRedisTokenFresh(redis, {
          username: config.redis.username,
          token: createEntraTokenPassword(workloadIdentityCredential(), REDIS_ENTRA_SCOPE),
          logger: redisLogger,
        })
      : undefined;
  await (redisTokenAuth ? redisTokenAuth.refresh() : redis?.connect())?.catch((error: unknown) =>
    redisLogger.warn({ err: { message: (error as Error).message } }, 'redis connection failed at start'),
  );
  if (redis && !(await waitForRedis(redis, REDIS_STARTUP_WAIT_MS))) {
    redisLogger.warn({}, 'redis not reachable at start; rate limits use local counters until it is');
  }
  if (redis) telemetry.metrics.watchRateLimitRedis(redis);
  const rateLimiter = createRequestRateLimiter({
    ...config.rateLimit,
    redis,
    redisBreakerOpenMs: config.redis?.breakerOpenMs,
    metrics: telemetry.metrics,
    logger: redisLogger,
  });

  const app = await buildApp({
    pool,
    authenticate: createBearerAuthHook({
      verifier,
      resource: config.resourceUrl,
      resourceMetadataUrl,
      requiredScopes: (request) => requiredScopesForMessage(request.body),
      onFailure: (failure, request, identity) => {
        telemetry.metrics.authFailures.inc({ reason: authFailureReasonLabel(failure) });
        if (identity) {
          const detail = failure.reason ?? 'scope missing';
          const refusal = { identity, correlationId: request.id, message: request.body, detail };
          return refusalAudit.record({ ...refusal, kind: 'insufficient_scope' });
        }
      },
    }),
    rateLimit: auditRateLimitRefusals(createRateLimitHook(rateLimiter), refusalAudit),
    registerMetadataRoutes: (instance) =>
      protectedResourceMetadataRoutes(instance, {
        resource: config.resourceUrl,
        authorizationServers: config.auth.issuers,
        scopesSupported: Object.values(MCP_SCOPES),
        resourceName: 'Secure MCP documents server',
      }),
    readinessChecks: [
      { name: 'database', check: () => checkDatabase(pool).then(() => true) },
      { name: 'signing-keys', check: () => verifier.ready() },
    ],
    lifecycle,
    allowedOrigins: config.allowedOrigins,
    allowedHosts: config.allowedHosts,
    trustProxy: config.trustProxy,
    logLevel: config.logLevel,
    registerExtras: options.registerExtras,
    logDestination: options.logDestination,
    telemetry,
    batchConcurrency: config.batchConcurrency,
  });

  log.target = app.log;
  // Connection losses and tenant waits, logged with the request's correlation id and counted, from here on.
  observeDatabasePool(pool, databasePoolTelemetry(app.log, telemetry.metrics));

  let address: string;
  let metricsServer: MetricsServer;
  try {
    address = await app.listen({ port: config.port, host: config.host });
    metricsServer = await startMetricsServer({
      registry: telemetry.metrics.registry,
      host: config.metricsHost,
      port: config.metricsPort,
      onCollectError: (error) => app.log.error({ err: error }, 'metrics collection failed'),
    });
  } catch (error) {
    await app.close();
    redisTokenAuth?.stop();
    redis?.disconnect();
    if (ownsPool) await pool.end();
    await telemetry.tracing.shutdown();
    throw error;
  }

  return {
    app,
    pool,
    lifecycle,
    address,
    metricsAddress: metricsServer.address,
    telemetry,
    async stop() {
      lifecycle.draining = true;
      // close() stops accepting and waits for in-flight requests; keep-alive connections that turn idle meanwhile
      // are closed as they do, instead of waiting for each client's own idle timeout.
      const sweep = setInterval(() => app.server.closeIdleConnections(), 100);
      try {
        await app.close();
      } finally {
        clearInterval(sweep);
      }
      await refusalAudit.flush();
      if (ownsPool) await pool.end();
      redisTokenAuth?.stop();
      await redis?.quit().catch(() => redis.disconnect());
      // Last, so the drain itself is visible to a scrape and its spans are exported.
      await metricsServer.close();
      await telemetry.tracing.shutdown();
    },
  };
}
