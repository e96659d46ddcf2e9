import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { ENV, SECRET_NAMES } from '../src/contract.js';
import { configProblemsOf } from './helpers/config-problems.js';

const emptySecrets = mkdtempSync(join(tmpdir(), 'mcp-secrets-'));
const valid = {
  [ENV.resourceUrl]: 'https://mcp.example.com/mcp',
  [ENV.issuers]: 'https://login.example.com/tenant/v2.0',
  [ENV.databaseUrl]: 'postgres://mcp_app@db.example.com:5432/mcp?sslmode=verify-full',
  [ENV.secretsDir]: emptySecrets,
};

const problemsOf = configProblemsOf;

describe('loadConfig', () => {
  it('accepts a minimal production environment with safe defaults', () => {
    const config = loadConfig(valid);
    expect(config.port).toBe(8080);
    expect(config.metricsPort).toBe(9464);
    expect(config.resourceUrl).toBe('https://mcp.example.com/mcp');
    expect(config.auth.algorithms).toEqual(['RS256', 'PS256', 'ES256']);
    expect(config.auth.requiredTyp).toBe('at+jwt');
    expect(config.auth.claims.scopes).toEqual(['scope', 'scp']);
    expect(config.auth.claims.tenant).toEqual(['tenant_id', 'tid']);
    expect(config.allowedHosts).toEqual(['mcp.example.com']);
    expect(config.allowedOrigins).toEqual([]);
    expect(config.secrets).toEqual({ cacheTtlMs: 300_000, maxStaleMs: 3_600_000, fromEnv: false });
  });

  it('lists every missing setting at once, naming each variable', () => {
    const problems = problemsOf({});
    expect(problems.join('\n')).toContain(ENV.resourceUrl);
    expect(problems.join('\n')).toContain(ENV.issuers);
    expect(problems.join('\n')).toContain(ENV.databaseUrl);
    expect(problems.length).toBeGreaterThanOrEqual(3);
  });

  it('refuses plain http except on loopback, and symmetric or unknown algorithms', () => {
    const problems = problemsOf({
      ...valid,
      [ENV.resourceUrl]: 'http://mcp.example.com/mcp',
      [ENV.issuers]: 'http://issuer.example.com',
      [ENV.algorithms]: 'HS256,none',
    });
    expect(problems.filter((p) => p.includes('must use https'))).toHaveLength(2);
    expect(problems.some((p) => p.includes(ENV.algorithms))).toBe(true);
    expect(loadConfig({ ...valid, [ENV.resourceUrl]: 'http://127.0.0.1:8080/mcp' }).resourceUrl).toBe(
      'http://127.0.0.1:8080/mcp',
    );
  });

  it('parses lists, maps issuer scopes only onto ours, and rejects malformed ones', () => {
    const config = loadConfig({
      ...valid,
      [ENV.issuers]: 'https://sts.windows.net/t/, https://login.microsoftonline.com/t/v2.0',
      [ENV.scopeMap]: 'Documents.Read=mcp:read,Documents.Write=mcp:write',
      [ENV.allowedOrigins]: 'https://app.example.com',
      [ENV.requiredTokenType]: 'none',
      [ENV.claimUser]: 'oid,sub',
    });
    expect(config.auth.issuers).toEqual(['https://sts.windows.net/t/', 'https://login.microsoftonline.com/t/v2.0']);
    expect(config.auth.scopeMap).toEqual({ 'Documents.Read': 'mcp:read', 'Documents.Write': 'mcp:write' });
    expect(config.auth.requiredTyp).toBeUndefined();
    expect(config.auth.claims.user).toEqual(['oid', 'sub']);

    expect(problemsOf({ ...valid, [ENV.scopeMap]: 'Documents.Read=root' })[0]).toContain('"root" is not one of');
    expect(problemsOf({ ...valid, [ENV.scopeMap]: 'nonsense' })[0]).toContain('issuerScope=ourScope');
    expect(problemsOf({ ...valid, [ENV.allowedOrigins]: 'https://app.example.com/path' })[0]).toContain('origin');
  });

  it('rejects out-of-range numbers', () => {
    const problems = problemsOf({ ...valid, [ENV.port]: '70000', [ENV.clockToleranceSeconds]: '3600' });
    expect(problems).toHaveLength(2);
  });

  it('parses rate-limit tiers and the Redis URL, and refuses malformed ones', () => {
    const defaults = loadConfig(valid);
    expect(defaults.rateLimit).toEqual({
      perUser: { points: 120, durationSeconds: 60 },
      perTenant: { points: 1200, durationSeconds: 60 },
    });
    expect(defaults.redis).toBeUndefined();
    const tuned = loadConfig({
      ...valid,
      [ENV.rateLimitUser]: '10 / 1',
      [ENV.redisUrl]: 'rediss://cache.example.com:10000',
    });
    expect(tuned.rateLimit.perUser).toEqual({ points: 10, durationSeconds: 1 });
    expect(tuned.redis).toEqual({
      url: 'rediss://cache.example.com:10000',
      auth: 'password',
      username: undefined,
      password: undefined,
      commandTimeoutMs: 100,
      breakerOpenMs: 1000,
    });
    expect(
      problemsOf({ ...valid, [ENV.redisUrl]: 'rediss://cache.example.com:10000', [ENV.redisAuth]: 'entra' })[0],
    ).toContain(ENV.redisUsername);
    const problems = problemsOf({
      ...valid,
      [ENV.rateLimitUser]: 'lots',
      [ENV.rateLimitTenant]: '0/60',
      [ENV.redisUrl]: 'http://cache',
    });
    expect(problems).toHaveLength(3);
    expect(problems.filter((p) => p.includes('<requests>/<seconds>'))).toHaveLength(2);
  });

  it('bounds the Redis command timeout and circuit-breaker period, naming the variable and the range', () => {
    const tuned = loadConfig({
      ...valid,
      [ENV.redisUrl]: 'redis://127.0.0.1:6379',
      [ENV.redisCommandTimeoutMs]: '250',
      [ENV.redisBreakerOpenMs]: '5000',
    });
    expect(tuned.redis).toMatchObject({ commandTimeoutMs: 250, breakerOpenMs: 5000 });
    const problems = problemsOf({
      ...valid,
      [ENV.redisCommandTimeoutMs]: '0',
      [ENV.redisBreakerOpenMs]: '1.5',
    });
    expect(problems).toEqual([
      `${ENV.redisCommandTimeoutMs}: must be a whole number of milliseconds between 10 and 10000`,
      `${ENV.redisBreakerOpenMs}: must be a whole number of milliseconds between 100 and 60000`,
    ]);
    // Set, but not a number: said as such, not as "not set".
    const [notANumber] = problemsOf({ ...valid, [ENV.redisCommandTimeoutMs]: 'soon' });
    expect(notANumber).toMatch(new RegExp(`^${ENV.redisCommandTimeoutMs}: .*expected number`));
  });

  it('binds the metrics listener on its own setting, all interfaces unless told (Prometheus scrapes the pod IP)', () => {
    expect(loadConfig({ ...valid, [ENV.host]: '127.0.0.1' }).metricsHost).toBe('0.0.0.0');
    expect(loadConfig({ ...valid, [ENV.metricsHost]: '127.0.0.1' }).metricsHost).toBe('127.0.0.1');
  });

  it('gives each tenant half the pool unless told, and refuses a tenant share larger than the pool', () => {
    expect(loadConfig(valid).database).toMatchObject({ poolMax: 10, tenantMaxConnections: 5 });
    expect(loadConfig({ ...valid, [ENV.databasePoolMax]: '3' }).database.tenantMaxConnections).toBe(2);
    expect(loadConfig({ ...valid, [ENV.databasePoolMax]: '1' }).database.tenantMaxConnections).toBe(1);
    expect(loadConfig({ ...valid, [ENV.databaseTenantMaxConnections]: '10' }).database.tenantMaxConnections).toBe(10);
    expect(problemsOf({ ...valid, [ENV.databaseTenantMaxConnections]: '11' })).toEqual([
      `${ENV.databaseTenantMaxConnections}: must be at most ${ENV.databasePoolMax} (10); a tenant's share is part of the pool`,
    ]);
    expect(problemsOf({ ...valid, [ENV.databaseTenantMaxConnections]: '0' })).toEqual([
      `${ENV.databaseTenantMaxConnections}: must be a whole number of connections, at least 1`,
    ]);
  });

  it('leaves the passwords to the secrets provider: a password file is not read at load (rotation needs re-reads)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-secrets-'));
    writeFileSync(join(dir, SECRET_NAMES.databasePassword), 's3cret\n');
    const config = loadConfig({ ...valid, [ENV.secretsDir]: dir });
    expect(config.secretsDir).toBe(dir);
    expect(JSON.stringify(config)).not.toContain('s3cret');
  });

  it('reads the Key Vault cache settings and the development switch for secrets from the environment', () => {
    const config = loadConfig({
      ...valid,
      [ENV.keyVaultUrl]: 'https://kv-mcp.vault.azure.net',
      [ENV.keyVaultCacheTtlSeconds]: '60',
      [ENV.keyVaultMaxStaleSeconds]: '600',
      [ENV.secretsFromEnv]: 'true',
    });
    expect(config.keyVaultUrl).toBe('https://kv-mcp.vault.azure.net');
    expect(config.secrets).toEqual({ cacheTtlMs: 60_000, maxStaleMs: 600_000, fromEnv: true });
    expect(problemsOf({ ...valid, [ENV.keyVaultMaxStaleSeconds]: '60' })).toEqual([
      `${ENV.keyVaultMaxStaleSeconds}: must be at least ${ENV.keyVaultCacheTtlSeconds} (300); set them equal to serve no stale secrets`,
    ]);
    expect(problemsOf({ ...valid, [ENV.keyVaultCacheTtlSeconds]: '0' })).toEqual([
      `${ENV.keyVaultCacheTtlSeconds}: must be a number of seconds above 0`,
    ]);
    expect(problemsOf({ ...valid, [ENV.secretsFromEnv]: 'yes' })).toEqual([
      `${ENV.secretsFromEnv}: must be true or false`,
    ]);
    expect(problemsOf({ ...valid, [ENV.keyVaultUrl]: 'http://kv.example.com' })[0]).toContain(ENV.keyVaultUrl);
  });
});
