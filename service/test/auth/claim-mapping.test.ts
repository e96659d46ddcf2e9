import type { JWTPayload } from 'jose';
import { describe, expect, it } from 'vitest';
import { InvalidTokenError } from '../../src/auth/auth-errors.js';
import { DEFAULT_CLAIM_NAMES, identityFromClaims, mapScopes } from '../../src/auth/claim-mapping.js';

const base = { iss: 'https://issuer.example.com', exp: 2_000_000_000, sub: 'alice', tenant_id: 'acme' };
const entraNames = {
  scopes: ['scp', 'scope'],
  roles: ['roles'],
  tenant: ['tid', 'tenant_id'],
  user: ['oid', 'sub'],
  client: ['azp', 'appid'],
};

describe('scope mapping', () => {
  it('maps issuer names onto ours, passes ours through and drops everything else', () => {
    const map = { 'Documents.Read': 'mcp:read', 'Documents.Admin': 'mcp:admin', Typo: 'mcp:everything' };
    expect(mapScopes(['Documents.Read', 'mcp:write', 'openid', 'offline_access', 'Typo'], map)).toEqual([
      'mcp:read',
      'mcp:write',
    ]);
  });

  it('does not treat inherited object keys as mappings', () => {
    expect(mapScopes(['constructor', 'toString', '__proto__'], {})).toEqual([]);
  });

  it('removes duplicates', () => {
    expect(mapScopes(['Documents.Read', 'mcp:read'], { 'Documents.Read': 'mcp:read' })).toEqual(['mcp:read']);
  });
});

describe('identity from verified claims', () => {
  it('reads the default claim names', () => {
    expect(
      identityFromClaims(
        { ...base, scope: 'mcp:read mcp:write', roles: ['manager'], client_id: 'cli' },
        DEFAULT_CLAIM_NAMES,
        {},
      ),
    ).toEqual({
      subject: 'alice',
      tenantId: 'acme',
      roles: ['manager'],
      scopes: ['mcp:read', 'mcp:write'],
      clientId: 'cli',
      issuer: 'https://issuer.example.com',
      expiresAt: 2_000_000_000,
    });
  });

  it('follows the configured priority: Entra oid over sub, tid, scp', () => {
    const identity = identityFromClaims(
      { ...base, oid: 'object-id', tid: 'guid-tenant', scp: 'Docs.Read', appid: 'app' },
      entraNames,
      { 'Docs.Read': 'mcp:read' },
    );
    expect(identity).toMatchObject({
      subject: 'object-id',
      tenantId: 'guid-tenant',
      scopes: ['mcp:read'],
      clientId: 'app',
    });
  });

  it('accepts scopes as an array and roles as a space-separated string', () => {
    const identity = identityFromClaims(
      { ...base, scope: ['mcp:admin'], roles: 'manager admin' },
      DEFAULT_CLAIM_NAMES,
      {},
    );
    expect(identity.scopes).toEqual(['mcp:admin']);
    expect(identity.roles).toEqual(['manager', 'admin']);
  });

  it('an absent client claim gives an empty client id', () => {
    expect(identityFromClaims(base, DEFAULT_CLAIM_NAMES, {}).clientId).toBe('');
  });

  it.each([
    ['no tenant', { ...base, tenant_id: undefined }, 'missing_claim'],
    ['no user', { ...base, sub: undefined }, 'missing_claim'],
    ['empty tenant', { ...base, tenant_id: '' }, 'invalid_claim'],
    ['numeric user', { ...base, sub: 42 }, 'invalid_claim'],
    ['tenant with a quote', { ...base, tenant_id: "acme'; drop" }, 'invalid_claim'],
    ['tenant with a newline', { ...base, tenant_id: 'acme\nx' }, 'invalid_claim'],
    ['scope of numbers', { ...base, scope: [1, 2] }, 'invalid_claim'],
  ])('refuses %s', (_name, payload, reason) => {
    let thrown: unknown;
    try {
      identityFromClaims(payload as unknown as JWTPayload, DEFAULT_CLAIM_NAMES, {});
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidTokenError);
    expect(thrown).toMatchObject({ code: 'invalid_token', reason });
  });
});
