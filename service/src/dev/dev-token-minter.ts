import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { DevSigningKey } from './dev-signing-key.js';

/** What a development access token says about its bearer. */
export interface MintClaims {
  subject: string;
  tenantId: string;
  /** Our scope names (a space-separated string or a list). */
  scopes: readonly string[] | string;
  roles?: readonly string[];
  /** The resource URL of the MCP server the token is for (RFC 8707). */
  audience: string;
  clientId?: string;
  /** Default one hour. */
  expiresInSeconds?: number;
}

export const DEV_CLIENT_ID = 'mcp-dev-client';
const DEFAULT_LIFETIME_SECONDS = 3600;

/** An RFC 9068 access token (`typ: at+jwt`) signed with the development key. */
export async function mintDevAccessToken(key: DevSigningKey, issuer: string, claims: MintClaims): Promise<string> {
  const scope = typeof claims.scopes === 'string' ? claims.scopes.trim() : claims.scopes.join(' ');
  const lifetime = claims.expiresInSeconds ?? DEFAULT_LIFETIME_SECONDS;
  const issuedAt = Math.floor(Date.now() / 1000);
  return new SignJWT({
    tenant_id: claims.tenantId,
    scope,
    roles: [...(claims.roles ?? [])],
    client_id: claims.clientId ?? DEV_CLIENT_ID,
  })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt' })
    .setIssuer(issuer)
    .setSubject(claims.subject)
    .setAudience(claims.audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + lifetime)
    .setJti(randomUUID())
    .sign(key.privateKey);
}
