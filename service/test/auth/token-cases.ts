/**
 * The token table: every way a request can present (or fail to present) a token, with the exact answer the MCP
 * endpoint must give. Written against a context, not an app, so the same table runs against the stub app here and
 * against the real app (point `buildApp` elsewhere and supply calls that need mcp:read and mcp:write).
 */
import type { Identity } from '../../src/auth/identity.js';
import {
  hs256WithPublicKey,
  type TestIssuer,
  tamperPayload,
  tamperSignature,
  unsecuredToken,
} from '../helpers/test-issuer.js';

/** 'entra' = an app configured for Entra ID: typ not required, Entra claim names, a scope map. */
export type AuthProfile = 'standard' | 'entra';

export interface TokenTableContext {
  issuer: TestIssuer;
  /** The MCP server's resource URL (the audience). */
  resource: string;
  resourceMetadataUrl: string;
  mcpPath: string;
  clockToleranceSeconds: number;
  /** Entra-shaped issuers served by the test issuer: v1 `<base>/<tid>/`, v2 `<base>/<tid>/v2.0`. */
  entra: { tenantId: string; v1Issuer: string; v2Issuer: string };
}

export interface TokenCaseRequest {
  authorization?: string;
  /** Appended to the MCP path, e.g. `?access_token=...`. */
  query?: string;
  /** Which operation is called: one needing mcp:read (default) or mcp:write. */
  call?: 'read' | 'write';
}

export interface TokenCaseExpectation {
  status: 200 | 400 | 401 | 403;
  /** The challenge's error attribute; null = the challenge must have none (no token was presented). */
  error?: 'invalid_request' | 'invalid_token' | 'insufficient_scope' | null;
  /** The challenge's scope attribute. */
  scope?: string;
  /** Why the auth layer refused (InvalidTokenReason etc.; checked where the app reports it). */
  reason?: string;
  /** On 200, what the caller's identity must be (checked where the app exposes it). */
  identity?: Partial<Identity>;
}

export interface TokenCase {
  name: string;
  profile?: AuthProfile;
  request: (context: TokenTableContext) => Promise<TokenCaseRequest>;
  expected: TokenCaseExpectation;
}

/** A GUID like Entra tenant ids; the Entra issuers of the table embed it. */
export const ENTRA_TENANT_ID = '7d9a3c4e-2f1b-4c8d-9e6a-5b4c3d2e1f0a';

const now = () => Math.floor(Date.now() / 1000);
const bearer = (token: string): TokenCaseRequest => ({ authorization: `Bearer ${token}` });

const unauthenticated = { status: 401, error: null, scope: 'mcp:read' } as const;
const invalid = (reason: string) => ({ status: 401, error: 'invalid_token', scope: 'mcp:read', reason }) as const;
const ok = { status: 200 } as const;

