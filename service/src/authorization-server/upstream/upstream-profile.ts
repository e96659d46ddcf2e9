import { z } from 'zod';
import { TENANT_ID_PATTERN } from '../../auth/claim-mapping.js';
import { UpstreamIdentityError } from './upstream-identity-error.js';

/**
 * The claims of an upstream ID token that identity mapping uses. The OIDC library has verified signature, issuer,
 * audience and expiry before this sees the claims; this checks only that their shapes are ones we can map, with
 * bounds, because every value ends up in tokens we sign, database session settings and log lines.
 */
export interface UpstreamProfile {
  issuer: string;
  /** OIDC `sub`. In Entra it is pairwise (differs per application), so Entra mapping uses `objectId` instead. */
  subject: string;
  /** The tenant claim named by configuration (Entra: `tid`), when present. */
  tenant?: string;
  /** Entra `oid`, lower-cased: the user's object id, the same in every application of the tenant. */
  objectId?: string;
  /** Entra app role values (`roles`), as issued; empty when absent. */
  roles: string[];
  /** Entra group object ids (`groups`), as issued; empty when absent (also when Entra sends a groups overage). */
  groups: string[];
  name?: string;
  preferredUsername?: string;
}

/** OIDC Core §2: `sub` is at most 255 ASCII characters; printable and without spaces, for logs and headers. */
const SUBJECT_PATTERN = /^[\x21-\x7e]{1,255}$/;
const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_ISSUER_LENGTH = 2_048;
const MAX_LIST_VALUE_LENGTH = 256;
// Entra puts at most 200 groups in a JWT (more become an overage reference); this bound is generous above that.
const MAX_LIST_ENTRIES = 1_000;
const MAX_DISPLAY_LENGTH = 256;

const listClaim = z
  .array(
    z
      .string({ error: 'must hold only strings' })
      .min(1, 'must not hold empty strings')
      .max(MAX_LIST_VALUE_LENGTH, `must not hold values over ${MAX_LIST_VALUE_LENGTH} characters`),
    // A space-separated string is refused rather than split: "user admin" must not become the admin role.
    { error: 'must be an array of strings' },
  )
  .max(MAX_LIST_ENTRIES, `must not hold more than ${MAX_LIST_ENTRIES} values`)
  .optional()
  .transform((values) => values ?? []);

// Display fields are shown, never trusted: a value we cannot show is dropped instead of refusing the sign-in.
const displayClaim = z
  .string()
  .max(MAX_DISPLAY_LENGTH)
  .regex(/^[^\p{Cc}]+$/u)
  .optional()
  .catch(undefined);

const profileSchema = z.object({
  iss: z.string({ error: 'must be a string' }).min(1, 'must not be empty').max(MAX_ISSUER_LENGTH, 'is too long'),
  sub: z
    .string({ error: 'must be a string' })
    .regex(SUBJECT_PATTERN, 'must be 1 to 255 printable ASCII characters without spaces'),
  tenant: z
    .string({ error: 'must be a string' })
    .regex(TENANT_ID_PATTERN, 'must be a tenant id (letters, digits and . _ : @ -, at most 128 characters)')
    .optional(),
  oid: z
    .string({ error: 'must be a string' })
    .regex(GUID_PATTERN, 'must be a GUID')
    .transform((value) => value.toLowerCase())
    .optional(),
  roles: listClaim,
  groups: listClaim,
  name: displayClaim,
  preferred_username: displayClaim,
});

/**
 * Reads and checks the claims we use from verified ID token claims. `tenantClaim` names the claim that holds the
 * tenant (Entra: `tid`); a missing tenant is not an error here, because a generic issuer may have a fixed tenant.
 */
export function parseUpstreamProfile(claims: unknown, tenantClaim = 'tid'): UpstreamProfile {
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
    throw new UpstreamIdentityError('unmappable_profile', 'The identity provider sent no claims object');
  }
  const source = claims as Record<string, unknown>;
  const parsed = profileSchema.safeParse({
    iss: source.iss,
    sub: source.sub,
    tenant: Object.hasOwn(source, tenantClaim) ? source[tenantClaim] : undefined,
    oid: source.oid,
    roles: source.roles,
    groups: source.groups,
    name: source.name,
    preferred_username: source.preferred_username,
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const field = issue.path[0] === 'tenant' ? tenantClaim : String(issue.path[0]);
      // A missing required claim arrives as "must be a string" on undefined; say "missing" instead.
      const value = source[field];
      return value === undefined ? `the ${field} claim is missing` : `the ${field} claim ${issue.message}`;
    });
    throw new UpstreamIdentityError(
      'unmappable_profile',
      `The identity provider's sign-in cannot be used here: ${[...new Set(problems)].join('; ')}`,
    );
  }
  const { iss, sub, tenant, oid, roles, groups, name, preferred_username } = parsed.data;
  return {
    issuer: iss,
    subject: sub,
    roles,
    groups,
    ...(tenant !== undefined && { tenant }),
    ...(oid !== undefined && { objectId: oid }),
    ...(name !== undefined && { name }),
    ...(preferred_username !== undefined && { preferredUsername: preferred_username }),
  };
}
