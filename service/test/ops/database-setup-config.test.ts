import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.js';
import { DATABASE, ENV, SECRET_NAMES } from '../../src/contract.js';
import { loadDatabaseSetupConfig } from '../../src/ops/database-setup-config.js';

const emptySecrets = mkdtempSync(join(tmpdir(), 'mcp-setup-secrets-'));
const valid = {
  [ENV.databaseMigrationUrl]: 'postgres://mcp-db-setup@pg.postgres.database.azure.com:5432/mcp?sslmode=verify-full',
  [ENV.secretsDir]: emptySecrets,
};
const objectId = '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadDatabaseSetupConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

function secretsDirWith(content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-setup-secrets-'));
  writeFileSync(join(dir, SECRET_NAMES.databasePassword), content);
  return dir;
}

describe('loadDatabaseSetupConfig', () => {
  it('defaults to Entra auth, no app role password and no workload login', () => {
    expect(loadDatabaseSetupConfig(valid)).toEqual({ migrationUrl: valid[ENV.databaseMigrationUrl], auth: 'entra' });
  });

  it('requires the migration URL, naming the variable', () => {
    expect(problemsOf({ [ENV.secretsDir]: emptySecrets })).toEqual([
      `${ENV.databaseMigrationUrl}: is required but not set`,
    ]);
  });

  it.each([
    ['mysql://admin@db:3306/mcp', 'must be a postgres:// URL'],
    ['postgres://db.example.com:5432/mcp?sslmode=verify-full', 'must name the setup login'],
    ['postgres://admin@db.example.com:5432/mcp?sslmode=prefer', 'sslmode=prefer is not supported'],
    ['postgres://admin@db.example.com:5432/mcp', 'needs sslmode=verify-full'],
  ])('refuses %s', (url, problem) => {
    const problems = problemsOf({ ...valid, [ENV.databaseMigrationUrl]: url });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${ENV.databaseMigrationUrl}: .*${problem}`));
  });

  it('accepts a plain-TCP URL with password auth (local servers only take that)', () => {
    const url = 'postgres://admin@127.0.0.1:5432/mcp';
    expect(
      loadDatabaseSetupConfig({ ...valid, [ENV.databaseMigrationUrl]: url, [ENV.databaseAuth]: 'password' }),
    ).toEqual({
      migrationUrl: url,
      auth: 'password',
    });
  });

  it('refuses an unknown auth mode, naming the variable', () => {
    expect(problemsOf({ ...valid, [ENV.databaseAuth]: 'kerberos' })[0]).toMatch(new RegExp(`^${ENV.databaseAuth}: `));
  });

  it('takes the workload login and object id together, and only a GUID as object id', () => {
    expect(
      loadDatabaseSetupConfig({
        ...valid,
        [ENV.databaseWorkloadLogin]: 'mcp-workload',
        [ENV.databaseWorkloadObjectId]: objectId,
      }).workload,
    ).toEqual({ login: 'mcp-workload', objectId });
    expect(problemsOf({ ...valid, [ENV.databaseWorkloadLogin]: 'mcp-workload' })).toEqual([
      expect.stringMatching(
        new RegExp(`^${ENV.databaseWorkloadObjectId}: is required when ${ENV.databaseWorkloadLogin}`),
      ),
    ]);
    expect(problemsOf({ ...valid, [ENV.databaseWorkloadObjectId]: objectId })).toEqual([
      expect.stringMatching(
        new RegExp(`^${ENV.databaseWorkloadLogin}: is required when ${ENV.databaseWorkloadObjectId}`),
      ),
    ]);
    expect(
      problemsOf({
        ...valid,
        [ENV.databaseWorkloadLogin]: 'mcp-workload',
        [ENV.databaseWorkloadObjectId]: 'not-a-guid',
      }),
    ).toEqual([`${ENV.databaseWorkloadObjectId}: must be an Entra object id (a GUID)`]);
    expect(
      problemsOf({ ...valid, [ENV.databaseWorkloadLogin]: 'x'.repeat(64), [ENV.databaseWorkloadObjectId]: objectId }),
    ).toEqual([`${ENV.databaseWorkloadLogin}: must be at most 63 bytes`]);
  });

  it('takes the authorization server login and object id together, like the workload pair', () => {
    const authorizationServerId = '1c2d3e4f-5061-7283-94a5-b6c7d8e9f0a1';
    expect(
      loadDatabaseSetupConfig({
        ...valid,
        [ENV.databaseAuthorizationServerLogin]: DATABASE.authorizationServerLogin,
        [ENV.databaseAuthorizationServerObjectId]: authorizationServerId,
      }),
    ).toEqual({
      migrationUrl: valid[ENV.databaseMigrationUrl],
      auth: 'entra',
      authorizationServer: {
        login: DATABASE.authorizationServerLogin,
        objectId: authorizationServerId,
        extraRoles: [DATABASE.authorizationServerRole],
        workloadName: 'the authorization server',
      },
    });
    expect(problemsOf({ ...valid, [ENV.databaseAuthorizationServerLogin]: DATABASE.authorizationServerLogin })).toEqual(
      [
        `${ENV.databaseAuthorizationServerObjectId}: is required when ${ENV.databaseAuthorizationServerLogin} is set ` +
          '(set both to create the authorization server login, or neither)',
      ],
    );
    expect(problemsOf({ ...valid, [ENV.databaseAuthorizationServerObjectId]: authorizationServerId })).toEqual([
      expect.stringMatching(
        new RegExp(
          `^${ENV.databaseAuthorizationServerLogin}: is required when ${ENV.databaseAuthorizationServerObjectId}`,
        ),
      ),
    ]);
    expect(
      problemsOf({
        ...valid,
        [ENV.databaseAuthorizationServerLogin]: 'y'.repeat(64),
        [ENV.databaseAuthorizationServerObjectId]: 'not-a-guid',
      }),
    ).toEqual([
      `${ENV.databaseAuthorizationServerLogin}: must be at most 63 bytes`,
      `${ENV.databaseAuthorizationServerObjectId}: must be an Entra object id (a GUID)`,
    ]);
  });

  it('takes both logins at once, and refuses one login or one identity for both', () => {
    const authorizationServerId = '1c2d3e4f-5061-7283-94a5-b6c7d8e9f0a1';
    const both = {
      ...valid,
      [ENV.databaseWorkloadLogin]: DATABASE.workloadLogin,
      [ENV.databaseWorkloadObjectId]: objectId,
      [ENV.databaseAuthorizationServerLogin]: DATABASE.authorizationServerLogin,
      [ENV.databaseAuthorizationServerObjectId]: authorizationServerId,
    };
    expect(loadDatabaseSetupConfig(both)).toMatchObject({
      workload: { login: DATABASE.workloadLogin, objectId },
      authorizationServer: {
        login: DATABASE.authorizationServerLogin,
        objectId: authorizationServerId,
        extraRoles: [DATABASE.authorizationServerRole],
        workloadName: 'the authorization server',
      },
    });
    expect(problemsOf({ ...both, [ENV.databaseAuthorizationServerLogin]: DATABASE.workloadLogin })).toEqual([
      `${ENV.databaseAuthorizationServerLogin}: must differ from ${ENV.databaseWorkloadLogin}`,
    ]);
    expect(problemsOf({ ...both, [ENV.databaseAuthorizationServerObjectId]: objectId.toUpperCase() })).toEqual([
      expect.stringMatching(
        new RegExp(`^${ENV.databaseAuthorizationServerObjectId}: must differ from ${ENV.databaseWorkloadObjectId}`),
      ),
    ]);
  });

  it('passes the app role password from the secrets file, trimmed, when the file exists', () => {
    const config = loadDatabaseSetupConfig({
      ...valid,
      [ENV.secretsDir]: secretsDirWith('  s3cret-app-role-password\n'),
    });
    expect(config.appRolePassword).toBe('s3cret-app-role-password');
  });

  it('refuses an empty or unreadable app role password file', () => {
    expect(problemsOf({ ...valid, [ENV.secretsDir]: secretsDirWith('\n') })).toEqual([
      `${ENV.secretsDir}: ${SECRET_NAMES.databasePassword} is empty`,
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'mcp-setup-secrets-'));
    mkdirSync(join(dir, SECRET_NAMES.databasePassword));
    expect(problemsOf({ ...valid, [ENV.secretsDir]: dir })[0]).toMatch(
      new RegExp(`^${ENV.secretsDir}: cannot read ${SECRET_NAMES.databasePassword}: .*EISDIR`),
    );
  });

  it('lists every problem at once', () => {
    const problems = problemsOf({
      [ENV.databaseAuth]: 'none',
      [ENV.databaseWorkloadObjectId]: 'nope',
      [ENV.secretsDir]: emptySecrets,
    });
    expect(problems.map((problem) => problem.split(':')[0])).toEqual(
      expect.arrayContaining([ENV.databaseMigrationUrl, ENV.databaseAuth, ENV.databaseWorkloadObjectId]),
    );
  });
});
