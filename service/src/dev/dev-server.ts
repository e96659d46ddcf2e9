/**
 * `npm run dev`: the whole service on embedded defaults, for a developer's machine only.
 * Starting this entry point is the explicit development mode: it is not part of the production image
 * (tsconfig.build.json leaves src/dev out) and binds its issuer to loopback.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { loadConfig } from '../config.js';
import { DEV_ISSUER, ENV, PORTS } from '../contract.js';
import { startEmbeddedPostgres } from '../data/embedded-postgres.js';
import { runMigrations } from '../data/migrate.js';
import { seedSampleDocuments } from '../data/sample-data.js';
import { startService } from '../start-service.js';
import { startDevIssuer } from './dev-issuer.js';
import { DEV_DATA_DIR, DEV_ISSUER_DATA_DIR, DEV_SERVER_INFO_FILE } from './dev-paths.js';

const DEV_ISSUER_PORT = Number(process.env[ENV.devIssuerPort] ?? DEV_ISSUER.port);

async function startDevServer(): Promise<void> {
  const port = Number(process.env[ENV.port] ?? PORTS.http);
  const host = process.env[ENV.host] ?? '127.0.0.1';
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const resource = `http://${urlHost}:${port}/mcp`;

  const database = await startEmbeddedPostgres();
  await runMigrations({ connectionString: database.connectionString });
  await seedSampleDocuments({ connectionString: database.connectionString });
  const issuer = await startDevIssuer({
    mode: 'development',
    host: '127.0.0.1',
    port: DEV_ISSUER_PORT,
    dataDir: DEV_ISSUER_DATA_DIR,
  });

  const config = loadConfig({
    [ENV.port]: String(port),
    [ENV.host]: host,
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
  process.stderr.write(
    `dev server failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
