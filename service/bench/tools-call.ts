/**
 * Throughput and latency of authenticated tool calls through the whole stack (HTTP, token check,
 * MCP SDK, tenant transaction, audit insert), on loopback. Prints figures; asserts nothing.
 *   npm run bench                       # embedded Postgres (or DATABASE_URL's server when set)
 *   BENCH_SECONDS=20 BENCH_CONNECTIONS=100 npm run bench
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config.js';
import { ENV } from '../src/contract.js';
import { startEmbeddedPostgres } from '../src/data/embedded-postgres.js';
import { runMigrations } from '../src/data/migrate.js';
import { seedSampleDocuments } from '../src/data/sample-data.js';
import { startDevIssuer } from '../src/dev/dev-issuer.js';
import { startService } from '../src/start-service.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);

async function main(): Promise<void> {
  const embedded = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres();
  const connectionString = embedded?.connectionString ?? String(process.env.DATABASE_URL);
  await runMigrations({ connectionString });
  await seedSampleDocuments({ connectionString });
  const issuer = await startDevIssuer({
    mode: 'development',
    host: '127.0.0.1',
    port: 0,
    dataDir: await mkdtemp(join(tmpdir(), 'mcp-bench-')),
  });
  const port = 18_080;
  const resource = `http://127.0.0.1:${port}/mcp`;
  const service = await startService(
    loadConfig({
      [ENV.port]: String(port),
      [ENV.host]: '127.0.0.1',
      [ENV.logLevel]: 'warn',
      [ENV.resourceUrl]: resource,
      [ENV.issuers]: issuer.issuer,
      [ENV.databaseUrl]: connectionString,
      [ENV.databasePoolMax]: String(embedded?.maxConnections ?? 10),
      [ENV.secretsDir]: tmpdir(),
      [ENV.metricsPort]: '0',
      // The benchmark measures the stack, not the limiter refusing one user.
      [ENV.rateLimitUser]: '100000000/60',
      [ENV.rateLimitTenant]: '100000000/60',
    }),
  );
  const token = await issuer.mintAccessToken({
    subject: 'alice',
    tenantId: 'acme',
    scopes: 'mcp:read mcp:write',
    audience: resource,
  });

  const scenarios = {
    list_documents: { limit: 10 },
    search_documents: { query: 'security' },
  };
  console.log(
    `node ${process.version}, ${connections} connections, ${seconds} s per scenario, postgres: ${embedded ? 'embedded (pool 1)' : 'server (pool 10)'}`,
  );
  for (const [tool, args] of Object.entries(scenarios)) {
    const result = await autocannon({
      url: resource,
      method: 'POST',
      connections,
      duration: seconds,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: tool, arguments: args } }),
    });
    console.log(
      `${tool.padEnd(18)} ${result.requests.average.toFixed(0).padStart(6)} req/s  ` +
        `latency p50 ${result.latency.p50} ms  p99 ${result.latency.p99} ms  ` +
        `non-2xx ${result.non2xx}  errors ${result.errors}`,
    );
  }
  await service.stop();
  await issuer.close();
  await embedded?.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
