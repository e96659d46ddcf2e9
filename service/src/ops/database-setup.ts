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
}

const APPLICATION_NAME = 'mcp-database-setup';

/**
 * Prepares the database for a new service version, before it serves: migrations as the setup login (which then owns
 * the tables), then the serving workload's Entra login as a member of the application role. Safe to run again.
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

  const workloadLogin = config.workload ? await setUpWorkloadLogin(config, config.workload, password, deps) : undefined;
  if (!workloadLogin) log.info('workload login not configured: skipped');
  log.info('database setup finished');
  return { appliedMigrations, ...(workloadLogin ? { workloadLogin } : {}) };
}

async function setUpWorkloadLogin(
  config: DatabaseSetupConfig,
  workload: WorkloadLogin,
  password: DatabasePassword | undefined,
  deps: DatabaseSetupDependencies,
): Promise<WorkloadLoginOutcome> {
  const { log } = deps;
  const principalDatabase = deps.principalDatabase ?? 'postgres';
  const client = new pg.Client({
    ...resolveConnectionConfig(withConnectionTarget(config.migrationUrl, { database: principalDatabase }), password),
    application_name: APPLICATION_NAME,
  });
  await client.connect();
  let outcome: WorkloadLoginOutcome;
  try {
    outcome = await ensureWorkloadLogin(client, workload);
  } finally {
    await client.end();
  }
  const { login, objectId } = workload;
  if (outcome.created) log.info('workload login created', { login, objectId, database: principalDatabase });
  // Its object id is not readable back on Azure; the Entra admin who made it is responsible for it matching.
  else log.info('workload login already existed', { login });
  log.info(outcome.granted ? 'workload login granted the application role' : 'workload login already a member', {
    login,
    appRole: DATABASE.appRole,
  });
  return outcome;
}
