import { createHash } from 'node:crypto';
import { expect, vi } from 'vitest';
import { AUTHORIZATION_SERVER } from '../../../src/contract.js';
import {
  type AuthorizationServerFixture,
  authorizeUrl,
  BrowserSession,
  decideConsent,
  newPkce,
  type Pkce,
  signInUpstream,
} from '../server/authorization-server-fixture.js';

const { paths } = AUTHORIZATION_SERVER;

let documentCounter = 0;

/**
 * Publishes a new public client's document (with the fixture's redirect target unless told otherwise). A new client
 * has no remembered consent, so the consent page is shown to everyone for it.
 */
export function publishClient(fixture: AuthorizationServerFixture, redirectUris: string[] = [fixture.target.uri]) {
  documentCounter += 1;
  return fixture.documents.publish(`/clients/attack-client-${documentCounter}.json`, (id) => ({
    client_id: id,
    client_name: `Attack test client ${documentCounter}`,
    redirect_uris: redirectUris,
    grant_types: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_method: 'none',
  }));
}

export interface FlowOptions {
  browser?: BrowserSession;
  clientId?: string;
  redirectUri?: string;
  scope?: string;
  /** More authorization request parameters (undefined removes one). */
  extra?: Record<string, string | undefined>;
}

/** Authorize and sign in upstream as `user`; stops at our consent page (or at the client when no consent is asked). */
export async function signInUntilConsent(fixture: AuthorizationServerFixture, user: string, options: FlowOptions = {}) {
  const browser = options.browser ?? new BrowserSession();
  const pkce = newPkce();
  const redirectUri = options.redirectUri ?? fixture.target.uri;
  const url = authorizeUrl(fixture, {
    clientId: options.clientId ?? fixture.clientId,
    redirectUri,
    pkce,
    scope: options.scope,
    extra: options.extra,
  });
  let landed = await browser.follow(url, redirectUri);
  if (landed.page?.url.startsWith(fixture.as.upstreamIssuer)) {
    landed = await signInUpstream(browser, landed.page, user, redirectUri);
  }
  return { landed, pkce, browser, redirectUri };
}

/** The whole front channel: authorize, sign in as `user`, approve; returns the code the client receives. */
export async function codeFor(fixture: AuthorizationServerFixture, user: string, options: FlowOptions = {}) {
  const { landed: first, pkce, browser, redirectUri } = await signInUntilConsent(fixture, user, options);
  let landed = first;
  if (landed.page !== undefined) {
    expect(landed.page.url).toMatch(new RegExp(`${paths.interaction}/[^/]+/consent$`));
    landed = await decideConsent(browser, landed.page, 'approve', redirectUri);
  }
  expect(landed.redirect, 'the flow ends at the client').toBeDefined();
  const redirect = new URL(landed.redirect as string);
  const code = redirect.searchParams.get('code');
  expect(code, `a code in ${redirect.href}`).toBeTypeOf('string');
  return { code: code as string, pkce, browser, redirect };
}

/** An HTML page of ours that refuses: the status, no redirect anywhere, and the framing defences. */
export async function expectRefusalPage(response: Response, status = 400): Promise<string> {
  expect(response.status).toBe(status);
  expect(response.headers.get('location')).toBeNull();
  expect(response.headers.get('content-type')).toMatch(/^text\/html/);
  expectNoFraming(response);
  return response.text();
}

/** `frame-ancestors 'none'` in the CSP and `X-Frame-Options: DENY`: no page of ours may be framed (clickjacking). */
export function expectNoFraming(response: Response): void {
  const csp = response.headers.get('content-security-policy') ?? '';
  const directives = csp.split(';').map((directive) => directive.trim());
  expect(directives, `CSP of ${response.url}: ${csp}`).toContain("frame-ancestors 'none'");
  expect(response.headers.get('x-frame-options')).toBe('DENY');
}

/** The authorization request's URL with `resource` given any number of times (authorizeUrl sets exactly one). */
export function authorizeUrlWithResources(
  fixture: AuthorizationServerFixture,
  resources: string[],
  pkce: Pkce = newPkce(),
): string {
  const url = new URL(authorizeUrl(fixture, { clientId: fixture.clientId, redirectUri: fixture.target.uri, pkce }));
  url.searchParams.delete('resource');
  for (const resource of resources) url.searchParams.append('resource', resource);
  return url.href;
}

export interface AuditRow {
  tenant_id: string;
  user_id: string;
  client_id: string;
  tool: string;
  outcome: string;
  detail: string | null;
}

/** Audit rows of one event (the tool column) for one user, read as the owner (no row-level security in the way). */
export async function auditRows(fixture: AuthorizationServerFixture, tool: string, userId: string) {
  const { rows } = await fixture.db.adminPool.query<AuditRow>(
    `SELECT tenant_id, user_id, client_id, tool, outcome, detail FROM audit_events
     WHERE tool = $1 AND user_id = $2 ORDER BY id`,
    [tool, userId],
  );
  return rows;
}

/** Provider events are audited after the response (fire and forget): poll until a row is there. */
export async function waitForAuditRow(fixture: AuthorizationServerFixture, tool: string, userId: string) {
  return vi.waitFor(
    async () => {
      const rows = await auditRows(fixture, tool, userId);
      if (rows.length > 0) return rows;
      const { rows: seen } = await fixture.db.adminPool.query<Pick<AuditRow, 'tool' | 'outcome' | 'detail'>>(
        'SELECT tool, outcome, detail FROM audit_events WHERE user_id = $1 ORDER BY id',
        [userId],
      );
      throw new Error(`no ${tool} audit row for ${userId}; there are: ${JSON.stringify(seen)}`);
    },
    { timeout: 2_000, interval: 20 },
  );
}

/** The store keeps SHA-256 of the bearer ids (storage/postgres-adapter.ts). */
export function storedIdHash(id: string): Buffer {
  return createHash('sha256').update(id, 'utf8').digest();
}

export async function consentRows(fixture: AuthorizationServerFixture, clientId: string) {
  const { rows } = await fixture.db.adminPool.query<{ user_id: string; scopes: string[] }>(
    'SELECT user_id, scopes FROM consents WHERE client_id = $1',
    [clientId],
  );
  return rows;
}
