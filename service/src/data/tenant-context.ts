import { DataLayerError } from './errors.js';

/** Who is calling, as established by the verified access token. Every query runs inside one such context. */
export interface TenantContext {
  tenantId: string;
  userId: string;
  roles: readonly string[];
  clientId: string;
  correlationId: string;
}

const MAX_IDENTIFIER_LENGTH = 256;
// Roles travel to Postgres as one comma-separated setting (see tenancy.current_roles()), so a comma inside a
// role name would split it into two roles; such names are refused rather than reinterpreted.
const SAFE_ROLE_NAME = /^[A-Za-z0-9_.:/-]{1,128}$/;

/** Fails with `invalid_tenant_context` unless the context can be carried into the database unambiguously. */
export function assertValidTenantContext(ctx: TenantContext): void {
  const problems: string[] = [];
  if (!isBoundedNonEmpty(ctx.tenantId)) {
    problems.push(`tenantId must be 1..${MAX_IDENTIFIER_LENGTH} characters, without NUL`);
  }
  if (!isBoundedNonEmpty(ctx.userId))
    problems.push(`userId must be 1..${MAX_IDENTIFIER_LENGTH} characters, without NUL`);
  for (const role of ctx.roles) {
    if (!SAFE_ROLE_NAME.test(role)) problems.push(`role ${JSON.stringify(role)} must match ${SAFE_ROLE_NAME}`);
  }
  if (typeof ctx.clientId !== 'string' || ctx.clientId.includes('\u0000')) {
    problems.push('clientId must be a string without NUL characters');
  }
  if (typeof ctx.correlationId !== 'string' || ctx.correlationId.includes('\u0000')) {
    problems.push('correlationId must be a string without NUL characters');
  }
  if (problems.length > 0) {
    throw new DataLayerError('invalid_tenant_context', `Invalid tenant context: ${problems.join('; ')}`);
  }
}

function isBoundedNonEmpty(value: unknown): value is string {
  // NUL cannot travel in a Postgres setting (22021): refused here, as the token's fault, not the caller's input.
  return (
    typeof value === 'string' && value.length > 0 && value.length <= MAX_IDENTIFIER_LENGTH && !value.includes('\u0000')
  );
}
