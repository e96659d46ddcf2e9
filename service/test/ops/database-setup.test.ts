import { createHash, createHmac, pbkdf2Sync, randomBytes, randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE, ENV } from '../../src/contract.js';
import { isDataLayerError } from '../../src/data/errors.js';
import { runDatabaseSetup } from '../../src/ops/database-setup.js';
import type { DatabaseSetupConfig } from '../../src/ops/database-setup-config.js';
import { createOpsLogger } from '../../src/ops/ops-log.js';
import { createEntraAdminFixture, type EntraAdminFixture, isAppRoleMember } from '../data/entra-admin-fixture.js';

const migrationFiles = readdirSync(fileURLToPath(new URL('../../migrations', import.meta.url)))
  .filter((name) => name.endsWith('.sql'))
  .map((name) => name.replace(/\.sql$/, ''))
  .sort();

/** A logger whose JSON lines the test reads back. */
function capturedLog() {
  const lines: string[] = [];
  const log = createOpsLogger((line) => lines.push(line));
  return { log, lines, entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

/** Whether a stored SCRAM-SHA-256 verifier was made from this (ASCII) password. */
function verifierMatches(verifier: string, password: string): boolean {
  const match = /^SCRAM-SHA-256\$(\d+):([^$]+)\$([^:]+):/.exec(verifier);
  if (!match) return false;
  const salted = pbkdf2Sync(password, Buffer.from(match[2]!, 'base64'), Number(match[1]), 32, 'sha256');
  const storedKey = createHash('sha256').update(createHmac('sha256', salted).update('Client Key').digest()).digest();
  return storedKey.toString('base64') === match[3];
}

const serverUrl = process.env[ENV.databaseUrl];
if (!serverUrl) console.info(`database setup tests not run: ${ENV.databaseUrl} is not set (they need real roles)`);

describe.runIf(serverUrl)('database setup job (postgres, as a non-superuser Entra admin)', () => {
  let fixture: EntraAdminFixture;
  let config: DatabaseSetupConfig;
  beforeAll(async () => {
    fixture = await createEntraAdminFixture();
    config = {
      migrationUrl: fixture.setupUrl(fixture.database),
      // Trust authentication on this server; the Entra token path is covered by entra-token-password.test.ts.
      auth: 'password',
      workload: { login: fixture.roleName('workload'), objectId: randomUUID() },
    };
  });
  afterAll(async () => {
    await fixture?.close();
  });

  it('migrates as the setup login, then creates the workload login and makes it a member of mcp_app', async () => {
    const { log, entries } = capturedLog();
    const outcome = await runDatabaseSetup(config, { log, principalDatabase: fixture.principalDatabase });

    expect(outcome).toEqual({ appliedMigrations: migrationFiles, workloadLogin: { created: true, granted: true } });
    const inSetupDb = new pg.Client({ connectionString: config.migrationUrl });
    await inSetupDb.connect();
    try {
      const { rows } = await inSetupDb.query(
        `SELECT tablename, tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = ANY($1) ORDER BY 1`,
        [['audit_events', 'documents']],
      );
      expect(rows).toEqual([
        { tablename: 'audit_events', tableowner: fixture.setupLogin },
        { tablename: 'documents', tableowner: fixture.setupLogin },
      ]);
    } finally {
      await inSetupDb.end();
    }

    expect(await fixture.principalCalls()).toEqual([
      {
        rolename: config.workload!.login,
        objectid: config.workload!.objectId,
        objecttype: 'service',
        isadmin: false,
        ismfa: false,
      },
    ]);
    expect(await isAppRoleMember(fixture.superuser, config.workload!.login)).toBe(true);

    const logged = entries();
    expect(logged.map((entry) => entry.msg)).toEqual([
      'database setup started',
      'migrations done',
      'workload login created',
      'workload login granted the application role',
      'database setup finished',
    ]);
    expect(logged.every((entry) => entry.level === 30 && typeof entry.time === 'number')).toBe(true);
    expect(logged[0]).toMatchObject({ login: fixture.setupLogin, database: fixture.database, auth: 'password' });
  });

  it('does nothing on a second run, and says so', async () => {
    const { log, entries } = capturedLog();
    const outcome = await runDatabaseSetup(config, { log, principalDatabase: fixture.principalDatabase });

    expect(outcome).toEqual({ appliedMigrations: [], workloadLogin: { created: false, granted: false } });
    expect(await fixture.principalCalls()).toHaveLength(1);
    expect(entries().map((entry) => entry.msg)).toContain('workload login already existed');
    expect(entries().map((entry) => entry.msg)).toContain('workload login already a member');
  });

  it('skips the workload login when none is configured', async () => {
    const { log, entries } = capturedLog();
    const outcome = await runDatabaseSetup({ ...config, workload: undefined }, { log });
    expect(outcome).toEqual({ appliedMigrations: [] });
    expect(entries().map((entry) => entry.msg)).toContain('workload login not configured: skipped');
  });

  it('creates the authorization server login after the workload login, the same way, idempotently', async () => {
    const authorizationServer = {
      login: fixture.roleName('authorization-server'),
      objectId: randomUUID(),
      extraRoles: [DATABASE.authorizationServerRole],
    };
    const withBoth = { ...config, authorizationServer };
    const { log, entries } = capturedLog();
    const outcome = await runDatabaseSetup(withBoth, { log, principalDatabase: fixture.principalDatabase });

    expect(outcome).toEqual({
      appliedMigrations: [],
      workloadLogin: { created: false, granted: false },
      authorizationServerLogin: { created: true, granted: true },
    });
    expect((await fixture.principalCalls()).at(-1)).toEqual({
      rolename: authorizationServer.login,
      objectid: authorizationServer.objectId,
      objecttype: 'service',
      isadmin: false,
      ismfa: false,
    });
    expect(await isAppRoleMember(fixture.superuser, authorizationServer.login)).toBe(true);
    // Its own tables' role too (migration 0009), which the workload login does not get.
    expect(await isAppRoleMember(fixture.superuser, authorizationServer.login, DATABASE.authorizationServerRole)).toBe(
      true,
    );
    expect(
      await isAppRoleMember(fixture.superuser, config.workload?.login as string, DATABASE.authorizationServerRole),
    ).toBe(false);
    expect(entries().map((entry) => entry.msg)).toEqual([
      'database setup started',
      'migrations done',
      'workload login already existed',
      'workload login already a member',
      'authorization server login created',
      'authorization server login granted the application role',
      'database setup finished',
    ]);
    expect(entries()[0]).toMatchObject({ authorizationServerLogin: authorizationServer.login });

    const calls = (await fixture.principalCalls()).length;
    const again = capturedLog();
    const second = await runDatabaseSetup(withBoth, { log: again.log, principalDatabase: fixture.principalDatabase });
    expect(second.authorizationServerLogin).toEqual({ created: false, granted: false });
    expect(await fixture.principalCalls()).toHaveLength(calls);
    expect(again.entries().map((entry) => entry.msg)).toEqual(
      expect.arrayContaining([
        'authorization server login already existed',
        'authorization server login already a member',
      ]),
    );
  });

  it('creates the authorization server login alone when no workload login is configured', async () => {
    const authorizationServer = { login: fixture.roleName('as-alone'), objectId: randomUUID() };
    const { log, entries } = capturedLog();
    const outcome = await runDatabaseSetup(
      { ...config, workload: undefined, authorizationServer },
      { log, principalDatabase: fixture.principalDatabase },
    );
    expect(outcome).toEqual({ appliedMigrations: [], authorizationServerLogin: { created: true, granted: true } });
    expect(await isAppRoleMember(fixture.superuser, authorizationServer.login)).toBe(true);
    expect(entries().map((entry) => entry.msg)).toContain('workload login not configured: skipped');
  });

  it('refuses a pre-existing authorization server login with BYPASSRLS', async () => {
    const login = fixture.roleName('as-bypass');
    await fixture.superuser.query(`CREATE ROLE ${fixture.superuser.escapeIdentifier(login)} LOGIN BYPASSRLS`);
    const { log } = capturedLog();
    const error = await runDatabaseSetup(
      { ...config, authorizationServer: { login, objectId: randomUUID(), workloadName: 'the authorization server' } },
      { log, principalDatabase: fixture.principalDatabase },
    ).catch((e: unknown) => e);
    expect(isDataLayerError(error, 'unsafe_workload_login')).toBe(true);
    expect((error as Error).message).toContain('would let the authorization server bypass row-level security');
    expect(await isAppRoleMember(fixture.superuser, login)).toBe(false);
  });

  it('refuses a pre-existing workload login with BYPASSRLS, after migrating', async () => {
    const login = fixture.roleName('bypass');
    await fixture.superuser.query(`CREATE ROLE ${fixture.superuser.escapeIdentifier(login)} LOGIN BYPASSRLS`);
    const { log } = capturedLog();
    const error = await runDatabaseSetup(
      { ...config, workload: { login, objectId: randomUUID() } },
      { log, principalDatabase: fixture.principalDatabase },
    ).catch((e: unknown) => e);

    expect(isDataLayerError(error, 'unsafe_workload_login')).toBe(true);
    expect((error as Error).message).toContain(`${login} has BYPASSRLS`);
    expect(await isAppRoleMember(fixture.superuser, login)).toBe(false);
  });

  it('fails clearly where the server has no pgaadauth function (not Azure with Entra auth)', async () => {
    const { log } = capturedLog();
    const error = await runDatabaseSetup(
      { ...config, workload: { login: fixture.roleName('nofunction'), objectId: randomUUID() } },
      { log, principalDatabase: fixture.database },
    ).catch((e: unknown) => e);
    expect(isDataLayerError(error, 'entra_principals_unavailable')).toBe(true);
    expect((error as Error).message).toContain('not Azure Database for PostgreSQL with Microsoft Entra');
  });

  it("sets mcp_app's password from the secrets file, never logging it", async () => {
    // mcp_app is shared by every test database on this server; other tests log in by trust, not by password,
    // and its previous verifier is put back afterwards.
    const { rows: before } = await fixture.superuser.query<{ rolpassword: string | null }>(
      'SELECT rolpassword FROM pg_authid WHERE rolname = $1',
      [DATABASE.appRole],
    );
    const appRolePassword = `app-${randomBytes(12).toString('hex')}`;
    const { log, lines } = capturedLog();
    try {
      await runDatabaseSetup({ ...config, workload: undefined, appRolePassword }, { log });
      const { rows } = await fixture.superuser.query<{ rolpassword: string }>(
        'SELECT rolpassword FROM pg_authid WHERE rolname = $1',
        [DATABASE.appRole],
      );
      expect(verifierMatches(rows[0]!.rolpassword, appRolePassword)).toBe(true);
      expect(lines.join('')).not.toContain(appRolePassword);
      expect(lines.some((line) => JSON.parse(line).appRolePasswordSet === true)).toBe(true);
    } finally {
      const previous = before[0]?.rolpassword ?? null;
      await fixture.superuser.query(
        `ALTER ROLE ${DATABASE.appRole} PASSWORD ${previous === null ? 'NULL' : fixture.superuser.escapeLiteral(previous)}`,
      );
    }
  });
});
