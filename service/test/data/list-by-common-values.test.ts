import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ListDocumentsFilter, listDocuments } from '../../src/data/document-repository.js';
import type { TenantContext } from '../../src/data/tenant-context.js';
import { withTenantTransaction } from '../../src/data/tenant-transaction.js';
import { availableDatabaseBackends, createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { users } from './tenant-fixtures.js';

// list_document_ids first looks for a tag or title among the newest 1,000 readable documents, then falls back to the
// GIN indexes (migrations/0007). Whichever way a page is found, it must be exactly the page the plain query gives.
// 3,000 documents in acme, one a minute, alice owning two in three (bob the rest), so the window holds a page for a
// value in every 10th document, not for one in every 100th (10 in the window), and the read rule decides which.
const DOCUMENTS = 3_000;
const CASES: Array<[string, ListDocumentsFilter, string]> = [
  ['a tag in every 10th document', { tag: 'tenth' }, `'tenth' = ANY (tags)`],
  ['a tag in every 100th document', { tag: 'hundredth' }, `'hundredth' = ANY (tags)`],
  ['a tag in one document', { tag: 'single' }, `'single' = ANY (tags)`],
  ['a title in every 10th document', { titleContains: 'tenth' }, `title ILIKE '%tenth%'`],
  ['a title in every 100th document', { titleContains: 'HUNDREDTH' }, `title ILIKE '%hundredth%'`],
  [
    'a tag and a classification',
    { tag: 'tenth', classification: 'confidential' },
    `'tenth' = ANY (tags) AND classification = 'confidential'`,
  ],
  [
    'a title and a date window',
    { titleContains: 'tenth', createdBefore: '2026-01-02T12:00:00.000Z' },
    `title ILIKE '%tenth%' AND created_at < '2026-01-02T12:00:00.000Z'`,
  ],
];

describe.each(availableDatabaseBackends())('list_documents by common and rare values on %s', (backend) => {
  let db: TestDatabase;
  let pool: pg.Pool;

  beforeAll(async () => {
    db = await createTestDatabase(backend);
    pool = db.appPool;
    await db.adminPool.query(
      `INSERT INTO documents (tenant_id, owner_id, title, tags, classification, created_at)
       SELECT $1, CASE WHEN i % 3 = 0 THEN 'bob' ELSE 'alice' END,
              'Note ' || i || CASE WHEN i % 10 = 0 THEN ' tenth' ELSE '' END
                           || CASE WHEN i % 100 = 7 THEN ' hundredth' ELSE '' END,
              ARRAY['any'] || CASE WHEN i % 10 = 0 THEN ARRAY['tenth'] ELSE '{}' END
                           || CASE WHEN i % 100 = 7 THEN ARRAY['hundredth'] ELSE '{}' END
                           || CASE WHEN i = 2024 THEN ARRAY['single'] ELSE '{}' END,
              CASE WHEN i % 20 = 0 THEN 'confidential' ELSE 'internal' END,
              timestamptz '2026-01-01' + i * interval '1 minute'
         FROM generate_series(1, ${DOCUMENTS}) AS i`,
      [users.alice.tenantId],
    );
    await db.adminPool.query('ANALYZE documents');
  });
  afterAll(async () => {
    await db?.close();
  });

  async function everyPage(caller: TenantContext, filter: ListDocumentsFilter): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await withTenantTransaction(pool, caller, (c) => listDocuments(c, { ...filter, limit: 20, cursor }));
      ids.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor);
    return ids;
  }

  async function expected(condition: string, owner?: string): Promise<string[]> {
    const { rows } = await db.adminPool.query<{ id: string }>(
      `SELECT id FROM documents WHERE tenant_id = $1 AND ${condition} ${owner ? 'AND owner_id = $2' : ''}
        ORDER BY created_at DESC, id DESC`,
      owner ? [users.alice.tenantId, owner] : [users.alice.tenantId],
    );
    return rows.map((row) => row.id);
  }

  it.each(CASES)('%s: every page, for a manager and for an owner, as the plain query', async (_name, filter, sql) => {
    const [manager, alice] = [await everyPage(users.acmeManager, filter), await everyPage(users.alice, filter)];
    expect(manager).toEqual(await expected(sql));
    expect(alice).toEqual(await expected(sql, 'alice'));
    expect(manager.length).toBeGreaterThan(0);
  });
});
