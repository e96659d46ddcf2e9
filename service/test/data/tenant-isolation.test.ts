import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAuditEvent } from '../../src/data/audit-log.js';
import {
  createDocument,
  type Document,
  deleteDocument,
  getDocument,
  listDocuments,
  searchDocuments,
  updateDocument,
} from '../../src/data/document-repository.js';
import { isDataLayerError } from '../../src/data/errors.js';
import type { TenantContext } from '../../src/data/tenant-context.js';
import { withTenantTransaction } from '../../src/data/tenant-transaction.js';
import { availableDatabaseBackends, createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { users } from './tenant-fixtures.js';

const guessedIds = [
  randomUUID(),
  'not-a-uuid',
  '',
  "' OR '1'='1",
  "00000000-0000-0000-0000-000000000000'; DROP TABLE documents; --",
  '%',
  '*',
];

describe.each(availableDatabaseBackends())('tenant isolation on %s', (backend) => {
  let db: TestDatabase;
  let pool: pg.Pool;
  const as = <T>(ctx: TenantContext, work: (client: pg.PoolClient) => Promise<T>) =>
    withTenantTransaction(pool, ctx, work);
  // Created fresh for each test that changes documents.
  const seed = async () => {
    const aliceDoc = await as(users.alice, (c) =>
      createDocument(c, users.alice, { title: 'Alice plan', body: 'quarterly revenue forecast', tags: ['shared'] }),
    );
    const bobDoc = await as(users.bob, (c) =>
      createDocument(c, users.bob, { title: 'Bob notes', body: 'quarterly revenue forecast', tags: ['shared'] }),
    );
    const carolDoc = await as(users.carol, (c) =>
      createDocument(c, users.carol, { title: 'Carol secret', body: 'quarterly revenue forecast', tags: ['shared'] }),
    );
    return { aliceDoc, bobDoc, carolDoc };
  };
  let docs: { aliceDoc: Document; bobDoc: Document; carolDoc: Document };

  beforeAll(async () => {
    db = await createTestDatabase(backend);
    pool = db.appPool;
    docs = await seed();
  });
  afterAll(async () => {
    await db?.close();
  });

  const visibleIds = async (ctx: TenantContext) =>
    (await as(ctx, (c) => listDocuments(c, { limit: 100 }))).items.map((d) => d.id).sort();

  it('creates documents owned by the caller in the caller tenant', () => {
    expect(docs.aliceDoc).toMatchObject({ tenantId: 'acme', ownerId: 'alice', version: 1 });
    expect(docs.carolDoc).toMatchObject({ tenantId: 'globex', ownerId: 'carol' });
  });

  it('lets plain users list only their own documents, managers and admins their whole tenant', async () => {
    expect(await visibleIds(users.alice)).toEqual([docs.aliceDoc.id]);
    expect(await visibleIds(users.bob)).toEqual([docs.bobDoc.id]);
    expect(await visibleIds(users.carol)).toEqual([docs.carolDoc.id]);
    const acme = [docs.aliceDoc.id, docs.bobDoc.id].sort();
    expect(await visibleIds(users.acmeManager)).toEqual(acme);
    expect(await visibleIds(users.acmeAdmin)).toEqual(acme);
    expect(await visibleIds(users.globexAdmin)).toEqual([docs.carolDoc.id]);
  });

  it('never returns another tenant document, whoever asks and whatever filter is used', async () => {
    for (const ctx of [users.alice, users.acmeManager, users.acmeAdmin]) {
      expect(await as(ctx, (c) => getDocument(c, docs.carolDoc.id))).toBeUndefined();
      expect((await as(ctx, (c) => listDocuments(c, { ownerId: 'carol' }))).items).toEqual([]);
      const hits = await as(ctx, (c) => searchDocuments(c, { query: 'quarterly revenue', limit: 100 }));
      expect(hits.map((h) => h.document.tenantId)).not.toContain('globex');
      expect(hits.length).toBeGreaterThan(0);
    }
    expect(await as(users.globexAdmin, (c) => getDocument(c, docs.aliceDoc.id))).toBeUndefined();
    const globexHits = await as(users.globexAdmin, (c) => searchDocuments(c, { query: 'forecast', limit: 100 }));
    expect(globexHits.map((h) => h.document.id)).toEqual([docs.carolDoc.id]);
  });

  it("hides another user's document from a plain user of the same tenant", async () => {
    expect(await as(users.alice, (c) => getDocument(c, docs.bobDoc.id))).toBeUndefined();
    expect((await as(users.alice, (c) => listDocuments(c, { ownerId: 'bob' }))).items).toEqual([]);
    const hits = await as(users.alice, (c) => searchDocuments(c, { query: 'forecast', limit: 100 }));
    expect(hits.map((h) => h.document.id)).toEqual([docs.aliceDoc.id]);
    expect(await as(users.acmeManager, (c) => getDocument(c, docs.bobDoc.id))).toMatchObject({ ownerId: 'bob' });
  });

  it('answers not_found for guessed, random and malformed ids on every operation', async () => {
    for (const id of [...guessedIds, docs.carolDoc.id]) {
      for (const ctx of [users.alice, users.acmeAdmin]) {
        expect(await as(ctx, (c) => getDocument(c, id))).toBeUndefined();
        expect(await as(ctx, (c) => updateDocument(c, id, { title: 'pwned' }))).toEqual({ status: 'not_found' });
        expect(await as(ctx, (c) => deleteDocument(c, id, { othersToo: true }))).toEqual({ status: 'not_found' });
      }
    }
    // Another user's id is indistinguishable from a random one for a plain user.
    expect(await as(users.alice, (c) => updateDocument(c, docs.bobDoc.id, { title: 'x' }))).toEqual({
      status: 'not_found',
    });
    expect(await as(users.alice, (c) => deleteDocument(c, docs.bobDoc.id, { othersToo: true }))).toEqual({
      status: 'not_found',
    });
    // Nothing changed.
    expect(await as(users.carol, (c) => getDocument(c, docs.carolDoc.id))).toEqual(docs.carolDoc);
    expect(await as(users.bob, (c) => getDocument(c, docs.bobDoc.id))).toEqual(docs.bobDoc);
  });

  it('treats SQL-looking search and filter input as data', async () => {
    for (const text of guessedIds.filter((t) => t.trim() !== '')) {
      const hits = await as(users.alice, (c) => searchDocuments(c, { query: text, limit: 10 }));
      expect(hits.every((h) => h.document.ownerId === 'alice')).toBe(true);
      const page = await as(users.alice, (c) => listDocuments(c, { titleContains: text, tag: text, ownerId: text }));
      expect(page.items).toEqual([]);
    }
  });

  it('lets a manager update any document of the tenant, but an admin only delete others', async () => {
    const { aliceDoc, bobDoc } = await seed();
    const byManager = await as(users.acmeManager, (c) => updateDocument(c, bobDoc.id, { title: 'Reviewed' }));
    expect(byManager).toMatchObject({ status: 'updated', document: { title: 'Reviewed', ownerId: 'bob', version: 2 } });
    expect(await as(users.acmeAdmin, (c) => updateDocument(c, bobDoc.id, { title: 'x' }))).toEqual({
      status: 'forbidden',
    });
    expect(await as(users.acmeManager, (c) => deleteDocument(c, bobDoc.id, { othersToo: true }))).toEqual({
      status: 'forbidden',
    });
    expect(await as(users.bob, (c) => getDocument(c, bobDoc.id))).toMatchObject({ title: 'Reviewed', version: 2 });
    // The admin role alone is not enough: deleting another's document also needs the token's mcp:admin scope.
    expect(await as(users.acmeAdmin, (c) => deleteDocument(c, bobDoc.id, { othersToo: false }))).toEqual({
      status: 'others_need_admin_scope',
    });
    expect(await as(users.bob, (c) => getDocument(c, bobDoc.id))).toMatchObject({ title: 'Reviewed' });
    expect(await as(users.acmeAdmin, (c) => deleteDocument(c, bobDoc.id, { othersToo: true }))).toEqual({
      status: 'deleted',
    });
    expect(await as(users.bob, (c) => getDocument(c, bobDoc.id))).toBeUndefined();
    expect(await as(users.alice, (c) => updateDocument(c, aliceDoc.id, { body: 'mine' }))).toMatchObject({
      status: 'updated',
    });
    // An owner deletes its own without it.
    expect(await as(users.alice, (c) => deleteDocument(c, aliceDoc.id, { othersToo: false }))).toEqual({
      status: 'deleted',
    });
  });

  it("refuses to create a document in another tenant or for another owner than the transaction's", async () => {
    for (const forged of [users.carol, users.bob]) {
      const error = await as(users.alice, (c) => createDocument(c, forged, { title: 'forged' })).catch((e) => e);
      expect(error).toMatchObject({ code: '42501' });
      expect(String(error.message)).toContain('row-level security');
    }
  });

  it('shows the application role no documents and no audit events without a tenant context', async () => {
    await recordAuditEvent(pool, users.alice, { tool: 'documents.get', documentIds: [], outcome: 'ok' });
    const total = await db.adminPool.query<{ documents: number; audit: number }>(
      'SELECT (SELECT count(*) FROM documents)::int AS documents, (SELECT count(*) FROM audit_events)::int AS audit',
    );
    // The admin login is a superuser on both backends (row-level security does not apply to it): the rows exist.
    expect(total.rows[0]!.documents).toBeGreaterThan(0);
    expect(total.rows[0]!.audit).toBeGreaterThan(0);
    for (const table of ['documents', 'audit_events']) {
      const { rows } = await db.queryAsAppRole<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
      expect({ table, n: rows[0]!.n }).toEqual({ table, n: 0 });
    }
    const { rows } = await db.queryAsAppRole<{ user: string }>('SELECT current_user AS user');
    expect(rows[0]!.user).toBe('mcp_app');
  });

  // The functions run as the search role, which sees every row: their own read rule is all that stands here.
  it.each([
    ['search', `SELECT id FROM tenancy.search_document_ids(websearch_to_tsquery('english', 'revenue'), 100)`],
    [
      'list',
      `SELECT document_id AS id FROM tenancy.list_document_ids('shared', '%', null, null, null, null, null, null, 100)`,
    ],
  ])(
    "gives no candidate through the %s function without a tenant context, nor another's with one",
    async (_name, sql) => {
      const { rows } = await db.queryAsAppRole<{ id: string }>(sql);
      expect(rows).toEqual([]);
      const ids = await as(users.alice, async (c) => (await c.query<{ id: string }>(sql)).rows.map((row) => row.id));
      expect(ids).toContain(docs.aliceDoc.id);
      expect(ids).not.toContain(docs.carolDoc.id);
      // alice (no manager role) does not get bob's document of her own tenant either: the read rule, not just the tenant.
      expect(ids).not.toContain(docs.bobDoc.id);
    },
  );

  it('carries no tenant from one transaction to the next on the same connection', async () => {
    expect((await visibleIds(users.carol)).length).toBeGreaterThan(0);
    // The app pool has one connection: this query runs on the connection carol's transaction just used.
    const { rows } = await db.queryAsAppRole<{ tenant: string | null; n: number }>(
      `SELECT tenancy.current_tenant_id() AS tenant, (SELECT count(*)::int FROM documents) AS n`,
    );
    expect(rows[0]).toEqual({ tenant: null, n: 0 });
  });

  it('rejects a tenant context it cannot carry safely', async () => {
    for (const bad of [
      { ...users.alice, tenantId: '' },
      { ...users.alice, userId: '' },
      { ...users.alice, roles: ['manager,admin'] },
    ]) {
      const error = await as(bad, async () => 'ran').catch((e: unknown) => e);
      expect(isDataLayerError(error, 'invalid_tenant_context')).toBe(true);
    }
  });
});