export const tokenCases: TokenCase[] = [
  { name: 'valid ES256 token', request: async ({ issuer }) => bearer(await issuer.mintToken()), expected: ok },
  {
    name: 'valid RS256 token',
    request: async ({ issuer }) => bearer(await issuer.mintToken({ key: issuer.keys.rs256 })),
    expected: ok,
  },
  {
    name: 'scheme name in lower case',
    request: async ({ issuer }) => ({ authorization: `bearer ${await issuer.mintToken()}` }),
    expected: ok,
  },
  { name: 'missing Authorization header', request: async () => ({}), expected: unauthenticated },
  {
    name: 'missing header, write call names mcp:write',
    request: async () => ({ call: 'write' }),
    expected: { ...unauthenticated, scope: 'mcp:write' },
  },
  {
    name: 'wrong scheme (Basic)',
    request: async () => ({ authorization: `Basic ${Buffer.from('alice:secret').toString('base64')}` }),
    expected: unauthenticated,
  },
  { name: 'empty bearer', request: async () => ({ authorization: 'Bearer ' }), expected: unauthenticated },
  { name: 'malformed: not a JWT', request: async () => bearer('not-a-jwt'), expected: invalid('malformed') },
  {
    name: 'malformed: two parts',
    request: async () => bearer('eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0'),
    expected: invalid('malformed'),
  },
  {
    name: 'malformed: not a b64token (two words)',
    request: async () => ({ authorization: 'Bearer abc def' }),
    expected: invalid('malformed'),
  },
  {
    name: 'alg none',
    request: async ({ issuer }) => bearer(unsecuredToken(issuer.defaultClaims())),
    expected: invalid('malformed'),
  },
  {
    name: 'alg none with a signature appended',
    request: async ({ issuer }) => bearer(`${unsecuredToken(issuer.defaultClaims())}c2lnbmF0dXJl`),
    expected: invalid('algorithm_not_allowed'),
  },
  {
    name: 'HS256 signed with the public key as secret',
    request: async ({ issuer }) => bearer(await hs256WithPublicKey(issuer.keys.es256, issuer.defaultClaims())),
    expected: invalid('algorithm_not_allowed'),
  },
  {
    name: 'unknown kid',
    request: async ({ issuer }) => bearer(await issuer.mintToken({ key: await issuer.generateKey('ES256') })),
    expected: invalid('unknown_key'),
  },
  {
    name: 'attacker key with the right kid',
    request: async ({ issuer }) => bearer(await issuer.mintToken({ key: issuer.keys.attacker })),
    expected: invalid('bad_signature'),
  },
  {
    name: 'tampered payload (scope raised to mcp:admin)',
    request: async ({ issuer }) =>
      bearer(tamperPayload(await issuer.mintToken(), { scope: 'mcp:read mcp:write mcp:admin' })),
    expected: invalid('bad_signature'),
  },
  {
    name: 'tampered signature',
    request: async ({ issuer }) => bearer(tamperSignature(await issuer.mintToken())),
    expected: invalid('bad_signature'),
  },
  {
    name: 'expired',
    request: async ({ issuer }) => bearer(await issuer.mintToken({ claims: { iat: now() - 600, exp: now() - 120 } })),
    expected: invalid('expired'),
  },
  {
    name: 'no exp claim',
    request: async ({ issuer }) => bearer(await issuer.mintToken({ claims: { exp: undefined } })),
    expected: invalid('missing_claim'),
  },
  {
    name: 'nbf in the future',
    request: async ({ issuer }) => bearer(await issuer.mintToken({ claims: { nbf: now() + 600 } })),
    expected: invalid('not_yet_valid'),
  },
  {
    name: 'expired within the clock tolerance (passes)',
    request: async ({ issuer, clockToleranceSeconds }) =>
      bearer(await issuer.mintToken({ claims: { exp: now() - Math.floor(clockToleranceSeconds / 3) } })),
    expected: ok,
  },
  {
    name: 'wrong iss',
    request: async ({ issuer }) => bearer(await issuer.mintToken({ claims: { iss: 'https://evil.example.com' } })),
    expected: invalid('unknown_issuer'),
  },
  {
    name: 'iss of a trusted issuer with a trailing slash added',
    request: async ({ issuer }) => bearer(await issuer.mintToken({ claims: { iss: `${issuer.issuer}/` } })),
    expected: invalid('unknown_issuer'),
  },
  {
    name: 'wrong aud',
    request: async ({ issuer }) => bearer(await issuer.mintToken({ claims: { aud: 'https://graph.microsoft.com' } })),
    expected: invalid('wrong_audience'),
  },
  {
    name: 'token for another MCP server (RFC 8707)',
    request: async ({ issuer, resource }) =>
      bearer(await issuer.mintToken({ claims: { aud: new URL('/other-mcp', resource).href } })),
    expected: invalid('wrong_audience'),
  },
  {
    name: 'audience array containing ours (passes)',
    request: async ({ issuer, resource }) =>
      bearer(await issuer.mintToken({ claims: { aud: ['https://other.example.com/mcp', resource] } })),
    expected: ok,
  },
  {
    name: 'missing tenant',
    request: async ({ issuer }) => bearer(await issuer.mintToken({ claims: { tenant_id: undefined } })),
    expected: invalid('missing_claim'),
  },
  {
    name: 'missing sub',
    request: async ({ issuer }) => bearer(await issuer.mintToken({ claims: { sub: undefined } })),
    expected: invalid('missing_claim'),
  },
  {
    name: 'wrong typ (an ID token, typ JWT) when at+jwt is required',
    request: async ({ issuer }) => bearer(await issuer.mintToken({ header: { typ: 'JWT' } })),
    expected: invalid('wrong_type'),
  },
  {
    name: 'no typ when at+jwt is required',
    request: async ({ issuer }) => bearer(await issuer.mintToken({ header: { typ: undefined } })),
    expected: invalid('wrong_type'),
  },
  {
    name: 'typ application/at+jwt (passes)',
    request: async ({ issuer }) => bearer(await issuer.mintToken({ header: { typ: 'application/at+jwt' } })),
    expected: ok,
  },
  {
    name: 'missing scope: read token calling a write tool',
    request: async ({ issuer }) => ({
      ...bearer(await issuer.mintToken({ claims: { scope: 'mcp:read' } })),
      call: 'write',
    }),
    expected: { status: 403, error: 'insufficient_scope', scope: 'mcp:write', reason: 'missing mcp:write' },
  },
  {
    name: "an issuer's unmapped scope grants nothing",
    request: async ({ issuer }) => bearer(await issuer.mintToken({ claims: { scope: 'openid profile' } })),
    expected: { status: 403, error: 'insufficient_scope', scope: 'mcp:read', reason: 'missing mcp:read' },
  },
  {
    name: 'token in the query string',
    request: async ({ issuer }) => ({ query: `?access_token=${await issuer.mintToken()}` }),
    expected: { status: 400, error: 'invalid_request', scope: 'mcp:read', reason: 'token_in_query' },
  },
  {
    name: 'token in the query string even with a valid header',
    request: async ({ issuer }) => ({
      ...bearer(await issuer.mintToken()),
      query: `?access_token=${await issuer.mintToken()}`,
    }),
    expected: { status: 400, error: 'invalid_request', scope: 'mcp:read' },
  },
  {
    name: 'Entra v1 token (sts.windows.net issuer, scp, tid, oid, appid)',
    profile: 'entra',
    request: async ({ issuer, entra, resource }) =>
      bearer(
        await issuer.mintToken({
          header: { typ: 'JWT' },
          claims: {
            iss: entra.v1Issuer,
            aud: resource,
            ver: '1.0',
            sub: 'pairwise-subject-v1',
            oid: 'object-id-alice',
            tid: entra.tenantId,
            scp: 'Documents.Read Documents.ReadWrite',
            appid: 'entra-client-v1',
            roles: ['manager'],
            tenant_id: undefined,
            scope: undefined,
            client_id: undefined,
          },
        }),
      ),
    expected: {
      status: 200,
      identity: {
        subject: 'object-id-alice',
        tenantId: ENTRA_TENANT_ID,
        roles: ['manager'],
        scopes: ['mcp:read', 'mcp:write'],
        clientId: 'entra-client-v1',
      },
    },
  },
  {
    name: 'Entra v2 token (login.microsoftonline.com/<tid>/v2.0 issuer, scp, tid, oid, azp)',
    profile: 'entra',
    request: async ({ issuer, entra, resource }) => ({
      call: 'write',
      ...bearer(
        await issuer.mintToken({
          key: issuer.keys.rs256,
          header: { typ: 'JWT' },
          claims: {
            iss: entra.v2Issuer,
            aud: resource,
            ver: '2.0',
            sub: 'pairwise-subject-v2',
            oid: 'object-id-bob',
            tid: entra.tenantId,
            scp: 'Documents.ReadWrite mcp:read',
            azp: 'entra-client-v2',
            tenant_id: undefined,
            scope: undefined,
            client_id: undefined,
          },
        }),
      ),
    }),
    expected: {
      status: 200,
      identity: {
        subject: 'object-id-bob',
        tenantId: ENTRA_TENANT_ID,
        scopes: ['mcp:write', 'mcp:read'],
        clientId: 'entra-client-v2',
      },
    },
  },
  {
    name: 'Entra token without tid is refused',
    profile: 'entra',
    request: async ({ issuer, entra, resource }) =>
      bearer(
        await issuer.mintToken({
          header: { typ: 'JWT' },
          claims: { iss: entra.v2Issuer, aud: resource, tid: undefined, tenant_id: undefined, scp: 'Documents.Read' },
        }),
      ),
    expected: invalid('missing_claim'),
  },
];
