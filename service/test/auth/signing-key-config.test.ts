import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ENV } from '../../src/contract.js';
import { configProblemsOf } from '../helpers/config-problems.js';

const valid = {
  [ENV.resourceUrl]: 'https://mcp.example.com/mcp',
  [ENV.issuers]: 'https://login.example.com/tenant/v2.0',
  [ENV.databaseUrl]: 'postgres://mcp_app@db.example.com:5432/mcp?sslmode=verify-full',
  [ENV.secretsDir]: mkdtempSync(join(tmpdir(), 'mcp-secrets-')),
};

const problemsOf = configProblemsOf;

describe('signing-key cache settings', () => {
  it('default to a 10 min cache age and 24 h of stale keys while the issuer is unreachable', () => {
    expect(loadConfig(valid).auth.keySets).toEqual({ cacheMaxAgeMs: 600_000, maxStaleMs: 86_400_000 });
  });

  it('take seconds, fractions included', () => {
    const config = loadConfig({
      ...valid,
      [ENV.jwksCacheMaxAgeSeconds]: '0.5',
      [ENV.jwksMaxStaleSeconds]: '3600',
    });
    expect(config.auth.keySets).toEqual({ cacheMaxAgeMs: 500, maxStaleMs: 3_600_000 });
  });

  it('refuse a stale limit below the cache age, and values out of range, naming the variable', () => {
    expect(problemsOf({ ...valid, [ENV.jwksMaxStaleSeconds]: '60' })).toEqual([
      `${ENV.jwksMaxStaleSeconds}: must be at least ${ENV.jwksCacheMaxAgeSeconds} (600); set them equal to serve no stale keys`,
    ]);
    const problems = problemsOf({ ...valid, [ENV.jwksCacheMaxAgeSeconds]: '0', [ENV.jwksMaxStaleSeconds]: '1e9' });
    expect(problems).toEqual([
      `${ENV.jwksCacheMaxAgeSeconds}: must be a number of seconds above 0`,
      `${ENV.jwksMaxStaleSeconds}: must be at most 604800 seconds (7 days)`,
    ]);
    expect(problemsOf({ ...valid, [ENV.jwksMaxStaleSeconds]: 'a day' })[0]).toContain(ENV.jwksMaxStaleSeconds);
  });
});
