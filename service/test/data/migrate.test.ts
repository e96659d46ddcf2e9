import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE } from '../../src/contract.js';
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

  it('enables and forces row-level security on every table that has a tenant_id column', async () => {
    const { rows } = await db.adminPool.query<{ table: string; enabled: boolean; forced: boolean }>(
      `SELECT c.relname AS table, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced
         FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
        WHERE a.attname = 'tenant_id' AND c.relkind = 'r' AND NOT a.attisdropped
        ORDER BY c.relname`,
    );
    expect(rows.map((row) => row.table)).toEqual(['audit_events', 'documents']);
    for (const row of rows)
      expect({ table: row.table, enabled: row.enabled, forced: row.forced }).toEqual({
        table: row.table,
        enabled: true,
        forced: true,
      });
  });

  it.runIf(backend === 'postgres')(
    'refuses to run migrations as the application role (postgres only: embedded has one superuser login)',
    async () => {
      const error = await runMigrations({ connectionString: db.appConnectionString }).catch((e: unknown) => e);
      expect(isDataLayerError(error, 'unsafe_app_role')).toBe(true);
    },
  );
});
