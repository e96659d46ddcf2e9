/**
 * Upstream identity → tenant, user, roles: a table of profiles per issuer kind, the tenant allow-list, and the
 * configuration's own validation.
 */
import { describe, expect, it } from 'vitest';
import {
  mapUpstreamIdentity,
  parseUpstreamIdentityConfig,
  type UpstreamIdentityConfigInput,
} from '../../../src/authorization-server/upstream/identity-mapping.js';
import {
  UpstreamIdentityError,
  type UpstreamIdentityErrorCode,
} from '../../../src/authorization-server/upstream/upstream-identity-error.js';
import { ConfigError } from '../../../src/config.js';

const CONTOSO = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const FABRIKAM = '0b8f2c1e-1111-4222-8333-944455556666';
const ADA = '00000000-0000-0000-66f3-3332eca7ea81';
const ADMINS_GROUP = 'a1b2c3d4-0000-0000-0000-000000000001';
const MANAGERS_GROUP = 'a1b2c3d4-0000-0000-0000-000000000002';

const ENTRA: UpstreamIdentityConfigInput = {
  kind: 'entra',
  issuer: 'https://login.microsoftonline.com/{tenantid}/v2.0',
  appRoles: { 'Documents.Admin': 'admin', 'Documents.Manager': 'manager' },
  groups: { [ADMINS_GROUP]: 'admin', [MANAGERS_GROUP]: 'manager' },
};
const entra = parseUpstreamIdentityConfig(ENTRA);

function entraClaims(overrides: Record<string, unknown> = {}, tenant = CONTOSO): Record<string, unknown> {
  return {
    iss: `https://login.microsoftonline.com/${tenant}/v2.0`,
    sub: 'pairwise-subject-for-this-app',
    tid: tenant,
    oid: ADA,
    name: 'Ada Lovelace',
    ...overrides,
  };
}

function refusal(run: () => unknown, code: UpstreamIdentityErrorCode): UpstreamIdentityError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UpstreamIdentityError);
    expect((error as UpstreamIdentityError).code).toBe(code);
    return error as UpstreamIdentityError;
  }
  throw new Error('the identity was mapped');
}

describe('Entra identity mapping', () => {
  it.each([
    ['app roles', { roles: ['Documents.Admin'] }, ['admin']],
    ['groups', { groups: [MANAGERS_GROUP] }, ['manager']],
    [
      'app roles and groups, deduplicated, in APP_ROLES order',
      { roles: ['Documents.Admin'], groups: [MANAGERS_GROUP, ADMINS_GROUP] },
      ['manager', 'admin'],
    ],
    ['neither', {}, []],
    [
      'only unknown roles and groups',
      { roles: ['Documents.Owner', 'admin'], groups: ['ffffffff-0000-0000-0000-000000000000'] },
      [],
    ],
    [
      'roles with commas or spaces',
      { roles: ['Documents.Admin,Documents.Manager', 'Documents.Admin ', ' Documents.Admin'] },
      [],
    ],
    ['prototype names', { roles: ['constructor', '__proto__', 'toString', 'hasOwnProperty'] }, []],
    ['a different case', { roles: ['documents.admin'] }, []],
  ])('maps a user with %s', (_case, overrides, roles) => {
    expect(mapUpstreamIdentity(entraClaims(overrides), entra)).toEqual({
      tenantId: CONTOSO,
      userId: ADA,
      roles,
      displayName: 'Ada Lovelace',
    });
  });

  it('identifies the user by oid, never by the per-application sub', () => {
    const identity = mapUpstreamIdentity(entraClaims({ sub: 'other-app-subject' }), entra);
    expect(identity.userId).toBe(ADA);
  });

  it('refuses a sign-in without oid rather than falling back to sub', () => {
    const error = refusal(() => mapUpstreamIdentity(entraClaims({ oid: undefined }), entra), 'unmappable_profile');
    expect(error.message).toMatch(/oid claim is missing/);
  });

  it('refuses a sign-in without tid', () => {
    const error = refusal(() => mapUpstreamIdentity(entraClaims({ tid: undefined }), entra), 'unmappable_profile');
    expect(error.message).toMatch(/no tenant.*tid/);
  });

  it('refuses a malformed tid', () => {
    refusal(() => mapUpstreamIdentity(entraClaims({ tid: 'contoso tenant' }), entra), 'unmappable_profile');
  });

  it('refuses a tid that is not the tenant in iss', () => {
    const error = refusal(
      () => mapUpstreamIdentity(entraClaims({ tid: FABRIKAM }, CONTOSO), entra),
      'unmappable_profile',
    );
    expect(error.message).toMatch(/issuer/);
  });

  it('refuses an issuer of another provider', () => {
    refusal(() => mapUpstreamIdentity(entraClaims({ iss: 'https://evil.example/v2.0' }), entra), 'unmappable_profile');
  });

  it('shows the preferred username, then the user id, when there is no name', () => {
    expect(
      mapUpstreamIdentity(entraClaims({ name: undefined, preferred_username: 'ada@contoso' }), entra).displayName,
    ).toBe('ada@contoso');
    expect(mapUpstreamIdentity(entraClaims({ name: undefined }), entra).displayName).toBe(ADA);
  });
});

