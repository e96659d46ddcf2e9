import { z } from 'zod';
import { TENANT_ID_PATTERN } from '../../auth/claim-mapping.js';
import { ConfigError } from '../../config.js';
import { APP_ROLES } from '../../contract.js';
import { UpstreamIdentityError } from './upstream-identity-error.js';
import { parseUpstreamProfile, type UpstreamProfile } from './upstream-profile.js';

export type AppRole = (typeof APP_ROLES)[keyof typeof APP_ROLES];

/** This system's view of the signed-in user: what the tokens we issue carry as `tenant_id`, `sub` and `roles`. */
export interface MappedIdentity {
  tenantId: string;
  userId: string;
  /** Only our `APP_ROLES`, deduplicated, in `APP_ROLES` order. */
  roles: AppRole[];
  displayName: string;
}

const APP_ROLE_ORDER: readonly AppRole[] = Object.values(APP_ROLES);
/** Written in an Entra multi-tenant issuer (`https://login.microsoftonline.com/{tenantid}/v2.0`), as Entra does. */
const TENANT_PLACEHOLDER = '{tenantid}';

const tenantId = z.string().regex(TENANT_ID_PATTERN, 'must be a tenant id (letters, digits and . _ : @ -)');
const roleMap = z.record(z.string().min(1).max(256), z.enum(APP_ROLE_ORDER as [AppRole, ...AppRole[]])).default({});
const common = {
  issuer: z.url({ error: 'must be an absolute URL' }),
  /** Upstream app role value → our role. Values not listed are dropped. */
  appRoles: roleMap,
  /** Upstream group object id → our role. Groups not listed are dropped. */
  groups: roleMap,
  /** When set, only these tenants may sign in (an Entra multi-tenant app is otherwise open to every tenant). */
  allowedTenants: z.array(tenantId).min(1, 'must list at least one tenant, or be left out').optional(),
};

const configSchema = z.discriminatedUnion('kind', [
  // Entra ID: tenant from `tid`, user from `oid`.
  z.object({ kind: z.literal('entra'), ...common }).strict(),
  // Any other OIDC issuer: user from `sub`; the tenant fixed for the whole issuer, or read from a named claim.
  z
    .object({
      kind: z.literal('oidc'),
      ...common,
      tenant: z.union(
        [
          z.object({ fixed: tenantId }).strict(),
          z.object({ claim: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'must be a claim name') }).strict(),
        ],
        { error: 'must be { fixed: "<tenant id>" } or { claim: "<claim name>" }' },
      ),
    })
    .strict(),
]);

export type UpstreamIdentityConfig = z.output<typeof configSchema>;
export type UpstreamIdentityConfigInput = z.input<typeof configSchema>;

/** Validates one upstream issuer's mapping configuration at start; lists every problem at once. */
export function parseUpstreamIdentityConfig(input: unknown): UpstreamIdentityConfig {
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `upstream identity ${issue.path.join('.') || 'config'}: ${issue.message}`),
    );
  }
  return parsed.data;
}

function tenantClaimOf(config: UpstreamIdentityConfig): string | undefined {
  if (config.kind === 'entra') return 'tid';
  return 'claim' in config.tenant ? config.tenant.claim : undefined;
}

function mappedRoles(profile: UpstreamProfile, config: UpstreamIdentityConfig): AppRole[] {
  const granted = new Set<AppRole>();
  // Only values the configuration names become roles: an upstream value is never passed through, so a group or app
  // role someone creates upstream (or an identically named role of another app) cannot grant anything here. Lookups
  // use own properties only, so values like "constructor" or "__proto__" match nothing.
  for (const value of profile.roles) if (Object.hasOwn(config.appRoles, value)) granted.add(config.appRoles[value]!);
  for (const value of profile.groups) if (Object.hasOwn(config.groups, value)) granted.add(config.groups[value]!);
  return APP_ROLE_ORDER.filter((role) => granted.has(role));
}

/**
 * Maps verified upstream ID token claims to this system's identity, or throws `UpstreamIdentityError`
 * (`unmappable_profile`, `tenant_not_allowed`).
 */
export function mapUpstreamIdentity(claims: unknown, config: UpstreamIdentityConfig): MappedIdentity {
  const tenantClaim = tenantClaimOf(config);
  const profile = parseUpstreamProfile(claims, tenantClaim);

  const tenant = config.kind === 'oidc' && 'fixed' in config.tenant ? config.tenant.fixed : profile.tenant;
  if (tenant === undefined) {
    throw new UpstreamIdentityError(
      'unmappable_profile',
      `The identity provider's sign-in names no tenant (the ${tenantClaim} claim is missing)`,
    );
  }

  // The OIDC library checked `iss` against the issuer it was given; for an Entra multi-tenant issuer that is a
  // template, so the tenant in `iss` must also be the tenant in `tid` (Microsoft's multi-tenant validation advice).
  if (config.issuer.replace(TENANT_PLACEHOLDER, tenant) !== profile.issuer) {
    throw new UpstreamIdentityError(
      'unmappable_profile',
      "The identity provider's sign-in comes from an issuer this mapping is not configured for",
    );
  }

  if (config.allowedTenants !== undefined && !config.allowedTenants.includes(tenant)) {
    throw new UpstreamIdentityError(
      'tenant_not_allowed',
      'Your organisation is not allowed to sign in to this service. Ask your administrator to have it added.',
    );
  }

  // Entra's `sub` is pairwise: the same person has a different `sub` in every application, so it would not match
  // the user id other parts of the tenant (Graph, group membership, audit logs) use. `oid` is the same everywhere in
  // the tenant. Falling back to `sub` when `oid` is missing would silently create a second user, so it is refused.
  let userId: string;
  if (config.kind === 'entra') {
    if (profile.objectId === undefined) {
      throw new UpstreamIdentityError(
        'unmappable_profile',
        "The identity provider's sign-in names no user (the oid claim is missing; request the profile scope)",
      );
    }
    userId = profile.objectId;
  } else {
    userId = profile.subject;
  }

  return {
    tenantId: tenant,
    userId,
    roles: mappedRoles(profile, config),
    displayName: profile.name ?? profile.preferredUsername ?? userId,
  };
}
