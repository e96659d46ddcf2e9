/**
 * The auth layer's token table (test/auth/token-cases.ts), run against the real service over a real socket:
 * the production wiring, real tools and a real database behind /mcp, not a stub.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV, PATHS } from '../../src/contract.js';
import { parseBearerChallenge } from '../auth/parse-bearer-challenge.js';
import { type AuthProfile, ENTRA_TENANT_ID, type TokenTableContext, tokenCases } from '../auth/token-cases.js';
import { type ServiceUnderTest, startServiceUnderTest } from '../helpers/service-under-test.js';

const ENTRA_APP_CLIENT_ID = '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f';

/** A read needs mcp:read, a write mcp:write: the real tools, with valid arguments. */
const calls = {
  read: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'list_documents', arguments: { limit: 1 } } },
  write: {
    jsonrpc: '2.0',
    id: 2,
    method: 'tools/call',
    params: { name: 'create_document', arguments: { title: 'Token table', body: 'written by the token table' } },
  },
};

const entraEnv = (target: { v1: string; v2: string }) => ({
  [ENV.issuers]: `${target.v1},${target.v2}`,
  [ENV.requiredTokenType]: 'none',
  [ENV.claimScopes]: 'scp,scope',
  [ENV.claimTenant]: 'tid,tenant_id',
  [ENV.claimUser]: 'oid,sub',
  [ENV.scopeMap]: 'Documents.Read=mcp:read,Documents.ReadWrite=mcp:write',
  [ENV.additionalAudiences]: ENTRA_APP_CLIENT_ID,
});

async function post(target: ServiceUnderTest, body: unknown, headers: Record<string, string>, query = '') {
  return fetch(`${target.mcpUrl}${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify(body),
  });
}

describe('token table against the real service', () => {
  const targets = new Map<AuthProfile, ServiceUnderTest>();
  const contexts = new Map<AuthProfile, TokenTableContext>();

  beforeAll(async () => {
    for (const profile of ['standard', 'entra'] as const) {
      let entra = { v1: '', v2: '' };
      const target = await startServiceUnderTest({
        backend: 'embedded',
        env:
          profile === 'entra'
            ? (issuer) => {
                entra = {
                  v1: issuer.addIssuer(`/${ENTRA_TENANT_ID}/`),
                  v2: issuer.addIssuer(`/${ENTRA_TENANT_ID}/v2.0`),
                };
                return entraEnv(entra);
              }
            : {},
      });
      targets.set(profile, target);
      contexts.set(profile, {
        issuer: target.issuer,
        resource: target.mcpUrl,
        resourceMetadataUrl: `${target.baseUrl}${PATHS.protectedResourceMetadata}${PATHS.mcp}`,
        mcpPath: PATHS.mcp,
        clockToleranceSeconds: 30,
        entra: { tenantId: ENTRA_TENANT_ID, v1Issuer: entra.v1, v2Issuer: entra.v2 },
      });
    }
  });

  afterAll(async () => {
    for (const target of targets.values()) await target.close();
  });

  it.each(tokenCases)('$name → $expected.status', async ({ profile = 'standard', request, expected }) => {
    const target = targets.get(profile);
    const context = contexts.get(profile);
    if (!target || !context) throw new Error(`no target for ${profile}`);
    const spec = await request(context);
    const response = await post(
      target,
      calls[spec.call ?? 'read'],
      spec.authorization === undefined ? {} : { authorization: spec.authorization },
      spec.query,
    );
    const text = await response.text();
    expect(response.status, text).toBe(expected.status);
    if (expected.status === 200) {
      expect(text).toContain('"result"');
      expect(text).not.toContain('"isError":true');
      return;
    }
    const challenge = parseBearerChallenge(response.headers.get('www-authenticate') ?? undefined);
    expect(challenge.params.resource_metadata).toBe(context.resourceMetadataUrl);
    expect(challenge.params.scope).toBe(expected.scope);
    if (expected.error === null) expect(challenge.params).not.toHaveProperty('error');
    else expect(challenge.params.error).toBe(expected.error);
    expect(text).not.toMatch(/at .+\.(ts|js):\d+/);
  });

  it('accepts an Entra v2 token whose audience is the app client id, and no other GUID', async () => {
    const target = targets.get('entra');
    const context = contexts.get('entra');
    if (!target || !context) throw new Error('no entra target');
    const mint = (aud: string) =>
      target.issuer.mintToken({
        header: { typ: 'JWT' },
        claims: {
          iss: context.entra.v2Issuer,
          aud,
          tid: ENTRA_TENANT_ID,
          oid: 'object-id-carol',
          scp: 'Documents.Read',
          azp: 'client',
          tenant_id: undefined,
          scope: undefined,
        },
      });
    const accepted = await post(target, calls.read, { authorization: `Bearer ${await mint(ENTRA_APP_CLIENT_ID)}` });
    expect(accepted.status).toBe(200);
    const refused = await post(target, calls.read, {
      authorization: `Bearer ${await mint('00000000-0000-4000-8000-000000000000')}`,
    });
    expect(refused.status).toBe(401);
    expect(parseBearerChallenge(refused.headers.get('www-authenticate') ?? undefined).params.error).toBe(
      'invalid_token',
    );
  });
});
