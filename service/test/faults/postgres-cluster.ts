import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { DATABASE } from '../../src/contract.js';
import { runMigrations } from '../../src/data/migrate.js';
import { createDatabasePool } from '../../src/data/pool.js';
import type { TestDatabase } from '../helpers/database.js';
import { freePort } from '../helpers/free-port.js';

const run = promisify(execFile);

/**
 * A Postgres cluster of the test's own (initdb + pg_ctl on a free port, data under /tmp), migrated, so that fault
 * tests can stop, restart and kill it without touching the machine's shared server.
 */
export interface PostgresCluster {
  port: number;
  /** Superuser (owner) URL of the migrated database. */
  adminUrl: string;
  /** What the service logs in with: the application role, trust auth. */
  appUrl: string;
  /** pg_ctl stop: `fast` sends every backend 57P01 (a failover or restart), `immediate` drops them without a word. */
  stop(mode: 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
  /** pg_terminate_backend on every backend with this application_name; returns how many it ended. */
  terminateBackends(applicationName: string): Promise<number>;
  /** Stops the server (if running) and deletes its files. Safe to call twice. */
  destroy(): Promise<void>;
}

/** The server binaries of the newest installed Postgres, or undefined (the fault tests then do not run). */
/** runuser lives in sbin, which a CI runner's PATH may leave out (`PATH=/usr/local/bin:/usr/bin:/bin`). */
const RUNUSER =
  ['/usr/sbin/runuser', '/sbin/runuser', '/usr/bin/runuser'].find((path) => existsSync(path)) ?? 'runuser';

export function findPostgresBinaries(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a));
  return versions.map((version) => join(root, version, 'bin')).find((bin) => existsSync(join(bin, 'pg_ctl')));
}

export async function startPostgresCluster(binDir: string): Promise<PostgresCluster> {
  // initdb refuses to run as root: the cluster belongs to the postgres account then.
  const asRoot = userInfo().uid === 0;
  const owner = asRoot ? lookupPostgresAccount() : undefined;
  const dir = mkdtempSync('/tmp/mcp-fault-pg-');
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const dataDir = join(dir, 'data');
  const tool = (name: string, args: string[]) =>
    owner ? run(RUNUSER, ['-u', 'postgres', '--', join(binDir, name), ...args]) : run(join(binDir, name), args);

  const port = await freePort();
  let running = false;
  const start = async () => {
    await tool('pg_ctl', [
      '-D',
      dataDir,
      '-l',
      join(dir, 'server.log'),
      '-w',
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=40`,
      'start',
    ]);
    running = true;
  };
  const stop = async (mode: 'fast' | 'immediate') => {
    await tool('pg_ctl', ['-D', dataDir, '-m', mode, '-w', 'stop']);
    running = false;
  };
  const destroy = async () => {
    if (running) await stop('immediate').catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await tool('initdb', [
      '-D',
      dataDir,
      '-A',
      'trust',
      '-U',
      'postgres',
      '-E',
      'UTF8',
      '--no-sync',
      '--no-instructions',
    ]);
    await start();
    const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
    await runMigrations({ connectionString: adminUrl });
    return {
      port,
      adminUrl,
      appUrl: `postgres://${DATABASE.appRole}@127.0.0.1:${port}/postgres`,
      stop,
      start,
      async terminateBackends(applicationName) {
        const client = new pg.Client({ connectionString: adminUrl });
        await client.connect();
        try {
          const { rows } = await client.query<{ ended: number }>(
            `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS ended
               FROM pg_stat_activity WHERE application_name = $1`,
            [applicationName],
          );
          return rows[0]?.ended ?? 0;
        } finally {
          await client.end();
        }
      },
      destroy,
    };
  } catch (error) {
    await destroy();
    throw error;
  }
}

/** The cluster in the shape the service-under-test helper takes; close() ends its pools, not the cluster. */
export function clusterTestDatabase(cluster: PostgresCluster): TestDatabase {
  // Failures of these pools' idle connections while the cluster is down are expected: keep them quiet.
  const ignore = () => {};
  // Named apart from the service's pool, which the faults aim at by application_name.
  const adminPool = createDatabasePool({
    connectionString: cluster.adminUrl,
    maxConnections: 2,
    applicationName: 'mcp-fault-test-admin',
    onIdleClientError: ignore,
  });
  const appPool = createDatabasePool({
    connectionString: cluster.appUrl,
    maxConnections: 1,
    applicationName: 'mcp-fault-test-app',
    onIdleClientError: ignore,
  });
  return {
    backend: 'postgres',
    adminConnectionString: cluster.adminUrl,
    adminPool,
    appConnectionString: cluster.appUrl,
    appPool,
    // No authorization server runs against the fault cluster; the owner's pool stands in for the interface.
    authorizationServerPool: adminPool,
    appliedMigrations: [],
    queryAsAppRole: (sql, params) => appPool.query(sql, params),
    close: async () => {
      await Promise.all([adminPool.end(), appPool.end()]);
    },
  };
}

function lookupPostgresAccount(): { uid: number; gid: number } {
  // getent is in every Debian image; the account comes with the postgresql package that ships the binaries.
  const [, , uid, gid] = execFileSync('getent', ['passwd', 'postgres'], { encoding: 'utf8' }).split(':');
  return { uid: Number(uid), gid: Number(gid) };
}
