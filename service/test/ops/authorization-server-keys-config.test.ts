import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.js';
import { ENV } from '../../src/contract.js';
import { loadAuthorizationServerKeysConfig } from '../../src/ops/authorization-server-keys-config.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadAuthorizationServerKeysConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('loadAuthorizationServerKeysConfig', () => {
  it('takes the vault origin, with or without a trailing slash', () => {
    expect(loadAuthorizationServerKeysConfig({ [ENV.keyVaultUrl]: 'https://kv-mcp-prod.vault.azure.net/' })).toEqual({
      vaultUrl: 'https://kv-mcp-prod.vault.azure.net',
    });
    expect(loadAuthorizationServerKeysConfig({ [ENV.keyVaultUrl]: 'https://kv-mcp.vault.azure.cn' }).vaultUrl).toBe(
      'https://kv-mcp.vault.azure.cn',
    );
  });

  it('requires the vault URL, naming the variable', () => {
    expect(problemsOf({})).toEqual([`${ENV.keyVaultUrl}: is required but not set`]);
    expect(problemsOf({ [ENV.keyVaultUrl]: '' })).toEqual([`${ENV.keyVaultUrl}: is required but not set`]);
  });

  it.each([
    ['kv-mcp.vault.azure.net', 'must be a URL'],
    ['http://kv-mcp.vault.azure.net', 'must use https'],
    ['https://kv-mcp.vault.azure.net/secrets/authorization-server-signing-keys', 'must be the vault origin only'],
    ['https://kv-mcp.vault.azure.net/?x=1', 'must be the vault origin only'],
    ['https://example.com', 'must be a Key Vault host'],
  ])('refuses %s', (value, problem) => {
    const problems = problemsOf({ [ENV.keyVaultUrl]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${ENV.keyVaultUrl}: .*${problem}`));
  });
});
