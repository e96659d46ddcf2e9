import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { AUTHORIZATION_EVENTS } from '../../../src/authorization-server/audit/authorization-audit.js';
import { redeemCode, refresh, useAuthorizationServerFixture } from '../server/authorization-server-fixture.js';
import { codeFor, publishClient, waitForAuditRow } from './attack-helpers.js';

function expectRefused(result: { status: number; body: Record<string, unknown> }, error = 'invalid_grant') {
  expect(result).toMatchObject({ status: 400, body: { error } });
  expect(result.body).not.toHaveProperty('access_token');
  expect(result.body).not.toHaveProperty('refresh_token');
}

describe('attacks on refresh tokens', () => {
  const fixture = useAuthorizationServerFixture();

  async function tokensFor(user: string, scope?: string) {
    const { code, pkce } = await codeFor(fixture, user, { scope });
    const tokens = await redeemCode(fixture, { code, verifier: pkce.verifier });
    expect(tokens.status).toBe(200);
    return tokens.body;
  }

  it('a reused refresh token revokes the family and is audited in the tenant', async () => {
    const tokens = await tokensFor('bob');
    const original = tokens.refresh_token as string;
    const rotated = await refresh(fixture, original);
    expect(rotated.status).toBe(200);
    expectRefused(await refresh(fixture, original));
    expectRefused(await refresh(fixture, rotated.body.refresh_token as string));
    const rows = await waitForAuditRow(fixture, AUTHORIZATION_EVENTS.refreshReuse, 'bob');
    expect(rows).toEqual([
      expect.objectContaining({ tenant_id: 'acme', user_id: 'bob', client_id: fixture.clientId, outcome: 'forbidden' }),
    ]);
  });

  it('a refresh token presented by another client is invalid_grant and issues nothing', async () => {
    const tokens = await tokensFor('carol');
    const otherClient = publishClient(fixture);
    expectRefused(await refresh(fixture, tokens.refresh_token as string, otherClient));
  });

  it('a refresh that asks for mcp:admin for a user without the admin role is refused', async () => {
    const tokens = await tokensFor('alice');
    for (const scope of ['mcp:read mcp:admin', 'mcp:admin']) {
      const escalated = await refresh(fixture, tokens.refresh_token as string, fixture.clientId, scope);
      expect.soft(escalated.status, scope).toBe(400);
      expect.soft(escalated.body.error, scope).toBe('invalid_scope');
      expect.soft(escalated.body, scope).not.toHaveProperty('access_token');
    }
    // The refresh token itself still works within what was granted, and never carries mcp:admin.
    const plain = await refresh(fixture, tokens.refresh_token as string);
    expect(plain.status).toBe(200);
    expect(decodeJwt(plain.body.access_token as string).scope).toBe('mcp:read mcp:write');
  });

  it('a refresh that asks for mcp:write when only mcp:read was granted is refused', async () => {
    const tokens = await tokensFor('mia', 'mcp:read');
    const escalated = await refresh(fixture, tokens.refresh_token as string, fixture.clientId, 'mcp:read mcp:write');
    expectRefused(escalated, 'invalid_scope');
  });
});
