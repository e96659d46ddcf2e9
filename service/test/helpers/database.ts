import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DATABASE, ENV } from '../../src/contract.js';
import { withConnectionTarget } from '../../src/data/connection-config.js';
import { startEmbeddedPostgres } from '../../src/data/embedded-postgres.js';
import { runMigrations } from '../../src/data/migrate.js';
import { createDatabasePool } from '../../src/data/pool.js';

/**
 * A fresh, migrated database per test file, on each available backend:
 * - `postgres`: the machine's server at DATABASE_URL (an admin URL); a new `mcp_test_<random>` database is created,
 *   migrated and dropped at the end. The service's pool logs in as the real application role (trust auth here).
 * - `embedded`: PGlite behind pglite-socket, always available. It has one superuser session, so the "app" pool is
 *   the same single connection and the role switch in withTenantTransaction does the work.
 */
export type DatabaseBackendName = 'postgres' | 'embedded';

export interface TestDatabase {
  backend: DatabaseBackendName;
  /** Owner/superuser: setup and catalog inspection. */
  adminConnectionString: string;
  adminPool: pg.Pool;
  /** What the service would use: the application role on postgres; the shared connection on embedded. */
  appConnectionString: string;
  appPool: pg.Pool;
  /**
   * What the authorization server uses: a login that is a member of the application role and of the authorization
   * server's role (its tables, migration 0009), as its Entra login is on Azure. On embedded, the shared connection.
   */
  authorizationServerPool: pg.Pool;
  /** Migration names applied when the database was created. */
  appliedMigrations: string[];
  /**
   * Runs one statement as the application role with no tenant context. On postgres that is a plain query on the
   * app role's login; on embedded it needs a transaction with SET LOCAL ROLE (rolled back afterwards).
   */
  queryAsAppRole<R extends pg.QueryResultRow = pg.QueryResultRow>(
    sql: string,
    params?: unknown[],
  ): Promise<pg.QueryResult<R>>;
  close(): Promise<void>;
}

/** The backends this run can use, printing why one is left out (call it at collection time for describe.each). */
export function availableDatabaseBackends(): DatabaseBackendName[] {
  if (process.env[ENV.databaseUrl]) {
    console.info(`data tests: backends postgres (${ENV.databaseUrl}) and embedded`);
    return ['postgres', 'embedded'];
  }
  console.info(`data tests: backend postgres not run because ${ENV.databaseUrl} is not set; embedded only`);
  return ['embedded'];
}

export async function createTestDatabase(backend: DatabaseBackendName): Promise<TestDatabase> {
  return backend === 'postgres' ? createOnPostgres() : createOnEmbedded();
}

async function createOnPostgres(): Promise<TestDatabase> {
  const serverUrl = process.env[ENV.databaseUrl];
  if (!serverUrl) throw new Error(`${ENV.databaseUrl} is not set`);
  const name = `mcp_test_${randomBytes(6).toString('hex')}`;
  const server = new pg.Client({ connectionString: serverUrl });
  await server.connect();
  try {
    await server.query(`CREATE DATABASE ${server.escapeIdentifier(name)}`);
  } finally {
    await server.end();
  }
  const adminConnectionString = withConnectionTarget(serverUrl, { database: name });
  const appConnectionString = withConnectionTarget(serverUrl, { user: DATABASE.appRole, database: name });
  // Roles are cluster-wide: one login per test database, dropped with it.
  const authorizationServerLogin = `${name}_as`;
  let adminPool: pg.Pool | undefined;
  let appPool: pg.Pool | undefined;
  let authorizationServerPool: pg.Pool | undefined;
  const drop = async () => {
    await Promise.all([adminPool?.end(), appPool?.end(), authorizationServerPool?.end()]);
    const cleanup = new pg.Client({ connectionString: serverUrl });
    await cleanup.connect();
    try {
      await cleanup.query(`DROP DATABASE IF EXISTS ${cleanup.escapeIdentifier(name)} WITH (FORCE)`);
      await cleanup.query(`DROP ROLE IF EXISTS ${cleanup.escapeIdentifier(authorizationServerLogin)}`);
    } finally {
      await cleanup.end();
    }
  };
  try {
    const appliedMigrations = await runMigrations({ connectionString: adminConnectionString });
    adminPool = createDatabasePool({ connectionString: adminConnectionString, maxConnections: 2 });
    // One connection, so a test can observe what a connection carries from one transaction to the next.
    appPool = createDatabasePool({ connectionString: appConnectionString, maxConnections: 1 });
    await adminPool.query(
      `CREATE ROLE ${pg.escapeIdentifier(authorizationServerLogin)} LOGIN IN ROLE ${pg.escapeIdentifier(DATABASE.appRole)}, ${pg.escapeIdentifier(DATABASE.authorizationServerRole)}`,
    );
    authorizationServerPool = createDatabasePool({
      connectionString: withConnectionTarget(serverUrl, { user: authorizationServerLogin, database: name }),
      maxConnections: 4,
    });
    const app = appPool;
    return {
      backend: 'postgres',
      adminConnectionString,
      adminPool,
      appConnectionString,
      appPool,
      authorizationServerPool,
      appliedMigrations,
      queryAsAppRole: (sql, params) => app.query(sql, params),
      close: drop,
    };
  } catch (error) {
    await drop();
    throw error;
  }
}

async function createOnEmbedded(): Promise<TestDatabase> {
  const embedded = await startEmbeddedPostgres();
  try {
    const appliedMigrations = await runMigrations({ connectionString: embedded.connectionString });
    const pool = createDatabasePool({
      connectionString: embedded.connectionString,
      maxConnections: embedded.maxConnections,
    });
    return {
      backend: 'embedded',
      adminConnectionString: embedded.connectionString,
      adminPool: pool,
      appConnectionString: embedded.connectionString,
      appPool: pool,
      authorizationServerPool: pool,
      appliedMigrations,
      async queryAsAppRole(sql, params) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          await client.query(`SET LOCAL ROLE ${client.escapeIdentifier(DATABASE.appRole)}`);
          return await client.query(sql, params);
        } finally {
          await client.query('ROLLBACK').catch(() => {});
          client.release();
        }
      },
      async close() {
        await pool.end();
        await embedded.close();
      },
    };
  } catch (error) {
    await embedded.close();
    throw error;
  }
}
