import { z } from 'zod';
import { ConfigError } from '../config.js';
import { DATABASE, ENV, SECRET_NAMES, SECRETS_MOUNT_PATH } from '../contract.js';
import { resolveConnectionConfig } from '../data/connection-config.js';
import type { WorkloadLogin } from '../data/workload-login.js';
import { guid, parseEnv, readSecretFileIfPresent } from './ops-env.js';

export interface DatabaseSetupConfig {
  /** The setup identity's URL: postgres://<login>@<host>:5432/mcp?sslmode=verify-full. It owns the tables. */
  migrationUrl: string;
  /** entra: each connection's password is an Entra token of the pod's workload identity; password: the URL's. */
  auth: 'entra' | 'password';
  /** Present where the service logs in with a password: migrations then set the application role's password. */
  appRolePassword?: string;
  /** The serving workload's Entra login, to create and grant the application role; absent: skipped. */
  workload?: WorkloadLogin;
  /** The authorization server's own Entra login, created and granted the same way; absent: skipped. */
  authorizationServer?: WorkloadLogin;
}

// Postgres silently truncates longer names, so the login created would not be the one looked up.
const MAX_ROLE_NAME_BYTES = 63;

const roleName = z
  .string()
  .refine((value) => Buffer.byteLength(value) <= MAX_ROLE_NAME_BYTES, `must be at most ${MAX_ROLE_NAME_BYTES} bytes`);

const schema = z.object({
  [ENV.databaseMigrationUrl]: z
    .string()
    .refine((value) => /^postgres(ql)?:\/\//.test(value), 'must be a postgres:// URL'),
  [ENV.databaseAuth]: z.enum(['entra', 'password']).default('entra'),
  [ENV.secretsDir]: z.string().default(SECRETS_MOUNT_PATH),
  [ENV.databaseWorkloadLogin]: roleName.optional(),
  [ENV.databaseWorkloadObjectId]: guid.optional(),
  [ENV.databaseAuthorizationServerLogin]: roleName.optional(),
  [ENV.databaseAuthorizationServerObjectId]: guid.optional(),
});

/** A login and its object id come together: one without the other is a half-done setting, not "skip". */
function pairedLogin(
  login: string | undefined,
  objectId: string | undefined,
  names: { login: string; objectId: string; what: string },
  problems: string[],
): WorkloadLogin | undefined {
  if ((login === undefined) !== (objectId === undefined)) {
    const [missing, present] = login === undefined ? [names.login, names.objectId] : [names.objectId, names.login];
    problems.push(`${missing}: is required when ${present} is set (set both to create ${names.what}, or neither)`);
  }
  return login !== undefined && objectId !== undefined ? { login, objectId } : undefined;
}

/** Validates the database setup Job's environment; throws a ConfigError listing every problem. */
export function loadDatabaseSetupConfig(env: NodeJS.ProcessEnv): DatabaseSetupConfig {
  const e = parseEnv(schema, env);
  const problems: string[] = [];
  const migrationUrl = e[ENV.databaseMigrationUrl];
  const auth = e[ENV.databaseAuth];
  try {
    const connection = resolveConnectionConfig(migrationUrl);
    if (connection.user === undefined) {
      problems.push(
        `${ENV.databaseMigrationUrl}: must name the setup login (postgres://<login>@<host>:5432/<database>)`,
      );
    }
    // The password is then a bearer token for the whole server: never send it in clear text.
    if (auth === 'entra' && connection.ssl === false) {
      problems.push(
        `${ENV.databaseMigrationUrl}: needs sslmode=verify-full (or require) with ${ENV.databaseAuth}=entra`,
      );
    }
  } catch (error) {
    problems.push(`${ENV.databaseMigrationUrl}: ${(error as Error).message}`);
  }

  const workload = pairedLogin(
    e[ENV.databaseWorkloadLogin],
    e[ENV.databaseWorkloadObjectId],
    { login: ENV.databaseWorkloadLogin, objectId: ENV.databaseWorkloadObjectId, what: 'the workload login' },
    problems,
  );
  const authorizationServer = pairedLogin(
    e[ENV.databaseAuthorizationServerLogin],
    e[ENV.databaseAuthorizationServerObjectId],
    {
      login: ENV.databaseAuthorizationServerLogin,
      objectId: ENV.databaseAuthorizationServerObjectId,
      what: 'the authorization server login',
    },
    problems,
  );
  // Two logins for one identity, or one login for two, would give the MCP pods the authorization server's access.
  if (workload && authorizationServer) {
    if (workload.login === authorizationServer.login) {
      problems.push(`${ENV.databaseAuthorizationServerLogin}: must differ from ${ENV.databaseWorkloadLogin}`);
    }
    if (workload.objectId.toLowerCase() === authorizationServer.objectId.toLowerCase()) {
      problems.push(
        `${ENV.databaseAuthorizationServerObjectId}: must differ from ${ENV.databaseWorkloadObjectId} (the ` +
          'authorization server runs under its own Entra identity)',
      );
    }
  }

  let appRolePassword: string | undefined;
  try {
    appRolePassword = readSecretFileIfPresent(e[ENV.secretsDir], SECRET_NAMES.databasePassword);
    if (appRolePassword === '') problems.push(`${ENV.secretsDir}: ${SECRET_NAMES.databasePassword} is empty`);
  } catch (error) {
    problems.push(`${ENV.secretsDir}: cannot read ${SECRET_NAMES.databasePassword}: ${(error as Error).message}`);
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    migrationUrl,
    auth,
    ...(appRolePassword === undefined ? {} : { appRolePassword }),
    ...(workload ? { workload } : {}),
    // Its own tables' role besides the application role (migration 0009): only this login may read grants and accounts.
    ...(authorizationServer
      ? {
          authorizationServer: {
            ...authorizationServer,
            extraRoles: [DATABASE.authorizationServerRole],
            workloadName: 'the authorization server',
          },
        }
      : {}),
  };
}
