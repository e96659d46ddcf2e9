import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BearerAuthFailure, createBearerAuthHook } from '../../src/auth/bearer-auth.js';
import { DEFAULT_CLAIM_NAMES } from '../../src/auth/claim-mapping.js';
import { createTokenVerifier, DEFAULT_ALGORITHMS } from '../../src/auth/token-verifier.js';
import { MCP_SCOPES, PATHS } from '../../src/contract.js';
import { createTestIssuer, type TestIssuer } from '../helpers/test-issuer.js';
import { parseBearerChallenge } from './parse-bearer-challenge.js';

const RESOURCE = 'http://127.0.0.1:8080/mcp';
const METADATA_URL = 'http://127.0.0.1:8080/.well-known/oauth-protected-resource/mcp';

/** A fresh verifier per app, so key caching in one test cannot hide the behaviour another test looks at. */
async function buildApp(issuer: TestIssuer, failures: BearerAuthFailure[] = []): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  const hook = createBearerAuthHook({
    verifier: createTokenVerifier({
      issuers: [issuer.issuer],
      audience: RESOURCE,
      jwksUrl: issuer.jwksUrl,
      algorithms: [...DEFAULT_ALGORITHMS],
      clockToleranceSeconds: 30,
      requiredTyp: 'at+jwt',
      claims: DEFAULT_CLAIM_NAMES,
      scopeMap: {},
      cacheMaxEntries: 0,
    }),
    resource: RESOURCE,
    resourceMetadataUrl: METADATA_URL,
    requiredScopes: (request) => {
      const body = request.body as { scope?: string; explode?: boolean } | undefined;
      if (body?.explode) throw new Error('cannot classify');
      return body?.scope ? [body.scope] : [];
    },
    defaultChallengeScopes: [MCP_SCOPES.read],
    onFailure: (failure) => failures.push(failure),
  });
  app.post(PATHS.mcp, { preHandler: hook }, async (request) => ({
    identity: request.identity,
    auth: { ...request.raw.auth, resource: request.raw.auth?.resource?.href },
  }));
  await app.ready();
  return app;
}

describe('bearer auth hook', () => {
  let issuer: TestIssuer;
  let app: FastifyInstance;
  const failures: BearerAuthFailure[] = [];

  beforeAll(async () => {
    issuer = await createTestIssuer({ audience: RESOURCE });
    app = await buildApp(issuer, failures);
  });

  afterAll(async () => {
    await app.close();
    await issuer.close();
  });

  it('hands the SDK its AuthInfo on the raw request (what tools see as ctx.http.authInfo)', async () => {
    const token = await issuer.mintToken({ claims: { scope: 'mcp:read', client_id: 'inspector', roles: ['manager'] } });
    const response = await app.inject({
      method: 'POST',
      url: PATHS.mcp,
      headers: { authorization: `Bearer ${token}` },
      payload: { scope: MCP_SCOPES.read },
    });
    expect(response.statusCode).toBe(200);
    const { identity, auth } = response.json() as { identity: Record<string, unknown>; auth: Record<string, unknown> };
    expect(identity).toMatchObject({
      subject: 'user-1',
      tenantId: 'tenant-a',
      roles: ['manager'],
      clientId: 'inspector',
    });
    expect(auth).toMatchObject({
      token,
      clientId: 'inspector',
      scopes: ['mcp:read'],
      resource: RESOURCE,
      resourceMetadataUrl: METADATA_URL,
      extra: { identity },
    });
    expect(auth.expiresAt).toBe(identity.expiresAt);
  });

  it('a request needing no scope passes with any valid token; its 401 names the default scope', async () => {
    const token = await issuer.mintToken({ claims: { scope: '' } });
    const passed = await app.inject({
      method: 'POST',
      url: PATHS.mcp,
      headers: { authorization: `Bearer ${token}` },
      payload: {},
    });
    expect(passed.statusCode).toBe(200);
    const refused = await app.inject({ method: 'POST', url: PATHS.mcp, payload: {} });
    expect(parseBearerChallenge(refused.headers['www-authenticate'] as string).params.scope).toBe('mcp:read');
  });

  it('a body the scope mapper cannot classify still gets a proper 401 before authentication', async () => {
    const refused = await app.inject({ method: 'POST', url: PATHS.mcp, payload: { explode: true } });
    expect(refused.statusCode).toBe(401);
    expect(parseBearerChallenge(refused.headers['www-authenticate'] as string).params.scope).toBe('mcp:read');
  });

  it('answers 503 with Retry-After, not 401, when the signing keys are unreachable', async () => {
    const coldApp = await buildApp(issuer);
    issuer.setJwksStatus(503);
    try {
      const response = await coldApp.inject({
        method: 'POST',
        url: PATHS.mcp,
        headers: { authorization: `Bearer ${await issuer.mintToken()}` },
        payload: {},
      });
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('5');
      expect(response.headers['www-authenticate']).toBeUndefined();
      expect(response.json()).toEqual({
        error: 'temporarily_unavailable',
        error_description: 'The authorization server keys are unavailable; retry shortly',
      });
    } finally {
      issuer.setJwksStatus(200);
      await coldApp.close();
    }
  });

  it('never reports the token in failure events', async () => {
    failures.length = 0;
    const token = await issuer.mintToken({ claims: { aud: 'https://elsewhere.example.com' } });
    await app.inject({ method: 'POST', url: PATHS.mcp, headers: { authorization: `Bearer ${token}` }, payload: {} });
    expect(failures).toEqual([{ status: 401, error: 'invalid_token', reason: 'wrong_audience' }]);
    expect(JSON.stringify(failures)).not.toContain(token.split('.')[2]);
  });
});
