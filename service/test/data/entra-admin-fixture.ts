import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DATABASE, ENV } from '../../src/contract.js';
import { ensureAppRole } from '../../src/data/app-role.js';
import { withConnectionTarget } from '../../src/data/connection-config.js';

/**
 * Azure Database for PostgreSQL with Entra authentication, as far as the database setup sees it, on the machine's
 * server (DATABASE_URL, a superuser):
 * - the Entra administrator is an ordinary role with CREATEROLE (no superuser) that owns the service's database;
 * - `pgaadauth_create_principal_with_oid` exists in one database only (Azure's `postgres`); here a stub that creates
 *   a login role and records the arguments it was given, so tests can see the object id and principal type.
 * Roles are cluster-wide: every name carries a random suffix, and close() drops all of them.
 */
export interface EntraAdminFixture {
  serverUrl: string;
  /** The setup login: LOGIN CREATEROLE, not a superuser, owner of `database`. */
  setupLogin: string;
  /** Owned by the setup login; has no pgaadauth function. */
  database: string;
  /** Has the pgaadauth stub, as Azure's `postgres` database has the real function. */
  principalDatabase: string;
  /** The setup login's URL to one of the databases. */
  setupUrl(database: string): string;
  /** A role name unique to this run (dropped by close()); the label keeps a dash, as Entra logins often have one. */
  roleName(label: string): string;
  /** Superuser connection for arranging roles and inspecting the catalog. */
  superuser: pg.Client;
  /** The calls the stub received, oldest first. */
  principalCalls(): Promise<PrincipalCall[]>;
  close(): Promise<void>;
}

export interface PrincipalCall {
  rolename: string;
  objectid: string;
  objecttype: string;
  isadmin: boolean;
  ismfa: boolean;
}

const STUB = `
  CREATE TABLE stub_principal_calls (
    id bigint GENERATED ALWAYS AS IDENTITY,
    rolename text, objectid text, objecttype text, isadmin boolean, ismfa boolean
  );
  GRANT INSERT ON stub_principal_calls TO PUBLIC;
  CREATE FUNCTION pgaadauth_create_principal_with_oid(
    rolename text, objectid text, objecttype text, isadmin boolean, ismfa boolean
  ) RETURNS text LANGUAGE plpgsql AS $stub$
  BEGIN
    EXECUTE format('CREATE ROLE %I LOGIN', rolename);
    INSERT INTO stub_principal_calls (rolename, objectid, objecttype, isadmin, ismfa)
      VALUES (rolename, objectid, objecttype, isadmin, ismfa);
    RETURN format('Created role for "%s"', rolename);
  END
  $stub$;
`;

export async function createEntraAdminFixture(): Promise<EntraAdminFixture> {
  const serverUrl = process.env[ENV.databaseUrl];
  if (!serverUrl) throw new Error(`${ENV.databaseUrl} is not set`);
  const suffix = randomBytes(5).toString('hex');
  const setupLogin = `mcp_setup_${suffix}`;
  const database = `mcp_test_setup_${suffix}`;
  const principalDatabase = `mcp_test_principals_${suffix}`;
  const roles = new Set<string>([setupLogin]);
  const superuser = new pg.Client({ connectionString: serverUrl });
  await superuser.connect();

  const close = async () => {
    for (const name of [database, principalDatabase]) {
      await superuser.query(`DROP DATABASE IF EXISTS ${superuser.escapeIdentifier(name)} WITH (FORCE)`);
    }
    for (const role of [...roles].reverse()) {
      await superuser.query(`DROP ROLE IF EXISTS ${superuser.escapeIdentifier(role)}`);
    }
    await superuser.end();
  };
  try {
    await superuser.query(`CREATE ROLE ${setupLogin} LOGIN CREATEROLE NOSUPERUSER NOBYPASSRLS`);
    await superuser.query(`CREATE DATABASE ${database} OWNER ${setupLogin}`);
    await superuser.query(`CREATE DATABASE ${principalDatabase}`);
    const inPrincipals = new pg.Client({
      connectionString: withConnectionTarget(serverUrl, { database: principalDatabase }),
    });
    await inPrincipals.connect();
    try {
      await inPrincipals.query(STUB);
    } finally {
      await inPrincipals.end();
    }
    // The application role is shared by every test database on this server; whoever comes first creates it.
    await ensureAppRole(superuser);
    // From Postgres 16 on, granting a role (or setting its password) takes ADMIN OPTION on it. On Azure the
    // administrator created mcp_app itself and so holds it; here a superuser may have created it.
    const { rows } = await superuser.query<{ version: number }>(
      `SELECT current_setting('server_version_num')::int AS version`,
    );
    if ((rows[0]?.version ?? 0) >= 160000) {
      await superuser.query(`GRANT ${DATABASE.appRole} TO ${setupLogin} WITH ADMIN OPTION, INHERIT FALSE, SET FALSE`);
    }
  } catch (error) {
    await close();
    throw error;
  }

  return {
    serverUrl,
    setupLogin,
    database,
    principalDatabase,
    setupUrl: (target) => withConnectionTarget(serverUrl, { user: setupLogin, database: target }),
    roleName(label) {
      const name = `mcp-${label}-${randomBytes(4).toString('hex')}`;
      roles.add(name);
      return name;
    },
    superuser,
    async principalCalls() {
      const client = new pg.Client({
        connectionString: withConnectionTarget(serverUrl, { database: principalDatabase }),
      });
      await client.connect();
      try {
        const { rows: calls } = await client.query<PrincipalCall>(
          'SELECT rolename, objectid, objecttype, isadmin, ismfa FROM stub_principal_calls ORDER BY id',
        );
        return calls;
      } finally {
        await client.end();
      }
    },
    close,
  };
}

/** Whether `member` is a direct member of the application role (or of `role`). */
export async function isAppRoleMember(
  client: pg.ClientBase,
  member: string,
  role: string = DATABASE.appRole,
): Promise<boolean> {
  const { rows } = await client.query(
    `SELECT 1 FROM pg_auth_members m
       JOIN pg_roles granted ON granted.oid = m.roleid
       JOIN pg_roles member ON member.oid = m.member
      WHERE granted.rolname = $1 AND member.rolname = $2`,
    [role, member],
  );
  return rows.length > 0;
}
