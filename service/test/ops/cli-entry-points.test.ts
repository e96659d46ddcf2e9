import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSigningKey } from '../../src/authorization-server/signing-keys/new-signing-key.js';
import { ENV, SECRET_NAMES } from '../../src/contract.js';
import { createEntraAdminFixture, type EntraAdminFixture } from '../data/entra-admin-fixture.js';
import { startWritableFakeKeyVault, type WritableFakeKeyVault } from './writable-fake-key-vault.js';

const SERVICE_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const execute = promisify(execFile);

/** Runs an operations command as its Job would (with tsx instead of the build), in a bare environment. */
async function runCli(entry: string, env: Record<string, string>) {
  const { stdout, code } = await execute(process.execPath, ['--import', 'tsx', `src/ops/${entry}`], {
    cwd: SERVICE_ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
  }).then(
    ({ stdout }) => ({ stdout, code: 0 }),
    (error: { stdout: string; code: number }) => error,
  );
  return {
    code,
    entries: stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('operations commands: exit codes and log lines', () => {
  it.each([
    ['database-setup-cli.ts', 'database setup', ENV.databaseMigrationUrl],
    ['gateway-redis-credentials-cli.ts', 'gateway redis credentials', ENV.credentialsSecretName],
    ['authorization-server-keys-cli.ts', 'authorization server keys', ENV.keyVaultUrl],
  ])('%s exits 2 on a bad environment, with one JSON line naming the variable', async (entry, name, variable) => {
    const { code, entries } = await runCli(entry, {});
    expect(code).toBe(2);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ level: 50, msg: `${name}: invalid configuration` });
    expect(entries[0]!.problems).toContain(`${variable}: is required but not set`);
  });
});

const serverUrl = process.env[ENV.databaseUrl];
describe.runIf(serverUrl)('database-setup-cli.ts against the local server (postgres only)', () => {
  let fixture: EntraAdminFixture;
  let env: Record<string, string>;
  beforeAll(async () => {
    fixture = await createEntraAdminFixture();
    env = {
      [ENV.databaseMigrationUrl]: fixture.setupUrl(fixture.database),
      [ENV.databaseAuth]: 'password',
      [ENV.secretsDir]: mkdtempSync(join(tmpdir(), 'mcp-setup-cli-')),
    };
  });
  afterAll(async () => {
    await fixture?.close();
  });

  it('exits 0 after migrating, one JSON line per step', async () => {
    const { code, entries } = await runCli('database-setup-cli.ts', env);
    expect(code).toBe(0);
    expect(entries.map((entry) => entry.msg)).toEqual([
      'database setup started',
      'migrations done',
      'workload login not configured: skipped',
      'database setup finished',
    ]);
  });

  it('exits 1 with the error logged where the postgres database has no pgaadauth function (not Azure)', async () => {
    const { code, entries } = await runCli('database-setup-cli.ts', {
      ...env,
      [ENV.databaseWorkloadLogin]: fixture.roleName('cli'),
      [ENV.databaseWorkloadObjectId]: randomUUID(),
    });
    expect(code).toBe(1);
    expect(entries.at(-1)).toMatchObject({
      level: 50,
      msg: 'database setup failed',
      err: { code: 'entra_principals_unavailable', message: expect.stringContaining('database postgres') },
    });
  });
});

describe('authorization-server-keys-cli.ts against a Key Vault over HTTPS (reads)', () => {
  let vault: WritableFakeKeyVault;
  let env: Record<string, string>;
  const signing = SECRET_NAMES.authorizationServerSigningKeys;
  const cookies = SECRET_NAMES.authorizationServerCookieKeys;
  beforeAll(async () => {
    vault = await startWritableFakeKeyVault();
    // Without the challenge the SDK never asks its credential, so the CLI's own workload identity is not needed; it
    // then sends no body on a first write either, so writes are covered in authorization-server-keys.test.ts.
    vault.challenge = false;
    env = { [ENV.keyVaultUrl]: vault.url, NODE_EXTRA_CA_CERTS: vault.caFile };
  });
  afterAll(async () => {
    await vault?.close();
  });

  it('exits 0 and writes nothing when both secrets are current, one JSON line per step', async () => {
    const key = await newSigningKey({ alg: 'ES256', useFrom: new Date(Date.now() - 60_000) });
    vault.put(signing, JSON.stringify({ keys: [key] }));
    vault.put(cookies, JSON.stringify({ keys: [randomBytes(32).toString('base64url')] }));
    const { code, entries } = await runCli('authorization-server-keys-cli.ts', env);

    expect(code).toBe(0);
    expect(entries.map((entry) => entry.msg)).toEqual([
      'authorization server keys started',
      'signing keys unchanged',
      'signing keys in effect',
      'cookie keys unchanged',
      'authorization server keys finished',
    ]);
    expect(entries[2]).toMatchObject({ signingKid: key.kid, publishedKids: [key.kid] });
    expect(vault.requests.map((request) => request.method)).toEqual(['GET', 'GET']);
    expect(vault.versions.get(signing)).toHaveLength(1);
  });

  it('exits 1 with the code logged when the stored signing keys are unusable, leaving them as they are', async () => {
    vault.put(signing, JSON.stringify({ keys: [] }));
    const { code, entries } = await runCli('authorization-server-keys-cli.ts', env);
    expect(code).toBe(1);
    expect(entries.at(-1)).toMatchObject({
      level: 50,
      msg: 'authorization server keys failed',
      err: { code: 'stored_keys_invalid', message: expect.stringContaining('at least one key') },
    });
    expect(vault.requests.some((request) => request.method === 'PUT')).toBe(false);
  });
});
