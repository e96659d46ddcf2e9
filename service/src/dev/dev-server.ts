/**
 * `npm run dev`: the whole service on embedded defaults, for a developer's machine only.
 * Starting this entry point is the explicit development mode: it is not part of the production image
 * (tsconfig.build.json leaves src/dev out) and binds its issuer to loopback.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { loadConfig } from '../config.js';
import { ENV, PATHS } from '../contract.js';
import { startEmbeddedPostgres } from '../data/embedded-postgres.js';
import { runMigrations } from '../data/migrate.js';
import { seedSampleDocuments } from '../data/sample-data.js';
import { startService } from '../start-service.js';
import { startDevIssuer } from './dev-issuer.js';
import { devListeners, portInUseMessage } from './dev-listeners.js';
import { DEV_DATA_DIR, DEV_ISSUER_DATA_DIR, DEV_SERVER_INFO_FILE } from './dev-paths.js';

const listeners = devListeners(process.env);

async function startDevServer(): Promise<void> {
  const { port, host, urlHost, resource } = listeners;

  const database = await startEmbeddedPostgres();
  await runMigrations({ connectionString: database.connectionString });
  await seedSampleDocuments({ connectionString: database.connectionString });
  const issuer = await startDevIssuer({
    mode: 'development',
    host: '127.0.0.1',
    port: listeners.issuerPort,
    dataDir: DEV_ISSUER_DATA_DIR,
  });

  const config = loadConfig({
    [ENV.port]: String(port),
    [ENV.host]: host,
    [ENV.metricsPort]: String(listeners.metricsPort),
    [ENV.metricsHost]: listeners.metricsHost,
    [ENV.logLevel]: process.env[ENV.logLevel] ?? 'info',
    [ENV.resourceUrl]: resource,
    [ENV.issuers]: issuer.issuer,
    [ENV.databaseUrl]: database.connectionString,
    // The embedded server is one Postgres backend shared by all connections: more than one gains nothing.
    [ENV.databasePoolMax]: String(database.maxConnections),
    [ENV.allowedHosts]: ['localhost', '127.0.0.1', '[::1]', urlHost].join(','),
    [ENV.secretsDir]: DEV_DATA_DIR,
    [ENV.trustProxy]: 'false',
  });
  const service = await startService(config);

  await mkdir(DEV_DATA_DIR, { recursive: true });
  await writeFile(DEV_SERVER_INFO_FILE, `${JSON.stringify({ issuer: issuer.issuer, resource }, null, 2)}\n`);
  process.stdout.write(
    [
      '',
      `MCP server (development mode) at ${resource}`,
      `  metrics ${service.metricsAddress}${PATHS.metrics}`,
      `  issuer ${issuer.issuer} (development only, loopback)`,
      '  embedded Postgres with sample documents in tenants acme (alice, bob) and globex (carol)',
      '  token:  npm run --silent token -- --sub alice --tenant acme --scope "mcp:read mcp:write"',
      '',
    ].join('\n'),
  );

  const shutdown = async () => {
    await service.stop();
    await issuer.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

startDevServer().catch((error: unknown) => {
  const detail =
    portInUseMessage(error, listeners) ?? (error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.stderr.write(`dev server failed to start: ${detail}\n`);
  process.exit(1);
});
