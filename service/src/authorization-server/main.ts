/**
 * The authorization server's process (`node dist/authorization-server/main.js`): the same image as the MCP server,
 * its own Deployment, service account and Entra identity.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigError } from '../config.js';
import { SECRET_NAMES } from '../contract.js';
import { createDatabasePool } from '../data/pool.js';
import { startMetricsServer } from '../observability/metrics-server.js';
import { createEntraTokenPassword } from '../secrets/entra-token-password.js';
import { secretsFromConfig, startupPassword } from '../secrets/secrets-from-config.js';
import { workloadIdentityCredential } from '../secrets/workload-identity-credential.js';
import { type AuthorizationServerConfig, loadAuthorizationServerConfig } from './authorization-server-config.js';
import { buildAuthorizationServer } from './server/authorization-server-app.js';

/** EX_CONFIG from sysexits.h, as the MCP server's process. */
const EXIT_CONFIG = 78;

/** Key Vault outages before and while serving: one JSON line on stderr (the app's logger has the requests). */
const secretsLog = {
  warn(details: Record<string, unknown>, message: string) {
    process.stderr.write(`${JSON.stringify({ level: 40, time: Date.now(), msg: message, ...details })}\n`);
  },
  info(details: Record<string, unknown>, message: string) {
    process.stderr.write(`${JSON.stringify({ level: 30, time: Date.now(), msg: message, ...details })}\n`);
  },
};

async function start(config: AuthorizationServerConfig) {
  const { common } = config;
  const secrets = secretsFromConfig(common, { env: process.env, logger: secretsLog });
  const password =
    common.database.auth === 'entra'
      ? createEntraTokenPassword(workloadIdentityCredential())
      : await startupPassword(secrets, SECRET_NAMES.databasePassword, { required: common.keyVaultUrl !== undefined });
  const pool = createDatabasePool({
    connectionString: common.database.url,
    password,
    maxConnections: common.database.poolMax,
    tenantMaxConnections: common.database.tenantMaxConnections,
    applicationName: 'mcp-authorization-server',
  });
  const server = await buildAuthorizationServer({
    mode: 'production',
    issuer: config.issuer,
    resource: common.resourceUrl,
    pool,
    secrets,
    upstream: config.upstream,
    preRegisteredClients: config.preRegisteredClients,
    dynamicRegistration: config.dynamicRegistration,
    trustProxy: common.trustProxy,
    logLevel: common.logLevel,
  });
  await server.app.listen({ port: common.port, host: common.host });
  // Its own listener, as the MCP server's: the gateway routes only to the service port.
  const metricsServer = await startMetricsServer({
    registry: server.metrics.registry,
    host: common.metricsHost,
    port: common.metricsPort,
    onCollectError: (error) => server.app.log.error({ err: error }, 'metrics collection failed'),
  });
  return { server, pool, metricsServer };
}

async function main(): Promise<void> {
  let config: AuthorizationServerConfig;
  let running: Awaited<ReturnType<typeof start>>;
  try {
    config = loadAuthorizationServerConfig(process.env);
    running = await start(config);
  } catch (error) {
    // A missing secret or signing key is a configuration error too: the orchestrator sees EX_CONFIG, not a crash.
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(EXIT_CONFIG);
    }
    throw error;
  }
  const { server, pool, metricsServer } = running;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.app.log.info({ signal }, 'draining');
    server.lifecycle.draining = true;
    await sleep(config.common.drainSeconds * 1000);
    await server.close();
    await metricsServer.close();
    await pool.end();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `mcp-authorization-server failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
