import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV, SECRET_NAMES } from '../../src/contract.js';
import { freePort } from '../helpers/free-port.js';
import { type FakeKeyVault, startFakeKeyVault } from './fake-key-vault.js';

const SERVICE_DIR = join(import.meta.dirname, '..', '..');

/**
 * The production entry point with KEY_VAULT_URL set and the database password in no source: it must stop before
 * serving, with the configuration exit code and a message naming the secret and the vault. The fake vault skips
 * the challenge here, so the workload identity credential (which has no identity in a test) is never asked.
 */
describe('a password missing from Key Vault at start-up', () => {
  let vault: FakeKeyVault;

  beforeAll(async () => {
    vault = await startFakeKeyVault();
    vault.challenge = false;
  });
  afterAll(async () => {
    await vault?.close();
  });

  it('stops the process with exit code 78 and names the secret and the vault', async () => {
    const secretsDir = mkdtempSync(join(tmpdir(), 'mcp-secrets-'));
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: SERVICE_DIR,
      env: {
        PATH: process.env.PATH,
        NODE_EXTRA_CA_CERTS: vault.caFile,
        [ENV.port]: String(port),
        [ENV.host]: '127.0.0.1',
        [ENV.metricsPort]: '0',
        [ENV.resourceUrl]: `http://127.0.0.1:${port}/mcp`,
        [ENV.issuers]: 'https://login.example.com/tenant/v2.0',
        [ENV.databaseUrl]: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
        [ENV.secretsDir]: secretsDir,
        [ENV.keyVaultUrl]: vault.url,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const [code] = await once(child, 'exit');
    expect(stderr.trim()).toBe(
      `Invalid configuration:\n  - secret "${SECRET_NAMES.databasePassword}" was not found in files under ${secretsDir}, Key Vault ${vault.url}`,
    );
    expect(code).toBe(78);
    expect(vault.readsOf(SECRET_NAMES.databasePassword)).toBe(1);
  });
});
