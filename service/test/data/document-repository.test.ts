import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDocument,
  getDocument,
  type ListDocumentsFilter,
  listDocuments,
  searchDocuments,
  updateDocument,
} from '../../src/data/document-repository.js';
import { isDataLayerError } from '../../src/data/errors.js';
import { checkDatabase } from '../../src/data/health.js';
import { createDatabasePool } from '../../src/data/pool.js';
import { SAMPLE_USERS, seedSampleDocuments } from '../../src/data/sample-data.js';
import type { TenantContext } from '../../src/data/tenant-context.js';
import { withTenantTransaction } from '../../src/data/tenant-transaction.js';
import { availableDatabaseBackends, createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { users } from './tenant-fixtures.js';

// A tenant of its own, so the sample data and other tests' documents do not disturb the counts.
const writer: TenantContext = { ...users.alice, tenantId: 'paging', userId: 'pat' };

describe.each(availableDatabaseBackends())('document repository on %s', (backend) => {
  let db: TestDatabase;
  let pool: pg.Pool;
  const as = <T>(ctx: TenantContext, work: (client: pg.PoolClient) => Promise<T>) =>
    withTenantTransaction(pool, ctx, work);

  beforeAll(async () => {
    db = await createTestDatabase(backend);
    pool = db.appPool;
  });
  afterAll(async () => {
    await db?.close();
  });

  const listAll = async (filter: ListDocumentsFilter, between?: () => Promise<void>) => {
    const ids: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await as(writer, (c) => listDocuments(c, { ...filter, ...(cursor ? { cursor } : {}) }));
      ids.push(...page.items.map((d) => d.id));
      cursor = page.nextCursor;
      pages += 1;
      if (between) await between();
    } while (cursor && pages < 100);
    return { ids, pages };
  };

  describe('pagination', () => {
    let created: string[];
    beforeAll(async () => {
      // 25 documents in one transaction share created_at (now() is the transaction's start): the id breaks ties.
      const sameInstant = await as(writer, async (c) => {
        const ids: string[] = [];
        for (let i = 0; i < 25; i += 1) {
          ids.push((await createDocument(c, writer, { title: `Batch ${i}`, tags: i % 2 ? ['odd'] : ['even'] })).id);
        }
        return ids;
      });
      const oneByOne: string[] = [];
      for (let i = 0; i < 12; i += 1) {
        oneByOne.push((await as(writer, (c) => createDocument(c, writer, { title: `Single ${i}_%` }))).id);
      }
      created = [...sameInstant, ...oneByOne];
    });

    it('covers every document exactly once across pages, newest first', async () => {
      const { ids, pages } = await listAll({ limit: 7 });
      expect(ids).toHaveLength(created.length);
      expect(new Set(ids)).toEqual(new Set(created));
      expect(pages).toBe(Math.ceil(created.length / 7));
      const everything = await as(writer, (c) => listDocuments(c, { limit: 100 }));
      expect(everything.items.map((d) => d.id)).toEqual(ids);
      expect(everything.nextCursor).toBeUndefined();
      const times = everything.items.map((d) => Date.parse(d.createdAt));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
    });

    it('stays stable when documents are inserted between pages', async () => {
      const insertedDuring: string[] = [];
      const { ids } = await listAll({ limit: 5 }, async () => {
        insertedDuring.push((await as(writer, (c) => createDocument(c, writer, { title: 'Late arrival' }))).id);
      });
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.filter((id) => insertedDuring.includes(id))).toEqual([]);
      expect(ids).toEqual(expect.arrayContaining(created));
    });

    it('filters by tag, title substring (wildcards literal), owner, classification and creation time', async () => {
      const odd = await listAll({ tag: 'odd', limit: 4 });
      expect(odd.ids).toHaveLength(12);
      const singles = await as(writer, (c) => listDocuments(c, { titleContains: 'E 1_%', limit: 100 }));
      // As wildcards, '_' would also match 'Single 10_%' and 'Single 11_%'.
      expect(singles.items.map((d) => d.title)).toEqual(['Single 1_%']);
      const wildcard = await as(writer, (c) => listDocuments(c, { titleContains: '%', limit: 100 }));
      expect(wildcard.items.every((d) => d.title.includes('%'))).toBe(true);
      expect((await as(writer, (c) => listDocuments(c, { ownerId: 'someone-else' }))).items).toEqual([]);
      expect((await as(writer, (c) => listDocuments(c, { classification: 'restricted' }))).items).toEqual([]);
      const all = await as(writer, (c) => listDocuments(c, { limit: 100 }));
      const newest = all.items[0]!;
      const after = await as(writer, (c) => listDocuments(c, { createdAfter: newest.createdAt }));
      expect(after.items).toEqual([]);
      const before = await listAll({ createdBefore: newest.createdAt, limit: 50 });
      expect(before.ids).not.toContain(newest.id);
      expect(before.ids.length).toBeGreaterThan(0);
    });

    it('rejects malformed cursors and out-of-range limits with typed errors', async () => {
      const page = await as(writer, (c) => listDocuments(c, { limit: 2 }));
      const valid = page.nextCursor!;
      const forged = Buffer.from(JSON.stringify(['2026-01-01T00:00:00.000000Z', "x' OR 1=1"])).toString('base64url');
      for (const cursor of ['garbage!', `${valid}x`, valid.slice(3), forged, Buffer.from('{}').toString('base64url')]) {
        const error = await as(writer, (c) => listDocuments(c, { cursor })).catch((e: unknown) => e);
        expect(isDataLayerError(error, 'invalid_cursor')).toBe(true);
      }
      for (const limit of [0, 101, 2.5]) {
        const error = await as(writer, (c) => listDocuments(c, { limit })).catch((e: unknown) => e);
        expect(isDataLayerError(error, 'invalid_input')).toBe(true);
      }
      const badDate = await as(writer, (c) => listDocuments(c, { createdAfter: 'yesterday' })).catch((e) => e);
      expect(isDataLayerError(badDate, 'invalid_input')).toBe(true);
    });
  });

  describe('updates', () => {
    it('bumps the version on every update and detects a stale expected version', async () => {
      const doc = await as(writer, (c) => createDocument(c, writer, { title: 'Draft', body: 'v1' }));
      const first = await as(writer, (c) => updateDocument(c, doc.id, { body: 'v2', expectedVersion: 1 }));
      expect(first).toMatchObject({ status: 'updated', document: { body: 'v2', version: 2, title: 'Draft' } });
      // A second writer that read version 1 loses, and its change is not applied.
      const stale = await as(writer, (c) => updateDocument(c, doc.id, { body: 'lost', expectedVersion: 1 }));
      expect(stale).toEqual({ status: 'version_conflict' });
      const current = await as(writer, (c) => getDocument(c, doc.id));
      expect(current).toMatchObject({ body: 'v2', version: 2 });
      expect(Date.parse(current!.updatedAt)).toBeGreaterThanOrEqual(Date.parse(doc.updatedAt));
      expect(current!.createdAt).toBe(doc.createdAt);
      const unconditional = await as(writer, (c) => updateDocument(c, doc.id, { tags: ['final', 'final'] }));
      expect(unconditional).toMatchObject({ status: 'updated', document: { version: 3, tags: ['final'] } });
    });

    if (backend !== 'postgres')
      console.info('data tests: concurrent-update test skipped on embedded: it serializes transactions');
    it.runIf(backend === 'postgres')(
      'turns a concurrent update that commits first into a version conflict (postgres only: embedded serializes transactions)',
      async () => {
        const doc = await as(writer, (c) => createDocument(c, writer, { title: 'Contended', body: 'v1' }));
        // Both transactions are the same tenant's: its share must allow both connections at once.
        const twoConnections = createDatabasePool({
          connectionString: db.appConnectionString,
          maxConnections: 2,
          tenantMaxConnections: 2,
        });
        try {
          let firstUpdated!: () => void;
          const firstHasUpdated = new Promise<void>((resolve) => {
            firstUpdated = resolve;
          });
          let allowFirstCommit!: () => void;
          const firstMayCommit = new Promise<void>((resolve) => {
            allowFirstCommit = resolve;
          });
          const first = withTenantTransaction(twoConnections, writer, async (c) => {
            const result = await updateDocument(c, doc.id, { body: 'first', expectedVersion: 1 });
            firstUpdated();
            await firstMayCommit;
            return result;
          });
          await firstHasUpdated;
          // The second writer also read version 1 (the first has not committed) and now waits for the row lock.
          const second = withTenantTransaction(twoConnections, writer, (c) =>
            updateDocument(c, doc.id, { body: 'second', expectedVersion: 1 }),
          );
          await expect
            .poll(async () => {
              const { rows } = await db.adminPool.query(
                `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
              );
              return rows.length;
            })
            .toBe(1);
          allowFirstCommit();
          expect(await first).toMatchObject({ status: 'updated', document: { version: 2 } });
          expect(await second).toEqual({ status: 'version_conflict' });
          expect(await as(writer, (c) => getDocument(c, doc.id))).toMatchObject({ body: 'first', version: 2 });
        } finally {
          await twoConnections.end();
        }
      },
    );

    it('validates fields before touching the database', async () => {
      const doc = await as(writer, (c) => createDocument(c, writer, { title: 'Valid' }));
      for (const patch of [{}, { title: '   ' }, { classification: 'secret' as never }, { tags: [''] }]) {
        const error = await as(writer, (c) => updateDocument(c, doc.id, patch)).catch((e: unknown) => e);
        expect(isDataLayerError(error, 'invalid_input')).toBe(true);
      }
      const error = await as(writer, (c) => createDocument(c, writer, { title: 'x'.repeat(501) })).catch((e) => e);
      expect(isDataLayerError(error, 'invalid_input')).toBe(true);
    });
  });

  describe('search', () => {
    const searcher: TenantContext = { ...writer, tenantId: 'search', userId: 'sam' };
    beforeAll(async () => {
      await as(searcher, async (c) => {
        await createDocument(c, searcher, { title: 'Quarterly budget', body: 'Numbers for the next quarter.' });
        await createDocument(c, searcher, { title: 'Team offsite', body: 'We discussed the budget briefly.' });
        await createDocument(c, searcher, { title: 'Holiday rota', body: 'Who is on call.', tags: ['budget'] });
        await createDocument(c, searcher, { title: 'Unrelated', body: 'Nothing to see.' });
      });
    });

    it('ranks a title match above a body-only match above a tag-only match, with highlighted snippets', async () => {
      const hits = await as(searcher, (c) => searchDocuments(c, { query: 'budget', limit: 10 }));
      expect(hits.map((h) => h.document.title)).toEqual(['Quarterly budget', 'Team offsite', 'Holiday rota']);
      expect(hits[0]!.rank).toBeGreaterThan(hits[1]!.rank);
      expect(hits[1]!.rank).toBeGreaterThan(hits[2]!.rank);
      expect(hits[1]!.snippet).toContain('**budget**');
      expect(hits[0]!.document).not.toHaveProperty('body');
    });

    it('understands web search syntax and respects the limit', async () => {
      const excluded = await as(searcher, (c) => searchDocuments(c, { query: 'budget -offsite', limit: 10 }));
      expect(excluded.map((h) => h.document.title)).not.toContain('Team offsite');
      const phrase = await as(searcher, (c) => searchDocuments(c, { query: '"on call"', limit: 10 }));
      expect(phrase.map((h) => h.document.title)).toEqual(['Holiday rota']);
      expect(await as(searcher, (c) => searchDocuments(c, { query: 'budget', limit: 1 }))).toHaveLength(1);
      expect(await as(searcher, (c) => searchDocuments(c, { query: 'the', limit: 10 }))).toEqual([]);
      const error = await as(searcher, (c) => searchDocuments(c, { query: '  ', limit: 10 })).catch((e) => e);
      expect(isDataLayerError(error, 'invalid_input')).toBe(true);
    });
  });

  it('seeds the sample documents idempotently through the tenant policies', async () => {
    await seedSampleDocuments({ connectionString: db.adminConnectionString });
    await seedSampleDocuments({ connectionString: db.appConnectionString });
    const sampleContext = (user: keyof typeof SAMPLE_USERS, roles: string[] = []): TenantContext => ({
      ...SAMPLE_USERS[user],
      roles,
      clientId: 'test',
      correlationId: 'test',
    });
    const titles = async (ctx: TenantContext) =>
      (await as(ctx, (c) => listDocuments(c, { limit: 100 }))).items.map((d) => d.title).sort();
    expect(await titles(sampleContext('alice'))).toEqual([
      'Acme onboarding guide',
      'Postmortem: database failover in March',
    ]);
    expect(await titles(sampleContext('bob'))).toHaveLength(2);
    expect(await titles(sampleContext('bob', ['manager']))).toHaveLength(4);
    expect(await titles(sampleContext('carol', ['admin']))).toEqual(['Globex holiday calendar', 'Globex merger plan']);
  });

  it('reports the database ready, and not ready when it cannot be reached', async () => {
    await expect(checkDatabase(pool)).resolves.toBeUndefined();
    const unreachable = createDatabasePool({
      connectionString: 'postgres://nobody@127.0.0.1:1/none',
      connectionTimeoutMs: 1000,
    });
    await expect(checkDatabase(unreachable)).rejects.toThrow();
    await unreachable.end();
  });
});
