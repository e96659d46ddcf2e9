import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTHORIZATION_SERVER } from '../../../src/contract.js';
import { type DevAuthorizationServer, startDevAuthorizationServer } from '../../../src/dev/dev-authorization-server.js';
import { availableDatabaseBackends, createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { freePort } from '../../helpers/free-port.js';
import {
  BrowserSession,
  decideConsent,
  newPkce,
  signInUpstream,
  tokenRequest,
} from './authorization-server-fixture.js';

const { paths } = AUTHORIZATION_SERVER;

describe('dynamic client registration (RFC 7591), when switched on', () => {
  let db: TestDatabase;
  let dataDir: string;
  let as: DevAuthorizationServer;

  beforeAll(async () => {
    const [backend] = availableDatabaseBackends();
    db = await createTestDatabase(backend ?? 'embedded');
    dataDir = await mkdtemp(join(tmpdir(), 'as-registration-'));
    as = await startDevAuthorizationServer({
      port: await freePort(),
      upstreamPort: 0,
      resource: 'http://127.0.0.1:9/mcp',
      pool: db.authorizationServerPool,
      secretsDir: join(dataDir, 'secrets'),
      upstreamDataDir: join(dataDir, 'upstream'),
      logLevel: 'silent',
      dynamicRegistration: true,
    });
  }, 60_000);

  afterAll(async () => {
    await as?.close();
    await db?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const register = (metadata: Record<string, unknown>) =>
    fetch(`${as.issuer}${paths.registration}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(metadata),
    });

  it('advertises the endpoint, registers a public loopback client, and that client completes the code flow', async () => {
    const metadata = (await (await fetch(`${as.issuer}${paths.metadata}`)).json()) as Record<string, unknown>;
    expect(metadata.registration_endpoint).toBe(`${as.issuer}${paths.registration}`);
    const redirectUri = 'http://127.0.0.1:33418/callback';
    const response = await register({
      client_name: 'Registered client',
      redirect_uris: [redirectUri],
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    });
    expect(response.status).toBe(201);
    const client = (await response.json()) as Record<string, unknown>;
    expect(client).not.toHaveProperty('client_secret');
    const clientId = client.client_id as string;

    const pkce = newPkce();
    const browser = new BrowserSession();
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      // Another port on the loopback host: RFC 8252 §7.3, as native clients pick a free port each time.
      redirect_uri: 'http://127.0.0.1:40001/callback',
      code_challenge: pkce.challenge,
      code_challenge_method: 'S256',
      state: 's',
      scope: 'mcp:read',
    });
    const form = await browser.follow(`${as.issuer}${paths.authorize}?${query}`, 'http://127.0.0.1:40001/');
    const consent = await signInUpstream(browser, form.page as Response, 'bob', 'http://127.0.0.1:40001/');
    const landed = await decideConsent(browser, consent.page as Response, 'approve', 'http://127.0.0.1:40001/');
    const code = new URL(landed.redirect as string).searchParams.get('code') as string;
    const tokens = await tokenRequest(as, {
      grant_type: 'authorization_code',
      code,
      code_verifier: pkce.verifier,
      client_id: clientId,
      redirect_uri: 'http://127.0.0.1:40001/callback',
    });
    expect(tokens).toMatchObject({ status: 200, body: { scope: 'mcp:read' } });
  });

  it('refuses a client that asks for a shared secret or the implicit grant', async () => {
    expect(
      (await register({ redirect_uris: ['https://app.example/cb'], token_endpoint_auth_method: 'client_secret_basic' }))
        .status,
    ).toBe(400);
    expect(
      (
        await register({
          redirect_uris: ['https://app.example/cb'],
          response_types: ['token'],
          grant_types: ['implicit'],
        })
      ).status,
    ).toBe(400);
  });
});