describe('tenant allow-list', () => {
  const listed = parseUpstreamIdentityConfig({ ...ENTRA, allowedTenants: [CONTOSO] });

  it('admits a listed tenant', () => {
    expect(mapUpstreamIdentity(entraClaims(), listed).tenantId).toBe(CONTOSO);
  });

  it('refuses a tenant that is not listed, with its own code', () => {
    const error = refusal(() => mapUpstreamIdentity(entraClaims({}, FABRIKAM), listed), 'tenant_not_allowed');
    expect(error.message).toMatch(/organisation is not allowed/);
    expect(error.message).not.toContain(FABRIKAM);
  });

  it('admits every tenant when no list is configured', () => {
    expect(mapUpstreamIdentity(entraClaims({}, FABRIKAM), entra).tenantId).toBe(FABRIKAM);
  });
});

describe('generic OIDC identity mapping', () => {
  const fixed = parseUpstreamIdentityConfig({
    kind: 'oidc',
    issuer: 'https://id.example.org',
    tenant: { fixed: 'acme' },
    appRoles: { 'mcp-admins': 'admin' },
  });

  it('uses the fixed tenant and sub, and maps roles', () => {
    expect(
      mapUpstreamIdentity({ iss: 'https://id.example.org', sub: 'user-7', roles: ['mcp-admins', 'staff'] }, fixed),
    ).toEqual({ tenantId: 'acme', userId: 'user-7', roles: ['admin'], displayName: 'user-7' });
  });

  it('ignores a tid claim when the tenant is fixed', () => {
    expect(mapUpstreamIdentity({ iss: 'https://id.example.org', sub: 'user-7', tid: CONTOSO }, fixed).tenantId).toBe(
      'acme',
    );
  });

  it('reads the tenant from a configured claim, and refuses when it is missing', () => {
    const byClaim = parseUpstreamIdentityConfig({
      kind: 'oidc',
      issuer: 'https://id.example.org',
      tenant: { claim: 'org_id' },
    });
    expect(mapUpstreamIdentity({ iss: 'https://id.example.org', sub: 'u', org_id: 'globex' }, byClaim).tenantId).toBe(
      'globex',
    );
    const error = refusal(
      () => mapUpstreamIdentity({ iss: 'https://id.example.org', sub: 'u', tid: CONTOSO }, byClaim),
      'unmappable_profile',
    );
    expect(error.message).toMatch(/org_id claim is missing/);
  });

  it('refuses a missing or malformed sub', () => {
    refusal(() => mapUpstreamIdentity({ iss: 'https://id.example.org' }, fixed), 'unmappable_profile');
    refusal(() => mapUpstreamIdentity({ iss: 'https://id.example.org', sub: 'a\nb' }, fixed), 'unmappable_profile');
  });
});

describe('identity mapping configuration', () => {
  function problems(input: unknown): string[] {
    try {
      parseUpstreamIdentityConfig(input);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as ConfigError).problems;
    }
    throw new Error('the configuration was accepted');
  }

  it('fills empty role maps', () => {
    const config = parseUpstreamIdentityConfig({ kind: 'entra', issuer: 'https://login.microsoftonline.com/x/v2.0' });
    expect(config).toMatchObject({ appRoles: {}, groups: {} });
  });

  it.each([
    ['a role we do not have', { ...ENTRA, appRoles: { Owner: 'owner' } }, /appRoles\.Owner/],
    ['a group mapped to a role we do not have', { ...ENTRA, groups: { [ADMINS_GROUP]: 'root' } }, /groups\./],
    ['an empty allow-list', { ...ENTRA, allowedTenants: [] }, /allowedTenants: must list at least one/],
    ['a malformed allowed tenant', { ...ENTRA, allowedTenants: ['a b'] }, /allowedTenants\.0: must be a tenant id/],
    ['no issuer', { kind: 'entra' }, /issuer/],
    ['an unknown kind', { ...ENTRA, kind: 'saml' }, /kind/],
    [
      'a tenant setting on Entra (it always uses tid)',
      { ...ENTRA, tenant: { fixed: 'x' } },
      /Unrecognized key: "tenant"/,
    ],
    ['an OIDC issuer without a tenant', { kind: 'oidc', issuer: 'https://id.example.org' }, /tenant: must be \{ fixed/],
    [
      'a malformed fixed tenant',
      { kind: 'oidc', issuer: 'https://id.example.org', tenant: { fixed: "x'" } },
      /tenant\.fixed: must be a tenant id/,
    ],
  ])('refuses %s', (_case, input, message) => {
    const listed = problems(input);
    expect(listed.join('\n')).toMatch(message);
  });

  it('lists every problem at once', () => {
    expect(problems({ kind: 'entra', issuer: 'nope', allowedTenants: [] })).toHaveLength(2);
  });
});
