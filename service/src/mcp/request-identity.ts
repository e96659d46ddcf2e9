import type { AuthInfo } from '@modelcontextprotocol/server';
import type { Identity } from '../auth/identity.js';
import type { TenantContext } from '../data/tenant-context.js';

/** What the HTTP layer attaches to the SDK's AuthInfo.extra for the tools of one request. */
export interface RequestAuthExtra {
  identity: Identity;
  correlationId: string;
}

/** The verified caller of this request, or undefined when the HTTP layer attached none. */
export function requestAuthExtra(authInfo: AuthInfo | undefined): RequestAuthExtra | undefined {
  const extra = authInfo?.extra as Partial<RequestAuthExtra> | undefined;
  if (!extra?.identity) return undefined;
  return { identity: extra.identity, correlationId: extra.correlationId ?? 'unknown' };
}

export function toTenantContext({ identity, correlationId }: RequestAuthExtra): TenantContext {
  return {
    tenantId: identity.tenantId,
    userId: identity.subject,
    roles: identity.roles,
    clientId: identity.clientId,
    correlationId,
  };
}
