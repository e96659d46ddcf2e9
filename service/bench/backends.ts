import { Redis } from 'ioredis';
import pg from 'pg';
import { DATABASE } from '../src/contract.js';
import { resolveConnectionConfig, withConnectionTarget } from '../src/data/connection-config.js';
import { runMigrations } from '../src/data/migrate.js';
import { type Child, spawnTypeScript } from './processes.js';

/** The bench's own database on the machine's server: the test databases and the developer's are never touched. */
export const BENCH_DATABASE = 'mcp_bench';
const DEFAULT_SERVER_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export interface BenchDatabase {
  kind: 'server' | 'embedded';
  /** Where it is, for the report. */
  description: string;
  /** The owner (superuser) of the bench database: migrations, seed. */
  adminUrl: string;
  /** What the service logs in with: the application role, as in production. */
  appUrl: string;
  /** The embedded server takes one pooled connection; a server keeps the service's default. */
  poolMax?: number;
  /** Persistent across runs (a server) or gone with the process (embedded). */
  persistent: boolean;
  close(): Promise<void>;
}

/**
 * DATABASE_URL's server, else the machine's on 127.0.0.1:5432, with the database mcp_bench created and migrated;
 * the embedded Postgres when neither answers (or when asked for).
 */
export async function openDatabase(options: {
  embedded: boolean;
  fresh: boolean;
  log: (line: string) => void;
}): Promise<BenchDatabase> {
  const serverUrl = process.env.DATABASE_URL || DEFAULT_SERVER_URL;
  if (!options.embedded) {
    const problem = await unreachable(serverUrl);
    if (!problem) return openOnServer(serverUrl, options.fresh);
    options.log(`Postgres at ${redact(serverUrl)} not reachable (${problem}): using the embedded Postgres instead`);
  }
  return openEmbedded();
}

async function unreachable(url: string): Promise<string | undefined> {
  const client = new pg.Client({ ...resolveConnectionConfig(url), connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

async function openOnServer(serverUrl: string, fresh: boolean): Promise<BenchDatabase> {
  const server = new pg.Client(resolveConnectionConfig(serverUrl));
  await server.connect();
  try {
    // E.g. after a migration that was already applied here changed: the history table would not run it again.
    if (fresh) await server.query(`DROP DATABASE IF EXISTS ${server.escapeIdentifier(BENCH_DATABASE)} WITH (FORCE)`);
    const { rowCount } = await server.query('SELECT 1 FROM pg_database WHERE datname = $1', [BENCH_DATABASE]);
    if (rowCount === 0) await server.query(`CREATE DATABASE ${server.escapeIdentifier(BENCH_DATABASE)}`);
  } finally {
    await server.end();
  }
  const adminUrl = withConnectionTarget(serverUrl, { database: BENCH_DATABASE });
  const appUrl = withConnectionTarget(serverUrl, { user: DATABASE.appRole, database: BENCH_DATABASE });
  await runMigrations({ connectionString: adminUrl });
  // The same assumption as the tests: the server lets the application role in without a password (trust on
  // loopback). Checked here, so a refusal is named before the service starts.
  const refusal = await unreachable(appUrl);
  if (refusal) {
    throw new Error(
      `the service's login ${DATABASE.appRole} cannot connect to ${redact(appUrl)} (${refusal}); the bench needs ` +
        `the server to admit it without a password, as the tests do`,
    );
  }
  const url = new URL(serverUrl);
  return {
    kind: 'server',
    description: `Postgres at ${url.hostname}:${url.port || 5432}, database ${BENCH_DATABASE}`,
    adminUrl,
    appUrl,
    persistent: true,
    close: async () => {},
  };
}

async function openEmbedded(): Promise<BenchDatabase> {
  const child: Child = spawnTypeScript('embedded postgres', 'embedded-postgres-process.ts');
  const { connectionString, maxConnections } = await child.nextJson<{
    connectionString: string;
    maxConnections: number;
  }>(30_000);
  await runMigrations({ connectionString });
  return {
    kind: 'embedded',
    description: 'embedded Postgres (PGlite, one connection, in memory)',
    adminUrl: connectionString,
    appUrl: connectionString,
    poolMax: maxConnections,
    persistent: false,
    close: () => child.stop(),
  };
}

/** REDIS_URL, else the machine's on 127.0.0.1:6379; undefined (the service then counts locally) when it does not answer. */
export async function findRedis(): Promise<{ url?: string; note: string }> {
  const url = process.env.REDIS_URL || DEFAULT_REDIS_URL;
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1_000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return { url, note: `Redis at ${redact(url)}` };
  } catch (error) {
    return {
      note: `no Redis at ${redact(url)} (${error instanceof Error ? error.message : String(error)}): the service counts rate limits locally`,
    };
  } finally {
    client.disconnect();
  }
}

/** A URL without its password, for printing. */
export function redact(value: string): string {
  const url = new URL(value);
  if (url.password) url.password = '***';
  return url.toString();
}
