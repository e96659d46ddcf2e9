import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { AUTHORIZATION_SERVER } from '../../../src/contract.js';
import { type DevAuthorizationServer, startDevAuthorizationServer } from '../../../src/dev/dev-authorization-server.js';
import { BrowserSession, type RedirectTarget, startRedirectTarget } from '../../helpers/browser-session.js';
import { availableDatabaseBackends, createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { freePort } from '../../helpers/free-port.js';

const { paths } = AUTHORIZATION_SERVER;

/** Client ID Metadata Documents served over http on loopback (development mode accepts those). */
export interface DocumentHost {
  origin: string;
  /** Serves `document` at `path`; returns the client id URL. */
  publish(path: string, document: (clientId: string) => Record<string, unknown>): string;
  close(): Promise<void>;
}

export async function startDocumentHost(): Promise<DocumentHost> {
  const documents = new Map<string, Record<string, unknown>>();
  const server: Server = createServer((request, response) => {
    const document = documents.get(request.url ?? '');
    if (document === undefined) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(document));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    publish(path, document) {
      const clientId = `${origin}${path}`;
      documents.set(path, document(clientId));
      return clientId;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface AuthorizationServerFixture {
  db: TestDatabase;
  as: DevAuthorizationServer;
  issuer: string;
  resource: string;
  target: RedirectTarget;
  documents: DocumentHost;
  /** A public client's document (CIMD) with the redirect target as its one redirect URI. */
  clientId: string;
  close(): Promise<void>;
}

/**
 * The development authorization server on a fresh database (the machine's Postgres when DATABASE_URL is set), its
 * local upstream provider, a document host for client ids and a redirect target for the client.
 */
export async function startAuthorizationServerFixture(resource?: string): Promise<AuthorizationServerFixture> {
  const [backend] = availableDatabaseBackends();
  const db = await createTestDatabase(backend ?? 'embedded');
  const dataDir = await mkdtemp(join(tmpdir(), 'authorization-server-'));
  const target = await startRedirectTarget();
  const documents = await startDocumentHost();
  const resourceUrl = resource ?? `http://127.0.0.1:${await freePort()}/mcp`;
  const as = await startDevAuthorizationServer({
    port: await freePort(),
    upstreamPort: 0,
    resource: resourceUrl,
    pool: db.authorizationServerPool,
    secretsDir: join(dataDir, 'secrets'),
    upstreamDataDir: join(dataDir, 'upstream'),
    logLevel: 'silent',
  });
  const clientId = documents.publish('/clients/test-client.json', (id) => ({
    client_id: id,
    client_name: 'Test client',
    redirect_uris: [target.uri],
    grant_types: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_method: 'none',
  }));
  return {
    db,
    as,
    issuer: as.issuer,
    resource: resourceUrl,
    target,
    documents,
    clientId,
    async close() {
      await as.close();
      await documents.close();
      await target.close();
      await db.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * One fixture for the whole file: started before its tests, closed after them. The object is filled in `beforeAll`,
 * so tests read its members as usual.
 */
export function useAuthorizationServerFixture(): AuthorizationServerFixture {
  const fixture = {} as AuthorizationServerFixture;
  beforeAll(async () => {
    Object.assign(fixture, await startAuthorizationServerFixture());
  }, 60_000);
  afterAll(async () => {
    await fixture.close?.();
  });
  return fixture;
}

export interface Pkce {
  verifier: string;
  challenge: string;
}

export function newPkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export interface AuthorizeParameters {
  clientId: string;
  redirectUri: string;
  pkce: Pkce;
  state?: string;
  scope?: string;
  resource?: string;
  extra?: Record<string, string | undefined>;
}

export function authorizeUrl(fixture: AuthorizationServerFixture, parameters: AuthorizeParameters): string {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: parameters.clientId,
    redirect_uri: parameters.redirectUri,
    code_challenge: parameters.pkce.challenge,
    code_challenge_method: 'S256',
    state: parameters.state ?? 'state-1',
    scope: parameters.scope ?? 'mcp:read mcp:write',
    resource: parameters.resource ?? fixture.resource,
  });
  for (const [name, value] of Object.entries(parameters.extra ?? {})) {
    if (value === undefined) query.delete(name);
    else query.set(name, value);
  }
  return `${fixture.issuer}${paths.authorize}?${query}`;
}

/** Submits the upstream sign-in form as `user` and follows until a page of ours or the client's redirect. */
export async function signInUpstream(browser: BrowserSession, formPage: Response, user: string, stopAt: string) {
  const html = await formPage.text();
  const action = /<form method="post" action="([^"]+)">/.exec(html)?.[1];
  if (action === undefined) throw new Error(`no sign-in form in ${formPage.url}: ${html.slice(0, 300)}`);
  const url = new URL(action, formPage.url).href;
  const submitted = browser.request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ user, password: 'anything' }).toString(),
  });
  return browser.follow(url, stopAt, submitted);
}

/** Approves (or denies) on the consent page and follows to the client's redirect. */
export async function decideConsent(
  browser: BrowserSession,
  consentPage: Response,
  decision: 'approve' | 'deny',
  stopAt: string,
) {
  const html = await consentPage.text();
  const csrf = /name="csrf_token" value="([^"]+)"/.exec(html)?.[1];
  if (csrf === undefined) throw new Error(`no consent form at ${consentPage.url}: ${html.slice(0, 300)}`);
  const url = consentPage.url;
  const submitted = browser.request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf_token: csrf, decision }).toString(),
  });
  return browser.follow(url, stopAt, submitted);
}

/** A POST to the token endpoint; the status and the JSON body. */
export async function tokenRequest(fixture: { issuer: string }, parameters: Record<string, string>) {
  const response = await fetch(`${fixture.issuer}${paths.token}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(parameters).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export function redeemCode(
  fixture: AuthorizationServerFixture,
  parameters: { code: string; verifier: string; clientId?: string; redirectUri?: string },
) {
  return tokenRequest(fixture, {
    grant_type: 'authorization_code',
    code: parameters.code,
    code_verifier: parameters.verifier,
    client_id: parameters.clientId ?? fixture.clientId,
    redirect_uri: parameters.redirectUri ?? fixture.target.uri,
  });
}

export function refresh(
  fixture: AuthorizationServerFixture,
  refreshToken: string,
  clientId = fixture.clientId,
  scope?: string,
) {
  return tokenRequest(fixture, {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: clientId,
    ...(scope === undefined ? {} : { scope }),
  });
}

export { BrowserSession };
