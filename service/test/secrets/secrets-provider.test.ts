import { mkdirSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { ENV, SECRET_NAMES } from '../../src/contract.js';
import { envSecretSource, secretEnvName } from '../../src/secrets/env-secret-source.js';
import { fileSecretSource } from '../../src/secrets/file-secret-source.js';
import { secretsFromConfig, startupPassword } from '../../src/secrets/secrets-from-config.js';
import { createSecretsProvider, MissingSecretError, type SecretSource } from '../../src/secrets/secrets-provider.js';

const db = SECRET_NAMES.databasePassword;
const silent = { warn() {}, info() {} };

function configWith(env: Record<string, string>) {
  return loadConfig({
    [ENV.resourceUrl]: 'https://mcp.example.com/mcp',
    [ENV.issuers]: 'https://login.example.com/tenant/v2.0',
    [ENV.databaseUrl]: 'postgres://mcp_app@db.example.com:5432/mcp',
    ...env,
  });
}

/** A source answering from a map, recording what it was asked. */
function mapSource(description: string, values: Record<string, string>) {
  const asked: string[] = [];
  const source: SecretSource = {
    description,
    async read(name) {
      asked.push(name);
      return values[name];
    },
  };
  return { source, asked };
}

describe('secrets provider', () => {
  it('asks the sources in order and the first that has the secret wins; later ones are not asked', async () => {
    const first = mapSource('first', { a: 'from-first' });
    const second = mapSource('second', { a: 'from-second', b: 'only-second' });
    const third = mapSource('third', { b: 'from-third' });
    const secrets = createSecretsProvider([first.source, second.source, third.source]);
    expect(await secrets.get('a')).toBe('from-first');
    expect(second.asked).toEqual([]);
    expect(await secrets.get('b')).toBe('only-second');
    expect(third.asked).toEqual([]);
    expect(secrets.sources).toEqual(['first', 'second', 'third']);
  });

  it('a secret no source has: find says undefined, get is a configuration error naming it and every source', async () => {
    const secrets = createSecretsProvider([
      mapSource('files under /x', {}).source,
      mapSource('Key Vault https://kv', {}).source,
    ]);
    expect(await secrets.find('missing')).toBeUndefined();
    const error = await secrets.get('missing').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingSecretError);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'secret "missing" was not found in files under /x, Key Vault https://kv',
    ]);
  });

  it('start-up: a missing password is an error only when required (Key Vault configured), else undefined', async () => {
    const secrets = createSecretsProvider([mapSource('files', { [db]: 'pw-1' }).source]);
    const password = await startupPassword(secrets, db, { required: true });
    expect(await password?.()).toBe('pw-1');
    expect(await startupPassword(secrets, 'absent', { required: false })).toBeUndefined();
    await expect(startupPassword(secrets, 'absent', { required: true })).rejects.toThrow(
      'secret "absent" was not found in files',
    );
  });
});

describe('file source (Secrets Store CSI mount)', () => {
  it('reads the trimmed file; an absent or empty file is "not here"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-secrets-'));
    const files = fileSecretSource(dir);
    expect(await files.read(db)).toBeUndefined();
    writeFileSync(join(dir, db), '  s3cret\n');
    expect(await files.read(db)).toBe('s3cret');
    writeFileSync(join(dir, 'empty'), '\n');
    expect(await files.read('empty')).toBeUndefined();
  });

  it('picks up a rotated file without a restart: rewritten in place, or swapped in as the CSI driver does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-secrets-'));
    const files = fileSecretSource(dir);
    writeFileSync(join(dir, db), 'first\n');
    expect(await files.read(db)).toBe('first');
    writeFileSync(join(dir, db), 'value-two\n');
    expect(await files.read(db)).toBe('value-two');
    // Same size, a new file renamed over the old one (the driver swaps a symlinked directory atomically).
    writeFileSync(join(dir, 'next'), 'value-six\n');
    renameSync(join(dir, 'next'), join(dir, db));
    expect(await files.read(db)).toBe('value-six');
  });

  it('a file that cannot be read is an error naming its path, not a silently absent secret', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-secrets-'));
    mkdirSync(join(dir, db));
    await expect(fileSecretSource(dir).read(db)).rejects.toThrow(`cannot read secret file ${join(dir, db)}`);
  });
});

describe('environment source (development only)', () => {
  it('derives the variable from the secret name', () => {
    expect(secretEnvName(SECRET_NAMES.databasePassword)).toBe('POSTGRES_APP_PASSWORD');
    expect(secretEnvName(SECRET_NAMES.redisPassword)).toBe('REDIS_ACCESS_KEY');
    expect(secretEnvName('a.b-c')).toBe('A_B_C');
  });

  it('is asked only with SECRETS_FROM_ENV=true, and after the mount', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-secrets-'));
    const env = { POSTGRES_APP_PASSWORD: 'from-env', REDIS_ACCESS_KEY: 'redis-from-env' };
    const off = secretsFromConfig(configWith({ [ENV.secretsDir]: dir }), { env, logger: silent });
    expect(await off.find(db)).toBeUndefined();
    expect(off.sources).toEqual([`files under ${dir}`]);

    const on = secretsFromConfig(configWith({ [ENV.secretsDir]: dir, [ENV.secretsFromEnv]: 'true' }), {
      env,
      logger: silent,
    });
    expect(on.sources).toEqual([`files under ${dir}`, 'environment variables']);
    expect(await on.get(db)).toBe('from-env');
    writeFileSync(join(dir, db), 'from-the-mount\n');
    expect(await on.get(db)).toBe('from-the-mount');
    expect(await on.get(SECRET_NAMES.redisPassword)).toBe('redis-from-env');
  });

  it('a blank variable is "not here"', async () => {
    expect(await envSecretSource({ POSTGRES_APP_PASSWORD: '  ' }).read(db)).toBeUndefined();
  });

  it('Key Vault comes between the mount and the environment when KEY_VAULT_URL is set', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-secrets-'));
    const secrets = secretsFromConfig(
      configWith({
        [ENV.secretsDir]: dir,
        [ENV.keyVaultUrl]: 'https://kv.vault.azure.net',
        [ENV.secretsFromEnv]: 'true',
      }),
      { env: {}, logger: silent },
    );
    expect(secrets.sources).toEqual([
      `files under ${dir}`,
      'Key Vault https://kv.vault.azure.net',
      'environment variables',
    ]);
  });
});
