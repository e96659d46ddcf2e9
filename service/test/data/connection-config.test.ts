import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConnectionConfig, withConnectionTarget } from '../../src/data/connection-config.js';
import { isDataLayerError } from '../../src/data/errors.js';

describe('resolveConnectionConfig', () => {
  it('reads host, port, database, user and a percent-encoded password from the URL', () => {
    expect(resolveConnectionConfig('postgresql://app%40corp:p%2Fss@db.example.com:6432/mcp')).toMatchObject({
      host: 'db.example.com',
      port: 6432,
      database: 'mcp',
      user: 'app@corp',
      password: 'p/ss',
      ssl: false,
    });
    expect(resolveConnectionConfig('postgres://u@[::1]/d')).toMatchObject({ host: '::1', port: 5432 });
  });

  it('lets the password option override the URL password (the secrets mount wins)', () => {
    expect(resolveConnectionConfig('postgres://u:from-url@h/d', 'from-secret').password).toBe('from-secret');
    const tokenProvider = async () => 'entra-access-token';
    expect(resolveConnectionConfig('postgres://u@h/d', tokenProvider).password).toBe(tokenProvider);
  });

  it('verifies the certificate and host name for sslmode=require and verify-full', () => {
    for (const mode of ['require', 'verify-full']) {
      const { ssl } = resolveConnectionConfig(`postgres://u@h.postgres.database.azure.com/d?sslmode=${mode}`);
      expect(ssl).toEqual({ rejectUnauthorized: true });
    }
    const verifyCa = resolveConnectionConfig('postgres://u@h/d?sslmode=verify-ca').ssl as Record<string, unknown>;
    expect(verifyCa.rejectUnauthorized).toBe(true);
    expect(typeof verifyCa.checkServerIdentity).toBe('function');
  });

  it('trusts the CA bundle named by sslrootcert', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ca-'));
    const caPath = join(dir, 'root.pem');
    writeFileSync(caPath, '-----BEGIN CERTIFICATE-----\ntest\n-----END CERTIFICATE-----\n');
    const { ssl } = resolveConnectionConfig(`postgres://u@h/d?sslmode=verify-full&sslrootcert=${caPath}`);
    expect(ssl).toEqual({ rejectUnauthorized: true, ca: expect.stringContaining('BEGIN CERTIFICATE') });
  });

  it('refuses opportunistic TLS, unknown schemes, several hosts and unreadable CA files', () => {
    for (const url of [
      'postgres://u@h/d?sslmode=prefer',
      'postgres://u@h/d?sslmode=allow',
      'mysql://u@h/d',
      'not a url',
      'postgres://u@h1,h2/d',
      'postgres://u@h/d?sslmode=verify-full&sslrootcert=/nonexistent/root.pem',
    ]) {
      let error: unknown;
      try {
        resolveConnectionConfig(url);
      } catch (caught) {
        error = caught;
      }
      expect({ url, invalid: isDataLayerError(error, 'invalid_database_config') }).toEqual({ url, invalid: true });
    }
  });

  it('never passes the raw URL to pg, so nothing in it can override the explicit settings', () => {
    expect(resolveConnectionConfig('postgres://u:x@h/d?sslmode=require')).not.toHaveProperty('connectionString');
  });
});

describe('withConnectionTarget', () => {
  it('switches user (dropping the password) and database, keeping the rest', () => {
    expect(
      withConnectionTarget('postgres://admin:secret@h:5432/postgres?sslmode=require', {
        user: 'mcp_app',
        database: 'mcp_test_1',
      }),
    ).toBe('postgres://mcp_app@h:5432/mcp_test_1?sslmode=require');
  });
});
