import type { McpServer } from '@modelcontextprotocol/server';
import { getOAuthProtectedResourceMetadataUrl } from '@modelcontextprotocol/server';
import type { FastifyInstance } from 'fastify';
import type { Pool } from 'pg';
import { buildApp } from './app.js';
import { createBearerAuthHook } from './auth/bearer-auth.js';
import { protectedResourceMetadataRoutes } from './auth/protected-resource-metadata.js';
import { createTokenVerifier } from './auth/token-verifier.js';
import type { ServiceConfig } from './config.js';
import { MCP_SCOPES } from './contract.js';
import { checkDatabase } from './data/health.js';
import { runMigrations } from './data/migrate.js';
import { createDatabasePool } from './data/pool.js';
import type { Lifecycle } from './http/health-routes.js';
import type { LogDestination } from './http/logger-options.js';
import { requiredScopesForMessage } from './mcp/required-scopes.js';

export interface RunningService {
  app: FastifyInstance;
  pool: Pool;
  lifecycle: Lifecycle;
  /** The address the server listens on, e.g. http://127.0.0.1:8080. */
  address: string;
  /** Stops taking new work, waits for in-flight requests, closes the pool. */
  stop(): Promise<void>;
}

export interface StartServiceOptions {
  /** Test-only additions to every per-request MCP server; production never passes it. */
  registerExtras?: (server: McpServer) => void;
  /** An existing pool to use instead of one built from the configuration (the caller then owns and ends it). */
  pool?: Pool;
  /** Log lines go here instead of stdout (tests read them). */
  logDestination?: LogDestination;
}

/** Wires the real dependencies from a validated configuration and starts listening. */
export async function startService(config: ServiceConfig, options: StartServiceOptions = {}): Promise<RunningService> {
  if (config.database.migrationUrl) {
    await runMigrations({ connectionString: config.database.migrationUrl, appRolePassword: config.database.password });
  }
  const ownsPool = options.pool === undefined;
  const pool =
    options.pool ??
    createDatabasePool({
      connectionString: config.database.url,
      password: config.database.password,
      maxConnections: config.database.poolMax,
      applicationName: 'mcp-server',
    });
  const verifier = createTokenVerifier({ ...config.auth, audience: config.resourceUrl });
  const resourceMetadataUrl = getOAuthProtectedResourceMetadataUrl(new URL(config.resourceUrl));
  const lifecycle: Lifecycle = { draining: false };

  const app = await buildApp({
    pool,
    authenticate: createBearerAuthHook({
      verifier,
      resource: config.resourceUrl,
      resourceMetadataUrl,
      requiredScopes: (request) => requiredScopesForMessage(request.body),
    }),
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
  });

  let address: string;
  try {
    address = await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    if (ownsPool) await pool.end();
    throw error;
  }

  return {
    app,
    pool,
    lifecycle,
    address,
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
      if (ownsPool) await pool.end();
    },
  };
}
