import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../src/contract.js';
import { isDataLayerError } from '../../src/data/errors.js';
import { ensureWorkloadLogin } from '../../src/data/workload-login.js';
import { createEntraAdminFixture, type EntraAdminFixture, isAppRoleMember } from './entra-admin-fixture.js';

const serverUrl = process.env[ENV.databaseUrl];
if (!serverUrl) console.info(`workload login tests not run: ${ENV.databaseUrl} is not set (they need real roles)`);

describe.runIf(serverUrl)('the workload Entra login (postgres, as a non-superuser Entra admin)', () => {
  let fixture: EntraAdminFixture;
  const clients: pg.Client[] = [];
  /** A session of the setup login, by default in the database that has the pgaadauth function. */
  const connectAsSetup = async (database?: string) => {
    const client = new pg.Client({ connectionString: fixture.setupUrl(database ?? fixture.principalDatabase) });
    clients.push(client);
    await client.connect();
    return client;
  };
  beforeAll(async () => {
    fixture = await createEntraAdminFixture();
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.end().catch(() => {})));
    await fixture?.close();
  });

  it('creates the login through pgaadauth with its object id as a service principal, grants mcp_app, once', async () => {
    const client = await connectAsSetup();
    const login = fixture.roleName('workload');
    const objectId = randomUUID();

    expect(await ensureWorkloadLogin(client, { login, objectId })).toEqual({ created: true, granted: true });
    expect((await fixture.principalCalls()).filter((call) => call.rolename === login)).toEqual([
      { rolename: login, objectid: objectId, objecttype: 'service', isadmin: false, ismfa: false },
    ]);
    expect(await isAppRoleMember(fixture.superuser, login)).toBe(true);

    expect(await ensureWorkloadLogin(client, { login, objectId })).toEqual({ created: false, granted: false });
    expect((await fixture.principalCalls()).filter((call) => call.rolename === login)).toHaveLength(1);
  });

  it('grants mcp_app to a login that already exists, without creating it again', async () => {
    const login = fixture.roleName('existing');
    await fixture.superuser.query(`CREATE ROLE ${fixture.superuser.escapeIdentifier(login)} LOGIN`);
    const client = await connectAsSetup();

    expect(await ensureWorkloadLogin(client, { login, objectId: randomUUID() })).toEqual({
      created: false,
      granted: true,
    });
    expect(await isAppRoleMember(fixture.superuser, login)).toBe(true);
    expect((await fixture.principalCalls()).some((call) => call.rolename === login)).toBe(false);
  });

  it.each(['BYPASSRLS', 'SUPERUSER', 'CREATEROLE'])(
    'refuses an existing login with %s and grants nothing',
    async (power) => {
      const login = fixture.roleName(power.toLowerCase());
      await fixture.superuser.query(`CREATE ROLE ${fixture.superuser.escapeIdentifier(login)} LOGIN ${power}`);
      const client = await connectAsSetup();

      const error = await ensureWorkloadLogin(client, { login, objectId: randomUUID() }).catch((e: unknown) => e);
      expect(isDataLayerError(error, 'unsafe_workload_login')).toBe(true);
      expect((error as Error).message).toContain(`${login} has ${power}`);
      expect(await isAppRoleMember(fixture.superuser, login)).toBe(false);
    },
  );

  it('refuses to make the setup login (the tables owner) the workload login', async () => {
    const client = await connectAsSetup();
    const error = await ensureWorkloadLogin(client, { login: fixture.setupLogin, objectId: randomUUID() }).catch(
      (e: unknown) => e,
    );
    expect(isDataLayerError(error, 'unsafe_workload_login')).toBe(true);
    expect(await isAppRoleMember(fixture.superuser, fixture.setupLogin)).toBe(false);
  });

  it('says the server is not Azure with Entra auth when pgaadauth_create_principal_with_oid does not exist', async () => {
    const client = await connectAsSetup(fixture.database);
    const login = fixture.roleName('nofunction');
    const error = await ensureWorkloadLogin(client, { login, objectId: randomUUID() }).catch((e: unknown) => e);
    expect(isDataLayerError(error, 'entra_principals_unavailable')).toBe(true);
    expect((error as Error).message).toMatch(
      new RegExp(`pgaadauth_create_principal_with_oid does not exist in database ${fixture.database}.*not Azure`),
    );
    const { rows } = await fixture.superuser.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [login]);
    expect(rows).toEqual([]);
  });

  it('lets two setups race: both succeed, one creates, the login ends up a member once', async () => {
    const [first, second] = await Promise.all([connectAsSetup(), connectAsSetup()]);
    const login = fixture.roleName('race');
    const objectId = randomUUID();

    const outcomes = await Promise.all([
      ensureWorkloadLogin(first!, { login, objectId }),
      ensureWorkloadLogin(second!, { login, objectId }),
    ]);
    expect(outcomes.filter((outcome) => outcome.created)).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome.granted).length).toBeGreaterThanOrEqual(1);
    const { rows } = await fixture.superuser.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member WHERE r.rolname = $1`,
      [login],
    );
    expect(rows).toEqual([{ n: 1 }]);
  });
});
