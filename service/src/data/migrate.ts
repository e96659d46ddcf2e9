import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { DATABASE } from '../contract.js';
import { ensureAppRole } from './app-role.js';
import { type DatabasePassword, resolveConnectionConfig } from './connection-config.js';
import { DataLayerError } from './errors.js';

export interface RunMigrationsOptions {
  /** The owner (admin) role's URL: the tables belong to it, never to the service's role. */
  connectionString: string;
  /** Replaces the URL's password; a function is asked on connect (an Entra token where Postgres takes those). */
  password?: DatabasePassword;
  /** Sets the service role's password (stored as a SCRAM verifier); omit where it logs in otherwise. */
  appRolePassword?: string;
  log?: (message: string) => void;
  /** Defaults to the `migrations` folder shipped next to the service (service/migrations). */
  migrationsDir?: string;
}

const MIGRATIONS_TABLE = 'pgmigrations';
// The session setting the SQL migrations read the service role's name from (see 0001_tenancy-context.sql).
const APP_ROLE_SETTING = 'mcp.app_role';
const SEARCH_ROLE_SETTING = 'mcp.search_role';
const AUTHORIZATION_SERVER_ROLE_SETTING = 'mcp.authorization_server_role';

/** Applies the pending SQL migrations in one transaction and returns their names (empty when up to date). */
export async function runMigrations(options: RunMigrationsOptions): Promise<string[]> {
  const log = options.log ?? (() => {});
  const dir = options.migrationsDir ?? findMigrationsDir();
  const client = new pg.Client({
    ...resolveConnectionConfig(options.connectionString, options.password),
    application_name: 'mcp-migrations',
  });
  await client.connect();
  try {
    await ensureAppRole(client, { password: options.appRolePassword });
    await client.query('SELECT set_config($1, $2, false)', [APP_ROLE_SETTING, DATABASE.appRole]);
    await client.query('SELECT set_config($1, $2, false)', [SEARCH_ROLE_SETTING, DATABASE.searchRole]);
    await client.query('SELECT set_config($1, $2, false)', [
      AUTHORIZATION_SERVER_ROLE_SETTING,
      DATABASE.authorizationServerRole,
    ]);
    // Loaded here, not at start-up: the server process runs migrations only when told to (DATABASE_MIGRATION_URL).
    const { runner } = await import('node-pg-migrate');
    const applied = await runner({
      dbClient: client,
      dir,
      direction: 'up',
      migrationsTable: MIGRATIONS_TABLE,
      checkOrder: true,
      singleTransaction: true,
      // Pods starting together queue behind node-pg-migrate's advisory lock instead of failing.
      advisoryLockMode: 'wait',
      logger: { debug: () => {}, info: log, warn: log, error: log },
    });
    return applied.map((migration) => migration.name);
  } finally {
    await client.end();
  }
}

/**
 * The source tree (src/data) and the build (dist/data) both sit two levels below the service folder, where the
 * container image also ships `migrations/`; walking up a few levels tolerates other layouts.
 */
function findMigrationsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let level = 0; level < 4; level += 1) {
    const candidate = join(dir, 'migrations');
    if (existsSync(candidate) && readdirSync(candidate).some((name) => name.endsWith('.sql'))) return candidate;
    dir = dirname(dir);
  }
  throw new DataLayerError(
    'migrations_not_found',
    `No migrations folder with .sql files found above ${fileURLToPath(import.meta.url)}; pass migrationsDir`,
  );
}
