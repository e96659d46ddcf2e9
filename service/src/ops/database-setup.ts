import type { TokenCredential } from '@azure/identity';
import pg from 'pg';
import { DATABASE } from '../contract.js';
import { type DatabasePassword, resolveConnectionConfig, withConnectionTarget } from '../data/connection-config.js';
import { runMigrations } from '../data/migrate.js';
import { ensureWorkloadLogin, type WorkloadLogin, type WorkloadLoginOutcome } from '../data/workload-login.js';
import { createEntraTokenPassword } from '../secrets/entra-token-password.js';
import { workloadIdentityCredential } from '../secrets/workload-identity-credential.js';
import type { DatabaseSetupConfig } from './database-setup-config.js';
import type { OpsLogger } from './ops-log.js';

export interface DatabaseSetupDependencies {
  log: OpsLogger;
  /** The setup Job's own identity (an Entra administrator of the server); asked only with auth 'entra'. */
  credential?: TokenCredential;
  /** Where Entra logins are created: Azure has pgaadauth_create_principal_with_oid only in `postgres`. */
  principalDatabase?: string;
  /** Defaults to the migrations shipped with the service. */
  migrationsDir?: string;
}

export interface DatabaseSetupOutcome {
  appliedMigrations: string[];
  /** Absent when no workload login is configured. */
  workloadLogin?: WorkloadLoginOutcome;
  /** Absent when no authorization server login is configured. */
  authorizationServerLogin?: WorkloadLoginOutcome;
}

/** A login the setup creates: what its log lines call it, and which one. */
interface ConfiguredLogin {
  role: 'workload' | 'authorization server';
  login: WorkloadLogin;
}

const APPLICATION_NAME = 'mcp-database-setup';

/**
 * Prepares the database for a new service version, before it serves: migrations as the setup login (which then owns
 * the tables), then the serving workload's Entra login and the authorization server's (each when configured), as
 * members of the application role. Safe to run again.
 */
export async function runDatabaseSetup(
  config: DatabaseSetupConfig,
  deps: DatabaseSetupDependencies,
): Promise<DatabaseSetupOutcome> {
  const { log } = deps;
  const target = resolveConnectionConfig(config.migrationUrl);
  // One token provider for both connections: the second one reuses the cached token.
  const password: DatabasePassword | undefined =
    config.auth === 'entra' ? createEntraTokenPassword(deps.credential ?? workloadIdentityCredential()) : undefined;
  log.info('database setup started', {
    host: target.host,
    database: target.database,
    login: target.user,
    auth: config.auth,
    workloadLogin: config.workload?.login ?? null,
    ...(config.authorizationServer ? { authorizationServerLogin: config.authorizationServer.login } : {}),
  });

  const appliedMigrations = await runMigrations({
    connectionString: config.migrationUrl,
    password,
    appRolePassword: config.appRolePassword,
    migrationsDir: deps.migrationsDir,
  });
  log.info('migrations done', {
    applied: appliedMigrations,
    appRole: DATABASE.appRole,
    appRolePasswordSet: config.appRolePassword !== undefined,
  });

  const logins: ConfiguredLogin[] = [
    ...(config.workload ? [{ role: 'workload' as const, login: config.workload }] : []),
    ...(config.authorizationServer
      ? [{ role: 'authorization server' as const, login: config.authorizationServer }]
      : []),
  ];
  const outcomes = logins.length > 0 ? await setUpLogins(config, logins, password, deps) : [];
  const workloadLogin = outcomes[logins.findIndex((entry) => entry.role === 'workload')];
  const authorizationServerLogin = outcomes[logins.findIndex((entry) => entry.role === 'authorization server')];
  if (!workloadLogin) log.info('workload login not configured: skipped');
  log.info('database setup finished');
  return {
    appliedMigrations,
    ...(workloadLogin ? { workloadLogin } : {}),
    ...(authorizationServerLogin ? { authorizationServerLogin } : {}),
  };
}

/** Each login in turn, over one connection to the database where Azure creates Entra principals. */
async function setUpLogins(
  config: DatabaseSetupConfig,
  logins: readonly ConfiguredLogin[],
  password: DatabasePassword | undefined,
  deps: DatabaseSetupDependencies,
): Promise<WorkloadLoginOutcome[]> {
  const { log } = deps;
  const principalDatabase = deps.principalDatabase ?? 'postgres';
  const client = new pg.Client({
    ...resolveConnectionConfig(withConnectionTarget(config.migrationUrl, { database: principalDatabase }), password),
    application_name: APPLICATION_NAME,
  });
  await client.connect();
  const outcomes: WorkloadLoginOutcome[] = [];
  try {
    for (const { role, login: configured } of logins) {
      const outcome = await ensureWorkloadLogin(client, configured);
      outcomes.push(outcome);
      const { login, objectId } = configured;
      if (outcome.created) log.info(`${role} login created`, { login, objectId, database: principalDatabase });
      // Its object id is not readable back on Azure; the Entra admin who made it is responsible for it matching.
      else log.info(`${role} login already existed`, { login });
      log.info(outcome.granted ? `${role} login granted the application role` : `${role} login already a member`, {
        login,
        appRole: DATABASE.appRole,
      });
    }
  } finally {
    await client.end();
  }
  return outcomes;
}
