import type { JWTPayload } from 'jose';
import { MCP_SCOPES } from '../contract.js';
import { InvalidTokenError } from './auth-errors.js';
import type { Identity } from './identity.js';

/** Which claims hold what; each a list in priority order (the first claim present wins). */
export interface ClaimNames {
  scopes: string[];
  roles: string[];
  tenant: string[];
  user: string[];
  client: string[];
}

/** Works for a plain OIDC issuer (the dev issuer), Entra v1 (`scp`, `tid`, `appid`) and Entra v2 (`azp`). */
export const DEFAULT_CLAIM_NAMES: ClaimNames = {
  scopes: ['scope', 'scp'],
  roles: ['roles'],
  tenant: ['tenant_id', 'tid'],
  user: ['sub'],
  client: ['client_id', 'azp', 'appid'],
};

const OUR_SCOPES: ReadonlySet<string> = new Set(Object.values(MCP_SCOPES));

/**
 * Tenant ids end up in database session settings and log lines: accept the shapes issuers use (GUIDs, slugs, URNs)
 * and nothing with whitespace, quotes or control characters.
 */
export const TENANT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;
const MAX_SUBJECT_LENGTH = 256;

function firstPresent(payload: JWTPayload, names: readonly string[]): { name: string; value: unknown } | undefined {
  for (const name of names) {
    if (payload[name] !== undefined && payload[name] !== null) return { name, value: payload[name] };
  }
  return undefined;
}

/** A space-separated string (RFC 9068 `scope`, Entra `scp`) or an array of strings (some issuers, `roles`). */
function stringList(claim: { name: string; value: unknown } | undefined): string[] {
  if (claim === undefined) return [];
  const { name, value } = claim;
  if (typeof value === 'string') return value.split(' ').filter((item) => item.length > 0);
  if (Array.isArray(value) && value.every((item): item is string => typeof item === 'string')) return value;
  throw new InvalidTokenError('invalid_claim', `The access token's ${name} claim has an unexpected form`);
}

function requiredString(payload: JWTPayload, names: readonly string[], what: string): string {
  const claim = firstPresent(payload, names);
  if (claim === undefined) {
    throw new InvalidTokenError('missing_claim', `The access token has no ${what} claim (${names.join(' or ')})`);
  }
  if (typeof claim.value !== 'string' || claim.value.length === 0) {
    throw new InvalidTokenError('invalid_claim', `The access token's ${claim.name} claim must be a non-empty string`);
  }
  return claim.value;
}

/**
 * Translates the issuer's scope names into ours. A mapped scope becomes its target; an unmapped scope that already is
 * one of ours passes through; anything else (openid, profile, other APIs' scopes) is dropped, so it can never grant
 * access here.
 */
export function mapScopes(issued: readonly string[], scopeMap: Readonly<Record<string, string>>): string[] {
  const mapped = new Set<string>();
  for (const scope of issued) {
    const target = Object.hasOwn(scopeMap, scope) ? scopeMap[scope] : scope;
    if (target !== undefined && OUR_SCOPES.has(target)) mapped.add(target);
  }
  return [...mapped];
}

/** Builds the caller's identity from claims that have already been cryptographically verified. */
export function identityFromClaims(
  payload: JWTPayload,
  claimNames: ClaimNames,
  scopeMap: Readonly<Record<string, string>>,
): Identity {
  const subject = requiredString(payload, claimNames.user, 'user');
  if (subject.length > MAX_SUBJECT_LENGTH) {
    throw new InvalidTokenError('invalid_claim', 'The access token names an implausibly long user');
  }
  const tenantId = requiredString(payload, claimNames.tenant, 'tenant');
  if (!TENANT_ID_PATTERN.test(tenantId)) {
    throw new InvalidTokenError('invalid_claim', 'The access token names a tenant in an unsupported format');
  }
  const clientClaim = firstPresent(payload, claimNames.client);
  if (typeof payload.iss !== 'string' || typeof payload.exp !== 'number') {
    // jwtVerify has checked both; this guards the types, not the token.
    throw new InvalidTokenError('missing_claim', 'The access token has no issuer or expiry');
  }
  return {
    subject,
    tenantId,
    roles: stringList(firstPresent(payload, claimNames.roles)),
    scopes: mapScopes(stringList(firstPresent(payload, claimNames.scopes)), scopeMap),
    clientId: typeof clientClaim?.value === 'string' ? clientClaim.value : '',
    issuer: payload.iss,
    expiresAt: payload.exp,
  };
}
