import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClientMetadata } from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AuthorizationServerApp,
  buildAuthorizationServer,
} from '../../../src/authorization-server/server/authorization-server-app.js';
import { parseUpstreamSettings } from '../../../src/authorization-server/upstream/upstream-sign-in.js';
import { AUTHORIZATION_SERVER } from '../../../src/contract.js';
import { ensureDevAuthorizationServerSecrets } from '../../../src/dev/dev-authorization-server.js';
import { fileSecretSource } from '../../../src/secrets/file-secret-source.js';
import { createSecretsProvider } from '../../../src/secrets/secrets-provider.js';
import { availableDatabaseBackends, createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { newPkce } from './authorization-server-fixture.js';

const { paths } = AUTHORIZATION_SERVER;
const ISSUER = 'https://mcp.example.com';
// .invalid never resolves (RFC 2606): the identity provider is unreachable wherever this runs.
const UPSTREAM = 'https://login.example.invalid/tenant/v2.0';
const CLIENT: ClientMetadata = {
  client_id: 'desktop-client',
  redirect_uris: ['http://127.0.0.1/callback'],
  application_type: 'native',
};

/**
 * As deployed: an https issuer, TLS ended at Kong, which forwards X-Forwarded-Proto. What the browser gets must be
 * what production needs: Secure, HttpOnly, SameSite=Lax cookies scoped to the interaction, and https URLs.
 */
describe('the authorization server behind the gateway (production mode, TLS at Kong)', () => {
  let db: TestDatabase;
  let dataDir: string;
  let server: AuthorizationServerApp;

  beforeAll(async () => {
    const [backend] = availableDatabaseBackends();
    db = await createTestDatabase(backend ?? 'embedded');
    dataDir = await mkdtemp(join(tmpdir(), 'as-gateway-'));
    await ensureDevAuthorizationServerSecrets(join(dataDir, 'secrets'));
    server = await buildAuthorizationServer({
      mode: 'production',
      issuer: ISSUER,
      resource: `${ISSUER}/mcp`,
      pool: db.authorizationServerPool,
      secrets: createSecretsProvider([fileSecretSource(join(dataDir, 'secrets'))]),
      upstream: parseUpstreamSettings({
        issuer: UPSTREAM,
        clientId: 'app',
        clientAuthentication: 'none',
        identity: { kind: 'oidc', issuer: UPSTREAM, tenant: { fixed: 'acme' } },
      }),
      preRegisteredClients: [CLIENT],
      trustProxy: true,
      logLevel: 'silent',
    });
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await db?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const gatewayHeaders = { host: 'mcp.example.com', 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.7' };

  const authorize = async () => {
    const pkce = newPkce();
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: CLIENT.client_id,
      redirect_uri: 'http://127.0.0.1:51234/callback',
      code_challenge: pkce.challenge,
      code_challenge_method: 'S256',
      state: 's',
      scope: 'mcp:read',
      resource: `${ISSUER}/mcp`,
    });
    return server.app.inject({ method: 'GET', url: `${paths.authorize}?${query}`, headers: gatewayHeaders });
  };

  it('sets the interaction cookies Secure, HttpOnly, SameSite=Lax, scoped to the interaction path', async () => {
    const response = await authorize();
    expect(response.statusCode).toBe(303);
    const location = response.headers.location as string;
    expect(location).toMatch(new RegExp(`^${paths.interaction}/[^/]+$`));
    const cookies = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
    const interaction = cookies.filter((cookie) => cookie.startsWith('mcp_as_interaction'));
    expect(interaction.length).toBeGreaterThan(0);
    for (const cookie of cookies) {
      expect(cookie.toLowerCase()).toContain('; secure');
      expect(cookie.toLowerCase()).toContain('; httponly');
      expect(cookie.toLowerCase()).toContain('; samesite=lax');
    }
    expect(interaction[0]).toContain(`path=${location}`);
  });

  it('publishes https endpoints and our scopes, whatever scheme reached the pod', async () => {
    const response = await server.app.inject({ method: 'GET', url: paths.metadata, headers: gatewayHeaders });
    const metadata = response.json() as Record<string, unknown>;
    expect(metadata).toMatchObject({
      issuer: ISSUER,
      authorization_endpoint: `${ISSUER}${paths.authorize}`,
      token_endpoint: `${ISSUER}${paths.token}`,
      jwks_uri: `${ISSUER}${paths.jwks}`,
      scopes_supported: ['mcp:read', 'mcp:write', 'mcp:admin', 'openid', 'offline_access'],
    });
    expect(metadata).not.toHaveProperty('registration_endpoint');
  });

  it('answers 503 with a page and a reference, no details, when the identity provider cannot be reached', async () => {
    const started = await authorize();
    const cookie = ([] as string[])
      .concat(started.headers['set-cookie'] ?? [])
      .map((value) => value.split(';')[0])
      .join('; ');
    // The upstream issuer of this server does not resolve: discovery fails.
    const page = await server.app.inject({
      method: 'GET',
      url: started.headers.location as string,
      headers: { ...gatewayHeaders, cookie },
    });
    expect(page.statusCode).toBe(503);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.body).toContain('cannot be reached');
    expect(page.body).toContain(`Reference: ${page.headers['x-request-id']}`);
    expect(page.body).not.toMatch(/ENOTFOUND|login\.example\.invalid|\bat \w+ \(/);
  });
});
