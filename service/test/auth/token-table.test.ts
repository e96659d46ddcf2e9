import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BearerAuthFailure, createBearerAuthHook } from '../../src/auth/bearer-auth.js';
import { DEFAULT_CLAIM_NAMES } from '../../src/auth/claim-mapping.js';
import { createTokenVerifier, DEFAULT_ALGORITHMS, type TokenVerifierOptions } from '../../src/auth/token-verifier.js';
import { MCP_SCOPES, PATHS } from '../../src/contract.js';
import { createTestIssuer, type TestIssuer } from '../helpers/test-issuer.js';
import { parseBearerChallenge } from './parse-bearer-challenge.js';
import { type AuthProfile, ENTRA_TENANT_ID, type TokenTableContext, tokenCases } from './token-cases.js';

const RESOURCE = 'http://127.0.0.1:8080/mcp';
const RESOURCE_METADATA_URL = 'http://127.0.0.1:8080/.well-known/oauth-protected-resource/mcp';
const CLOCK_TOLERANCE_SECONDS = 30;

/** JSON-RPC calls of the stub app: a tool named `write_*` needs mcp:write, every other call mcp:read. */
const calls = {
  read: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'read_document', arguments: {} } },
  write: { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'write_document', arguments: {} } },
};

function requiredScopesOf(request: FastifyRequest): readonly string[] {
  const body = request.body as { method?: string; params?: { name?: string } } | undefined;
  if (body?.method === 'tools/call' && body.params?.name?.startsWith('write_')) return [MCP_SCOPES.write];
  return [MCP_SCOPES.read];
}

function verifierOptions(profile: AuthProfile, context: TokenTableContext): TokenVerifierOptions {
  const common = {
    audience: context.resource,
    algorithms: [...DEFAULT_ALGORITHMS],
    clockToleranceSeconds: context.clockToleranceSeconds,
    cacheMaxEntries: 1000,
  };
  if (profile === 'entra') {
    return {
      ...common,
      issuers: [context.entra.v1Issuer, context.entra.v2Issuer],
      requiredTyp: undefined,
      claims: {
        scopes: ['scp', 'scope'],
        roles: ['roles'],
        tenant: ['tid', 'tenant_id'],
        user: ['oid', 'sub'],
        client: ['azp', 'appid', 'client_id'],
      },
      scopeMap: { 'Documents.Read': MCP_SCOPES.read, 'Documents.ReadWrite': MCP_SCOPES.write },
    };
  }
  return {
    ...common,
    issuers: [context.issuer.issuer],
    requiredTyp: 'at+jwt',
    claims: DEFAULT_CLAIM_NAMES,
    scopeMap: {},
  };
}

/** Refusal reasons, surfaced by the stub app in a test-only header so each case proves *why* it was refused. */
const failures = new WeakMap<FastifyRequest, BearerAuthFailure>();

/** The one factory the table runs against: a Fastify app with the bearer hook on POST /mcp and a stub handler. */
async function buildStubApp(profile: AuthProfile, context: TokenTableContext): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  app.addHook('onSend', async (request, reply) => {
    const failure = failures.get(request);
    if (failure?.reason !== undefined) reply.header('x-test-auth-reason', failure.reason);
  });
  const hook = createBearerAuthHook({
    verifier: createTokenVerifier(verifierOptions(profile, context)),
    resource: context.resource,
    resourceMetadataUrl: context.resourceMetadataUrl,
    requiredScopes: requiredScopesOf,
    onFailure: (failure, request) => failures.set(request, failure),
  });
  app.post(context.mcpPath, { preHandler: hook }, async (request) => ({ ok: true, identity: request.identity }));
  await app.ready();
  return app;
}

describe('token table: POST /mcp with the bearer hook', () => {
  let issuer: TestIssuer;
  let context: TokenTableContext;
  const apps = new Map<AuthProfile, FastifyInstance>();

  beforeAll(async () => {
    issuer = await createTestIssuer({ audience: RESOURCE });
    context = {
      issuer,
      resource: RESOURCE,
      resourceMetadataUrl: RESOURCE_METADATA_URL,
      mcpPath: PATHS.mcp,
      clockToleranceSeconds: CLOCK_TOLERANCE_SECONDS,
      entra: {
        tenantId: ENTRA_TENANT_ID,
        v1Issuer: issuer.addIssuer(`/${ENTRA_TENANT_ID}/`),
        v2Issuer: issuer.addIssuer(`/${ENTRA_TENANT_ID}/v2.0`),
      },
    };
    for (const profile of ['standard', 'entra'] as const) apps.set(profile, await buildStubApp(profile, context));
  });

  afterAll(async () => {
    for (const app of apps.values()) await app.close();
    await issuer?.close();
  });

  it('has at least 22 cases', () => {
    expect(tokenCases.length).toBeGreaterThanOrEqual(22);
  });

  it.each(tokenCases)('$name → $expected.status', async ({ profile = 'standard', request, expected }) => {
    const app = apps.get(profile);
    if (app === undefined) throw new Error(`no app for profile ${profile}`);
    const spec = await request(context);
    const response = await app.inject({
      method: 'POST',
      url: `${context.mcpPath}${spec.query ?? ''}`,
      headers: {
        'content-type': 'application/json',
        ...(spec.authorization !== undefined && { authorization: spec.authorization }),
      },
      payload: calls[spec.call ?? 'read'],
    });

    expect(response.statusCode).toBe(expected.status);
    if (expected.status === 200) {
      expect(response.headers['www-authenticate']).toBeUndefined();
      const body = response.json() as { ok: boolean; identity: Record<string, unknown> };
      expect(body.ok).toBe(true);
      if (expected.identity !== undefined) expect(body.identity).toMatchObject(expected.identity);
      return;
    }

    if (expected.reason !== undefined) expect(response.headers['x-test-auth-reason']).toBe(expected.reason);
    const challenge = parseBearerChallenge(response.headers['www-authenticate'] as string | undefined);
    expect(challenge.scheme).toBe('Bearer');
    expect(challenge.params.resource_metadata).toBe(context.resourceMetadataUrl);
    expect(challenge.params.scope).toBe(expected.scope);
    if (expected.error === null) {
      expect(challenge.params).not.toHaveProperty('error');
      expect(challenge.params).not.toHaveProperty('error_description');
    } else {
      expect(challenge.params.error).toBe(expected.error);
      expect(challenge.params.error_description).toMatch(/\S/);
    }
    // Small JSON, never a stack or an internal message.
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.json() as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['error', 'error_description']);
    expect(JSON.stringify(body)).not.toMatch(/at .+\.(ts|js):\d+|JWS|JOSE|jose/);
    if (expected.error) expect(body.error).toBe(expected.error);
  });
});
