import type { UpstreamIdentityConfigInput } from '../../authorization-server/upstream/identity-mapping.js';
import { APP_ROLES } from '../../contract.js';
import { SAMPLE_USERS } from '../../data/sample-data.js';

/** The claim that carries the tenant: a generic OIDC issuer has no `tid`, so the mapping is told to read this one. */
export const DEV_UPSTREAM_TENANT_CLAIM = 'tenant_id';

/** Upstream role values, as the `roles` claim carries them; the identity mapping turns them into our `APP_ROLES`. */
export const DEV_UPSTREAM_ROLES = { admin: 'admin', manager: 'manager' } as const;

export interface DevUpstreamUser {
  /** The `sub` claim, and the user id the identity mapping produces (the sample data's `userId`). */
  sub: string;
  tenantId: string;
  roles: readonly string[];
  name: string;
}

/**
 * Who can sign in at the development upstream provider. alice, bob and carol are the sample data's owners (no role:
 * each sees only their own documents); adam and mia exist to try the admin and manager views in tenant acme.
 */
export const DEV_UPSTREAM_USERS: readonly DevUpstreamUser[] = [
  { sub: SAMPLE_USERS.alice.userId, tenantId: SAMPLE_USERS.alice.tenantId, roles: [], name: 'Alice (acme)' },
  { sub: SAMPLE_USERS.bob.userId, tenantId: SAMPLE_USERS.bob.tenantId, roles: [], name: 'Bob (acme)' },
  { sub: SAMPLE_USERS.carol.userId, tenantId: SAMPLE_USERS.carol.tenantId, roles: [], name: 'Carol (globex)' },
  { sub: 'adam', tenantId: 'acme', roles: [DEV_UPSTREAM_ROLES.admin], name: 'Adam (acme, admin)' },
  { sub: 'mia', tenantId: 'acme', roles: [DEV_UPSTREAM_ROLES.manager], name: 'Mia (acme, manager)' },
];

export function findDevUpstreamUser(sub: string): DevUpstreamUser | undefined {
  return DEV_UPSTREAM_USERS.find((user) => user.sub === sub);
}

/** The ID token claims of a user (beyond what oidc-provider adds: iss, aud, exp, iat, nonce, at_hash...). */
export function devUpstreamClaims(user: DevUpstreamUser): { sub: string; [claim: string]: unknown } {
  return {
    sub: user.sub,
    name: user.name,
    preferred_username: user.sub,
    [DEV_UPSTREAM_TENANT_CLAIM]: user.tenantId,
    roles: [...user.roles],
  };
}

/** The identity mapping configuration for this provider: a generic OIDC issuer whose tenant is in `tenant_id`. */
export function devUpstreamIdentityConfig(issuer: string): UpstreamIdentityConfigInput {
  return {
    kind: 'oidc',
    issuer,
    tenant: { claim: DEV_UPSTREAM_TENANT_CLAIM },
    appRoles: { [DEV_UPSTREAM_ROLES.admin]: APP_ROLES.admin, [DEV_UPSTREAM_ROLES.manager]: APP_ROLES.manager },
  };
}
