import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE, ENV } from '../../src/contract.js';
import { withConnectionTarget } from '../../src/data/connection-config.js';
import { isDataLayerError } from '../../src/data/errors.js';
import { runMigrations } from '../../src/data/migrate.js';
import { availableDatabaseBackends, createTestDatabase, type TestDatabase } from '../helpers/database.js';

const migrationFiles = readdirSync(fileURLToPath(new URL('../../migrations', import.meta.url)))
  .filter((name) => name.endsWith('.sql'))
  .map((name) => name.replace(/\.sql$/, ''))
  .sort();

describe.each(availableDatabaseBackends())('migrations on %s', (backend) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(backend);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('applies every SQL migration once, in order, and nothing on a second run', async () => {
    expect(db.appliedMigrations).toEqual(migrationFiles);
    expect(await runMigrations({ connectionString: db.adminConnectionString })).toEqual([]);
    const { rows } = await db.adminPool.query<{ name: string }>('SELECT name FROM pgmigrations ORDER BY run_on, id');
    expect(rows.map((row) => row.name)).toEqual(migrationFiles);
  });

  it('gives the application role neither superuser nor BYPASSRLS', async () => {
    const { rows } = await db.adminPool.query('SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1', [
      DATABASE.appRole,
    ]);
    expect(rows).toEqual([{ rolsuper: false, rolbypassrls: false }]);
  });

  it('makes the application role the owner of no table, and the owner of the tables not the application role', async () => {
    const { rows } = await db.adminPool.query<{ tablename: string; tableowner: string }>(
      `SELECT tablename, tableowner FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
    );
    expect(rows.map((row) => row.tablename)).toEqual(expect.arrayContaining(['audit_events', 'documents']));
    for (const row of rows) expect(row.tableowner).not.toBe(DATABASE.appRole);
  });

  it('enables and forces row-level security on every table with a tenant_id column the application role can read', async () => {
    const { rows } = await db.adminPool.query<{ table: string; enabled: boolean; forced: boolean }>(
      `SELECT c.relname AS table, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced
         FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
        WHERE a.attname = 'tenant_id' AND c.relkind = 'r' AND NOT a.attisdropped
          AND has_table_privilege($1, c.oid, 'SELECT')
        ORDER BY c.relname`,
      [DATABASE.appRole],
    );
    expect(rows.map((row) => row.table)).toEqual(['audit_events', 'consents', 'documents']);
    for (const row of rows)
      expect({ table: row.table, enabled: row.enabled, forced: row.forced }).toEqual({
        table: row.table,
        enabled: true,
        forced: true,
      });
  });

  it("gives the authorization server's tables (no row-level security: looked up by id) to its own role only", async () => {
    const { rows } = await db.adminPool.query<{ table: string; app: boolean; as: boolean }>(
      `SELECT c.relname AS table,
              has_table_privilege($1, c.oid, 'SELECT, INSERT, UPDATE, DELETE') AS app,
              has_table_privilege($2, c.oid, 'SELECT') AS as
         FROM pg_class c
        WHERE c.relkind = 'r' AND c.relname LIKE 'oauth\\_%'
        ORDER BY c.relname`,
      [DATABASE.appRole, DATABASE.authorizationServerRole],
    );
    expect(rows).toEqual([
      { table: 'oauth_accounts', app: false, as: true },
      { table: 'oauth_records', app: false, as: true },
    ]);
  });

  if (backend !== 'postgres')
    console.info('data tests: migrations-as-app-role test skipped on embedded: it has one superuser login');
  it.runIf(backend === 'postgres')(
    'refuses to run migrations as the application role (postgres only: embedded has one superuser login)',
    async () => {
      const error = await runMigrations({ connectionString: db.appConnectionString }).catch((e: unknown) => e);
      expect(isDataLayerError(error, 'unsafe_app_role')).toBe(true);
    },
  );
});

// Azure Database for PostgreSQL has no superuser: the admin is an ordinary role with CREATEROLE that owns the
// database. This is that setup on the machine's server.
const serverUrl = process.env[ENV.databaseUrl];
describe.runIf(serverUrl)('migrations as a non-superuser owner, as on Azure (postgres only)', () => {
  const suffix = randomBytes(5).toString('hex');
  const owner = `mcp_owner_${suffix}`;
  const database = `mcp_test_owner_${suffix}`;
  let server: pg.Client;
  beforeAll(async () => {
    server = new pg.Client({ connectionString: serverUrl });
    await server.connect();
    await server.query(`CREATE ROLE ${owner} LOGIN CREATEROLE NOSUPERUSER NOBYPASSRLS`);
    await server.query(`CREATE DATABASE ${database} OWNER ${owner}`);
  });
  afterAll(async () => {
    await server.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await server.query(`DROP ROLE IF EXISTS ${owner}`);
    await server.end();
  });

  it('migrates, and row-level security then applies to the owner itself (FORCE)', async () => {
    const ownerUrl = withConnectionTarget(serverUrl!, { user: owner, database });
    expect(await runMigrations({ connectionString: ownerUrl })).toEqual(migrationFiles);
    const asOwner = new pg.Client({ connectionString: ownerUrl });
    await asOwner.connect();
    try {
      const { rows } = await asOwner.query(
        `SELECT tablename, tableowner FROM pg_tables WHERE tablename IN ('documents', 'audit_events') ORDER BY 1`,
      );
      expect(rows).toEqual([
        { tablename: 'audit_events', tableowner: owner },
        { tablename: 'documents', tableowner: owner },
      ]);
      // Without a tenant context even the owner may not insert a tenant's row.
      const insert = await asOwner
        .query(`INSERT INTO documents (tenant_id, owner_id, title) VALUES ('acme', 'alice', 'x')`)
        .catch((e: unknown) => e);
      expect(insert).toMatchObject({ code: '42501' });
      await asOwner.query('BEGIN');
      await asOwner.query(`SELECT set_config('app.tenant_id', 'acme', true), set_config('app.user_id', 'alice', true)`);
      await asOwner.query(`INSERT INTO documents (tenant_id, owner_id, title) VALUES ('acme', 'alice', 'x')`);
      await asOwner.query('COMMIT');
      const { rows: visible } = await asOwner.query<{ n: number }>('SELECT count(*)::int AS n FROM documents');
      expect(visible).toEqual([{ n: 0 }]);
    } finally {
      await asOwner.end();
    }
  });
});
