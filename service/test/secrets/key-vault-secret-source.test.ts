import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET_NAMES } from '../../src/contract.js';
import { type FakeKeyVault, KEY_VAULT_RESOURCE, startFakeKeyVault } from './fake-key-vault.js';
import { type KeyVaultClientProcess, type RemoteError, startKeyVaultClient } from './key-vault-client.js';
import { FAKE_TOKEN } from './key-vault-client-process.js';

const TTL_MS = 300_000;
const MAX_STALE_MS = 3_600_000;
const db = SECRET_NAMES.databasePassword;
const redis = SECRET_NAMES.redisPassword;

interface Observations {
  staleReads: Record<string, number>;
  logs: Array<{ level: string; message: string; details: Record<string, unknown> }>;
  tokenScopes: string[];
}

/**
 * The secrets provider as the service builds it from KEY_VAULT_URL (files first, then Key Vault), in a child process
 * that trusts the fake vault's test CA through NODE_EXTRA_CA_CERTS, with a fake token credential and a test clock.
 * The cases run in order on one vault and one client: each starts from the state the previous one left.
 */
describe('secrets from Key Vault (fake vault over HTTPS)', () => {
  let vault: FakeKeyVault;
  let client: KeyVaultClientProcess;
  let secretsDir: string;
  const observe = () => client.call<Observations>({ op: 'observe' });
  const advance = (ms: number) => client.call({ op: 'advance', ms });

  beforeAll(async () => {
    vault = await startFakeKeyVault();
    secretsDir = mkdtempSync(join(tmpdir(), 'mcp-secrets-'));
    client = await startKeyVaultClient({ vaultUrl: vault.url, caFile: vault.caFile, secretsDir });
  });
  afterAll(async () => {
    await client?.close();
    await vault?.close();
  });

  it('fetches a secret with the bearer token of the credential, asked for the vault resource of the challenge', async () => {
    vault.secrets.set(db, 'first-password');
    expect(await client.get(db)).toBe('first-password');
    expect(vault.reads).toEqual([{ name: db, authorization: `Bearer ${FAKE_TOKEN}` }]);
    expect((await observe()).tokenScopes).toEqual([`${KEY_VAULT_RESOURCE}/.default`]);
  });

  it('serves it from the cache within the TTL, without asking the vault', async () => {
    await advance(TTL_MS - 1_000);
    expect(await Promise.all([client.get(db), client.get(db)])).toEqual(['first-password', 'first-password']);
    expect(vault.readsOf(db)).toBe(1);
  });

  it('picks up a rotated value once the TTL has passed', async () => {
    vault.secrets.set(db, 'rotated-password');
    await advance(2_000);
    expect(await client.get(db)).toBe('rotated-password');
    expect(vault.readsOf(db)).toBe(2);
  });

  it('serves the last good value while the vault answers 503, counting each read and warning once', async () => {
    vault.mode = 'unavailable';
    await advance(TTL_MS);
    expect(await client.get(db)).toBe('rotated-password');
    await advance(60_000);
    expect(await client.get(db)).toBe('rotated-password');
    const during = await observe();
    expect(during.staleReads).toEqual({ [db]: 2 });
    const warnings = during.logs.filter((log) => log.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toBe('key vault unreachable; serving the last good value of the secret');
    expect(warnings[0]?.details).toMatchObject({ secret: db, vault: vault.url, ageSeconds: 300 });
    expect(JSON.stringify(during.logs)).not.toContain('rotated-password');
    // It did ask (one retry each): the stale value is the fallback, not a reason to stop trying.
    expect(vault.readsOf(db)).toBe(2 + 2 * 2);
  });

  it('right after a failed fetch serves the stale value without asking the vault again (a hung vault costs once)', async () => {
    await advance(10_000);
    expect(await client.get(db)).toBe('rotated-password');
    expect(vault.readsOf(db)).toBe(2 + 2 * 2);
    expect((await observe()).staleReads).toEqual({ [db]: 3 });
    await advance(30_000);
    expect(await client.get(db)).toBe('rotated-password');
    expect(vault.readsOf(db)).toBe(2 + 3 * 2);
    const { staleReads, logs } = await observe();
    expect(staleReads).toEqual({ [db]: 4 });
    expect(logs.filter((log) => log.level === 'warn')).toHaveLength(1);
  });

  it('fails once the last good value is older than the maximum staleness', async () => {
    await advance(MAX_STALE_MS);
    const error = (await client.get(db).catch((e: unknown) => e)) as RemoteError;
    expect(error.message).toContain(`Key Vault ${vault.url} did not answer for secret "${db}"`);
    expect(error.message).toContain('beyond the maximum staleness of 3600 s');
    expect((await observe()).staleReads).toEqual({ [db]: 4 });
  });

  it('recovers when the vault answers again, and warns again on the next outage', async () => {
    vault.mode = 'up';
    expect(await client.get(db)).toBe('rotated-password');
    vault.mode = 'unavailable';
    await advance(TTL_MS);
    expect(await client.get(db)).toBe('rotated-password');
    const { logs } = await observe();
    expect(logs.map((log) => `${log.level} ${log.message}`).slice(-2)).toEqual([
      'info key vault reachable again',
      'warn key vault unreachable; serving the last good value of the secret',
    ]);
    vault.mode = 'up';
  });

  it('fails a secret never fetched while the vault is down (no last good value)', async () => {
    vault.secrets.set(redis, 'redis-key');
    vault.mode = 'unavailable';
    const error = (await client.get(redis).catch((e: unknown) => e)) as RemoteError;
    expect(error.message).toContain(`did not answer for secret "${redis}"`);
    expect(error.message).toContain('no value was ever fetched');
    vault.mode = 'up';
  });

  it('prefers the CSI mount file over the vault (first match wins)', async () => {
    writeFileSync(join(secretsDir, redis), 'from-the-mount\n');
    const before = vault.readsOf(redis);
    expect(await client.get(redis)).toBe('from-the-mount');
    expect(vault.readsOf(redis)).toBe(before);
  });

  it('a secret missing from the vault at start-up is a configuration error naming it and the vault', async () => {
    const error = (await client
      .call({ op: 'startup', name: 'no-such-secret' })
      .catch((e: unknown) => e)) as RemoteError;
    expect(error.configError).toBe(true);
    expect(error.message).toBe(
      `Invalid configuration:\n  - secret "no-such-secret" was not found in files under ${secretsDir}, Key Vault ${vault.url}`,
    );
    expect(await client.call({ op: 'startup', name: db })).toEqual({ value: 'rotated-password' });
  });
});
