/**
 * `npm run dev`: the whole service on embedded defaults, for a developer's machine only.
 * Starting this entry point is the explicit development mode: it is not part of the production image
 * (tsconfig.build.json leaves src/dev out) and binds its issuer to loopback.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig } from '../config.js';
import { ENV, PATHS } from '../contract.js';
import { startEmbeddedPostgres } from '../data/embedded-postgres.js';
import { runMigrations } from '../data/migrate.js';
import { seedSampleDocuments } from '../data/sample-data.js';
import { startService } from '../start-service.js';
import { startDevAuthorizationServer } from './dev-authorization-server.js';
import { startDevIssuer } from './dev-issuer.js';
import { assertPortFree, devListeners, portInUseMessage } from './dev-listeners.js';
import { DEV_DATA_DIR, DEV_ISSUER_DATA_DIR, DEV_SERVER_INFO_FILE } from './dev-paths.js';

const listeners = devListeners(process.env);

async function startDevServer(): Promise<void> {
  const { port, host, urlHost, resource } = listeners;

  // Before the database opens: a second server on the same ports must not touch the first one's data folder.
  await assertPortFree(listeners.issuerPort, '127.0.0.1');
  await assertPortFree(listeners.authorizationServerPort, '127.0.0.1');
  await assertPortFree(listeners.upstreamProviderPort, '127.0.0.1');
  await assertPortFree(port, host);
  // Kept across restarts (per port, so servers side by side have their own), which also skips initdb: 0.3 s to start
  // instead of 1.8 s. The samples go into a new database only, so what a developer deleted stays deleted.
  const databaseDir = join(DEV_DATA_DIR, `postgres-${port}`);
  const isNew = !existsSync(databaseDir);
  // PGlite creates the database folder but not its parents: on a fresh clone service/.data does not exist yet.
  await mkdir(DEV_DATA_DIR, { recursive: true });
  const database = await startEmbeddedPostgres({ dataDir: databaseDir });
  await runMigrations({ connectionString: database.connectionString });
  if (isNew) await seedSampleDocuments({ connectionString: database.connectionString });
  const issuer = await startDevIssuer({
    mode: 'development',
    host: '127.0.0.1',
    port: listeners.issuerPort,
    dataDir: DEV_ISSUER_DATA_DIR,
  });

  const authorizationServerIssuer = `http://127.0.0.1:${listeners.authorizationServerPort}`;
  const config = loadConfig({
    [ENV.port]: String(port),
    [ENV.host]: host,
    [ENV.metricsPort]: String(listeners.metricsPort),
    [ENV.metricsHost]: listeners.metricsHost,
    [ENV.logLevel]: process.env[ENV.logLevel] ?? 'info',
    [ENV.resourceUrl]: resource,
    // The authorization server first: the protected-resource metadata lists the issuers in this order, and MCP clients
    // sign in at the first. The development issuer stays trusted for `npm run token`.
    [ENV.issuers]: [authorizationServerIssuer, issuer.issuer].join(','),
    [ENV.databaseUrl]: database.connectionString,
    // The embedded server is one Postgres backend shared by all connections: more than one gains nothing.
    [ENV.databasePoolMax]: String(database.maxConnections),
    [ENV.allowedHosts]: ['localhost', '127.0.0.1', '[::1]', urlHost].join(','),
    [ENV.secretsDir]: DEV_DATA_DIR,
    [ENV.trustProxy]: 'false',
    // A local load test may need more than the production defaults.
    ...pick(process.env, [ENV.rateLimitUser, ENV.rateLimitTenant]),
  });
  const service = await startService(config);
  // The service's pool: the embedded Postgres serves one connection at a time anyway.
  const authorizationServer = await startDevAuthorizationServer({
    port: listeners.authorizationServerPort,
    upstreamPort: listeners.upstreamProviderPort,
    resource,
    pool: service.pool,
    logLevel: process.env[ENV.logLevel] ?? 'info',
    // On a developer's machine only: clients that register dynamically (RFC 7591) instead of presenting a Client ID
    // Metadata Document, e.g. an Inspector build without CIMD, can sign in too. Deployments keep it off by default.
    dynamicRegistration: true,
  });

  await mkdir(DEV_DATA_DIR, { recursive: true });
  await writeFile(DEV_SERVER_INFO_FILE, `${JSON.stringify({ issuer: issuer.issuer, resource }, null, 2)}\n`);
  process.stdout.write(
    [
      '',
      `MCP server (development mode) at ${resource}`,
      `  metrics ${service.metricsAddress}${PATHS.metrics}`,
      `  authorization server ${authorizationServer.issuer} (MCP clients sign in here: Client ID Metadata Documents, PKCE, consent)`,
      `    its metrics ${authorizationServer.metricsAddress}${PATHS.metrics}`,
      `  upstream sign-in ${authorizationServer.upstreamIssuer} (development only: pick a user, no password)`,
      `  issuer ${issuer.issuer} (development only, loopback: npm run token)`,
      `  embedded Postgres in ${databaseDir}: kept across restarts, delete the folder to start over`,
      `  ${isNew ? 'sample documents loaded' : 'documents as you left them'}: tenants acme (alice, bob; adam admin) and globex (carol)`,
      `  connect: npx @modelcontextprotocol/inspector, Streamable HTTP, URL ${resource}`,
      '  token:  npm run --silent token -- --sub alice --tenant acme --scope "mcp:read mcp:write"',
      '',
    ].join('\n'),
  );

  const shutdown = async () => {
    service.app.log.info('stopping');
    await authorizationServer.close();
    await service.stop();
    await issuer.close();
    await database.close();
    service.app.log.info('stopped');
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

function pick(env: NodeJS.ProcessEnv, names: string[]): Record<string, string> {
  return Object.fromEntries(names.flatMap((name) => (env[name] === undefined ? [] : [[name, env[name] as string]])));
}

startDevServer().catch((error: unknown) => {
  const detail =
    portInUseMessage(error, listeners) ?? (error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.stderr.write(`dev server failed to start: ${detail}\n`);
  process.exit(1);
});
