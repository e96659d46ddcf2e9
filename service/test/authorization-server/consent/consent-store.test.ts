import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ConsentStore, createConsentStore } from '../../../src/authorization-server/consent/consent-store.js';
import { MCP_SCOPES } from '../../../src/contract.js';
import { availableDatabaseBackends, createTestDatabase, type TestDatabase } from '../../helpers/database.js';

const CLIENT_A = 'https://a.example.com/client.json';
const CLIENT_B = 'https://b.example.com/client.json';
const alice = { tenantId: 'tenant-a', userId: 'alice', correlationId: 'c1' };
const bob = { tenantId: 'tenant-a', userId: 'bob', correlationId: 'c2' };
const aliceElsewhere = { tenantId: 'tenant-b', userId: 'alice', correlationId: 'c3' };

describe.each(availableDatabaseBackends())('remembered consent in the database (%s)', (backend) => {
  let db: TestDatabase;
  let store: ConsentStore;

  beforeAll(async () => {
    db = await createTestDatabase(backend);
    store = createConsentStore(db.appPool);
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    await db.adminPool.query('TRUNCATE consents');
  });

  it('remembers the scopes granted, adding to earlier grants', async () => {
    expect(await store.find(alice, CLIENT_A)).toBeUndefined();
    await store.remember(alice, CLIENT_A, [MCP_SCOPES.write, MCP_SCOPES.read, MCP_SCOPES.read]);
    expect((await store.find(alice, CLIENT_A))?.scopes).toEqual([MCP_SCOPES.read, MCP_SCOPES.write]);
    const widened = await store.remember(alice, CLIENT_A, [MCP_SCOPES.admin]);
    expect(widened.scopes).toEqual([MCP_SCOPES.admin, MCP_SCOPES.read, MCP_SCOPES.write]);
    expect(widened.updatedAt.getTime()).toBeGreaterThanOrEqual(widened.grantedAt.getTime());
  });

  it('another user or tenant neither sees nor revokes a consent', async () => {
    await store.remember(alice, CLIENT_A, [MCP_SCOPES.read]);
    for (const other of [bob, aliceElsewhere]) {
      expect(await store.find(other, CLIENT_A)).toBeUndefined();
      expect(await store.list(other)).toEqual([]);
      expect(await store.revoke(other, CLIENT_A)).toBe(false);
      expect(await store.revokeAll(other)).toBe(0);
    }
    expect((await store.find(alice, CLIENT_A))?.scopes).toEqual([MCP_SCOPES.read]);
  });

  it("one user's grant for the same client does not touch another's", async () => {
    await store.remember(alice, CLIENT_A, [MCP_SCOPES.read]);
    await store.remember(bob, CLIENT_A, [MCP_SCOPES.admin]);
    expect((await store.find(alice, CLIENT_A))?.scopes).toEqual([MCP_SCOPES.read]);
    expect((await store.find(bob, CLIENT_A))?.scopes).toEqual([MCP_SCOPES.admin]);
  });

  it('revokes per client, and all of a user at once', async () => {
    await store.remember(alice, CLIENT_A, [MCP_SCOPES.read]);
    await store.remember(alice, CLIENT_B, [MCP_SCOPES.read]);
    await store.remember(bob, CLIENT_A, [MCP_SCOPES.read]);
    expect(await store.revoke(alice, CLIENT_A)).toBe(true);
    expect((await store.list(alice)).map((consent) => consent.clientId)).toEqual([CLIENT_B]);
    await store.remember(alice, CLIENT_A, [MCP_SCOPES.read]);
    expect(await store.revokeAll(alice)).toBe(2);
    expect(await store.list(alice)).toEqual([]);
    expect((await store.list(bob)).map((consent) => consent.clientId)).toEqual([CLIENT_A]);
  });

  it('the application role without a tenant context sees no consent and cannot write one', async () => {
    await store.remember(alice, CLIENT_A, [MCP_SCOPES.read]);
    expect((await db.queryAsAppRole('SELECT * FROM consents')).rows).toEqual([]);
    await expect(
      db.queryAsAppRole(`INSERT INTO consents (tenant_id, user_id, client_id, scopes) VALUES ('t', 'u', 'c', '{x}')`),
    ).rejects.toThrow(/row-level security/);
  });

  it('row-level security is enabled and forced on the table', async () => {
    const { rows } = await db.adminPool.query(
      "SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE oid = 'public.consents'::regclass",
    );
    expect(rows).toEqual([{ relrowsecurity: true, relforcerowsecurity: true }]);
  });
});
