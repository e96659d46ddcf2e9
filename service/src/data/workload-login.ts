import type pg from 'pg';
import { DATABASE } from '../contract.js';
import { DataLayerError } from './errors.js';

/** The Microsoft Entra principal the serving pods log in as: its Postgres role name and its Entra object id. */
export interface WorkloadLogin {
  login: string;
  objectId: string;
  /** NOLOGIN roles granted besides the application role (the authorization server's own tables' role). */
  extraRoles?: readonly string[];
  /** Who logs in with it, for errors: "the MCP server" (default) or "the authorization server". */
  workloadName?: string;
}

export interface WorkloadLoginOutcome {
  /** false when the role already existed (created by an earlier run, another process, or by hand). */
  created: boolean;
  /** false when the role was already a direct member of the application role. */
  granted: boolean;
}

// SQLSTATEs: the function is not there; a concurrent CREATE ROLE won (see app-role.ts for why two codes).
const UNDEFINED_FUNCTION = '42883';
const DUPLICATE_OBJECT = '42710';
const UNIQUE_VIOLATION = '23505';

/**
 * Creates the workload identity's login when it does not exist and makes it a member of the application role, so
 * it gets exactly the application role's rights. Idempotent; runs as an Entra administrator of the server.
 *
 * Azure Database for PostgreSQL creates Entra logins only through pgaadauth_create_principal_with_oid (a plain
 * CREATE ROLE makes a password role the server then cannot map to the identity), and that function exists only in
 * the `postgres` database: the client must be connected there. Roles and memberships are cluster-wide, so the grant
 * made from there holds in the service's database.
 */
export async function ensureWorkloadLogin(
  client: pg.ClientBase,
  workload: WorkloadLogin,
): Promise<WorkloadLoginOutcome> {
  const created = (await roleAttributes(client, workload.login)) ? false : await createPrincipal(client, workload);
  const attributes = await roleAttributes(client, workload.login);
  if (!attributes) {
    throw new DataLayerError('unsafe_workload_login', `The login ${workload.login} could not be created`);
  }
  refuseUnsafe(workload.login, workload.workloadName ?? 'the MCP server', attributes);
  const granted = await grantIfMissing(client, DATABASE.appRole, workload.login);
  for (const role of workload.extraRoles ?? []) await grantIfMissing(client, role, workload.login);
  return { created, granted };
}

interface RoleAttributes {
  rolsuper: boolean;
  rolbypassrls: boolean;
  rolcreaterole: boolean;
  is_current_user: boolean;
}

async function roleAttributes(client: pg.ClientBase, login: string): Promise<RoleAttributes | undefined> {
  const { rows } = await client.query<RoleAttributes>(
    `SELECT rolsuper, rolbypassrls, rolcreaterole, rolname = current_user AS is_current_user
       FROM pg_roles WHERE rolname = $1`,
    [login],
  );
  return rows[0];
}

/** Returns true when this call created the principal, false when a concurrent run did. */
async function createPrincipal(client: pg.ClientBase, workload: WorkloadLogin): Promise<boolean> {
  try {
    // 'service': a managed identity or application (not a user or group); not an admin; no MFA claim required.
    await client.query(`SELECT * FROM pgaadauth_create_principal_with_oid($1, $2, 'service', false, false)`, [
      workload.login,
      workload.objectId,
    ]);
    return true;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === DUPLICATE_OBJECT || code === UNIQUE_VIOLATION) return false;
    if (code === UNDEFINED_FUNCTION) {
      const { rows } = await client.query<{ database: string }>('SELECT current_database() AS database');
      throw new DataLayerError(
        'entra_principals_unavailable',
        `Cannot create the Entra login ${workload.login}: pgaadauth_create_principal_with_oid does not exist in ` +
          `database ${rows[0]?.database}. The server is not Azure Database for PostgreSQL with Microsoft Entra ` +
          'authentication enabled (on Azure the function lives in the postgres database).',
        { cause: error },
      );
    }
    throw error;
  }
}

/**
 * Membership in the application role is the only right the login should have. Anything that bypasses row-level
 * security, or lets it grant itself the owner's role (CREATEROLE), or being the owner itself, defeats tenant
 * isolation, so setup stops instead of granting.
 */
function refuseUnsafe(login: string, workloadName: string, attributes: RoleAttributes): void {
  const powers = [
    attributes.rolsuper && 'SUPERUSER',
    attributes.rolbypassrls && 'BYPASSRLS',
    attributes.rolcreaterole && 'CREATEROLE',
  ].filter((power): power is string => typeof power === 'string');
  if (attributes.is_current_user) {
    throw new DataLayerError(
      'unsafe_workload_login',
      `The login ${login} of ${workloadName} is the login running the setup, which owns the tables. Give ` +
        `${workloadName} its own Entra identity.`,
    );
  }
  if (powers.length > 0) {
    throw new DataLayerError(
      'unsafe_workload_login',
      `The role ${login} has ${powers.join(', ')}, which would let ${workloadName} bypass row-level security. ` +
        `Remove ${powers.join(', ')} from it (or drop it and let setup recreate it) before granting ${DATABASE.appRole}.`,
    );
  }
}

async function isDirectMember(client: pg.ClientBase, role: string, login: string): Promise<boolean> {
  const { rows } = await client.query(
    `SELECT 1 FROM pg_auth_members m
       JOIN pg_roles granted ON granted.oid = m.roleid
       JOIN pg_roles member ON member.oid = m.member
      WHERE granted.rolname = $1 AND member.rolname = $2`,
    [role, login],
  );
  return rows.length > 0;
}

/** Returns false when the login already was a direct member, or a concurrent run granted it first. */
async function grantIfMissing(client: pg.ClientBase, role: string, login: string): Promise<boolean> {
  if (await isDirectMember(client, role, login)) return false;
  try {
    await client.query(`GRANT ${client.escapeIdentifier(role)} TO ${client.escapeIdentifier(login)}`);
    return true;
  } catch (error) {
    if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) return false;
    throw error;
  }
}
