import type pg from 'pg';
import { DATABASE } from '../contract.js';
import { DataLayerError } from './errors.js';
import { scramSha256Verifier } from './password-verifier.js';

/**
 * Creates the service's role when it does not exist, sets its password when one is given, and refuses to go on
 * when the role could defeat row-level security. Runs as the owner (migration) role.
 *
 * The role is cluster-wide while migrations are per database, and several processes (pods starting together,
 * parallel test files) may get here at once: CREATE ROLE racing CREATE ROLE fails with duplicate_object, or
 * unique_violation on pg_authid's index when both inserts overlap; both mean "someone else created it".
 */
export async function ensureAppRole(client: pg.ClientBase, options: { password?: string } = {}): Promise<void> {
  const role = client.escapeIdentifier(DATABASE.appRole);
  const { rows: sessionRows } = await client.query<{ current_user: string }>('SELECT current_user');
  if (sessionRows[0]?.current_user === DATABASE.appRole) {
    throw new DataLayerError(
      'unsafe_app_role',
      `Migrations are running as ${DATABASE.appRole}, which would make it the owner of the tables and let it ` +
        'switch row-level security off. Run migrations as the database owner (admin) role.',
    );
  }
  await client.query(`
    DO $create$
    BEGIN
      CREATE ROLE ${role} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL;
    END
    $create$`);
  const { rows } = await client.query<{ rolsuper: boolean; rolbypassrls: boolean }>(
    'SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1',
    [DATABASE.appRole],
  );
  const attributes = rows[0];
  if (!attributes) {
    throw new DataLayerError('unsafe_app_role', `The role ${DATABASE.appRole} could not be created`);
  }
  if (attributes.rolsuper || attributes.rolbypassrls) {
    throw new DataLayerError(
      'unsafe_app_role',
      `The role ${DATABASE.appRole} has ${attributes.rolsuper ? 'SUPERUSER' : 'BYPASSRLS'}, which bypasses ` +
        `row-level security. Run ALTER ROLE ${DATABASE.appRole} NOSUPERUSER NOBYPASSRLS as a superuser.`,
    );
  }
  if (options.password !== undefined) {
    if (options.password.length < 16) {
      throw new DataLayerError(
        'unsafe_app_role',
        `The password for ${DATABASE.appRole} must be at least 16 characters`,
      );
    }
    await client.query(
      `ALTER ROLE ${role} WITH LOGIN PASSWORD ${client.escapeLiteral(scramSha256Verifier(options.password))}`,
    );
  }
}
