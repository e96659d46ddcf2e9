import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthConfigError } from '../../src/auth/auth-errors.js';
import { createBearerAuthHook } from '../../src/auth/bearer-auth.js';
import { DEFAULT_CLAIM_NAMES } from '../../src/auth/claim-mapping.js';
import {
  buildProtectedResourceMetadata,
  protectedResourceMetadataPaths,
  protectedResourceMetadataRoutes,
} from '../../src/auth/protected-resource-metadata.js';
import { createTokenVerifier, DEFAULT_ALGORITHMS } from '../../src/auth/token-verifier.js';
import { MCP_SCOPES, PATHS } from '../../src/contract.js';
import { parseBearerChallenge } from './parse-bearer-challenge.js';

const RESOURCE = 'https://mcp.example.com/mcp';
const ISSUERS = ['https://login.microsoftonline.com/tid/v2.0', 'https://sts.windows.net/tid/'];
const SCOPES = Object.values(MCP_SCOPES);

describe('protected resource metadata (RFC 9728)', () => {
  let app: FastifyInstance;

  beforeAll(async () => {
    app = Fastify({ logger: false });
    protectedResourceMetadataRoutes(app, {
      resource: RESOURCE,
      authorizationServers: ISSUERS,
      scopesSupported: SCOPES,
      resourceName: 'Secure MCP',
      documentation: 'https://docs.example.com/mcp',
    });
    const verifier = createTokenVerifier({
      issuers: ISSUERS,
      audience: RESOURCE,
      jwksUrl: 'https://login.microsoftonline.com/tid/discovery/v2.0/keys',
      algorithms: [...DEFAULT_ALGORITHMS],
      clockToleranceSeconds: 30,
      claims: DEFAULT_CLAIM_NAMES,
      scopeMap: {},
    });
    app.post(
      PATHS.mcp,
      {
        preHandler: createBearerAuthHook({
          verifier,
          resource: RESOURCE,
          resourceMetadataUrl: `https://mcp.example.com${PATHS.protectedResourceMetadata}${PATHS.mcp}`,
          requiredScopes: () => [MCP_SCOPES.read],
        }),
      },
      async () => ({ ok: true }),
    );
    await app.ready();
  });

  afterAll(() => app.close());

  it.each([PATHS.protectedResourceMetadata, `${PATHS.protectedResourceMetadata}${PATHS.mcp}`])(
    'GET %s serves the document',
    async (url) => {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.headers['access-control-allow-origin']).toBe('*');
      expect(response.json()).toEqual({
        resource: RESOURCE,
        authorization_servers: ISSUERS,
        scopes_supported: ['mcp:read', 'mcp:write', 'mcp:admin'],
        bearer_methods_supported: ['header'],
        resource_name: 'Secure MCP',
        resource_documentation: 'https://docs.example.com/mcp',
      });
    },
  );

  it('answers a CORS preflight from any origin', async () => {
    const response = await app.inject({
      method: 'OPTIONS',
      url: `${PATHS.protectedResourceMetadata}${PATHS.mcp}`,
      headers: {
        origin: 'https://inspector.example.org',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'mcp-protocol-version',
      },
    });
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe('*');
    expect(response.headers['access-control-allow-methods']).toContain('GET');
    expect(response.headers['access-control-allow-headers']).toBe('mcp-protocol-version');
  });

  it('HEAD works and other methods are refused with 405', async () => {
    expect((await app.inject({ method: 'HEAD', url: PATHS.protectedResourceMetadata })).statusCode).toBe(200);
    for (const method of ['POST', 'PUT', 'DELETE'] as const) {
      const response = await app.inject({ method, url: PATHS.protectedResourceMetadata });
      expect(response.statusCode).toBe(405);
      expect(response.headers.allow).toBe('GET, HEAD, OPTIONS');
    }
  });

  it("the challenge's resource_metadata points at a URL that serves this resource's metadata", async () => {
    const refused = await app.inject({ method: 'POST', url: PATHS.mcp, payload: {} });
    expect(refused.statusCode).toBe(401);
    const { params } = parseBearerChallenge(refused.headers['www-authenticate'] as string);
    const metadataUrl = new URL(params.resource_metadata ?? '');
    expect(metadataUrl.origin).toBe(new URL(RESOURCE).origin);
    const served = await app.inject({ method: 'GET', url: metadataUrl.pathname });
    expect(served.statusCode).toBe(200);
    const metadata = served.json() as { resource: string; scopes_supported: string[] };
    expect(metadata.resource).toBe(RESOURCE);
    expect(metadata.scopes_supported).toContain(params.scope);
  });

  it('derives the path-inserted URL from a resource behind a path prefix', () => {
    expect(protectedResourceMetadataPaths('https://gw.example.com/tenant-x/mcp')).toEqual([
      '/.well-known/oauth-protected-resource',
      '/.well-known/oauth-protected-resource/mcp',
      '/.well-known/oauth-protected-resource/tenant-x/mcp',
    ]);
  });

  it('refuses offline_access, plain-http issuers off loopback and fragments, all reported at once', () => {
    const attempt = () =>
      buildProtectedResourceMetadata({
        resource: 'https://mcp.example.com/mcp#frag',
        authorizationServers: ['http://issuer.example.com'],
        scopesSupported: [...SCOPES, 'offline_access'],
      });
    expect(attempt).toThrow(AuthConfigError);
    try {
      attempt();
    } catch (error) {
      expect((error as AuthConfigError).problems).toHaveLength(3);
    }
  });

  it('allows plain http on loopback for development', () => {
    const metadata = buildProtectedResourceMetadata({
      resource: 'http://127.0.0.1:8080/mcp',
      authorizationServers: ['http://127.0.0.1:8090'],
      scopesSupported: SCOPES,
    });
    expect(metadata).not.toHaveProperty('resource_name');
    expect(metadata.authorization_servers).toEqual(['http://127.0.0.1:8090']);
  });
});
