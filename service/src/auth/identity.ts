/**
 * Who is calling, as established from a verified access token. Every request that reaches a tool carries one;
 * tenant and subject are always present because the service is multi-tenant and every query is scoped by both.
 */
export interface Identity {
  /** The user (or workload) the token was issued to: `sub`, or Entra's `oid`, per configuration. */
  subject: string;
  /** The tenant every data access is scoped to. */
  tenantId: string;
  /** Application roles (Entra app roles), as issued. */
  roles: string[];
  /** Our scopes (mcp:read, mcp:write, mcp:admin) after mapping the issuer's scope names. */
  scopes: string[];
  /** The OAuth client that obtained the token; empty when the issuer does not say. */
  clientId: string;
  /** The verified `iss`. */
  issuer: string;
  /** The token's `exp`, in seconds since the epoch. */
  expiresAt: number;
}
