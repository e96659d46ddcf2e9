/**
 * Every tenant-scoped query the tools run can use an index under row-level security. Not a timing test: the plans
 * are read with `enable_seqscan` off, so the question is whether an index can be used at all, whatever the table's
 * size (a sequential scan then means none can). Nested statements (tenancy.search_document_ids runs its own query)
 * are included: auto_explain reports every statement's plan to this session as a NOTICE.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE } from '../../src/contract.js';
import { auditEventStatement } from '../../src/data/audit-log.js';
import { createDocument, getDocument, listDocuments, searchDocuments } from '../../src/data/document-repository.js';
import { withTenantTransaction } from '../../src/data/tenant-transaction.js';
import { availableDatabaseBackends, createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { users } from './tenant-fixtures.js';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

const TENANT_TABLES = ['documents', 'audit_events'];

function* nodesOf(node: PlanNode): Generator<PlanNode> {
  yield node;
  for (const child of node.Plans ?? []) yield* nodesOf(child);
}

const postgres = availableDatabaseBackends().includes('postgres');
if (!postgres) console.info('query plans not read: they need the machine Postgres (DATABASE_URL) for auto_explain');

describe.runIf(postgres)('the plans of the tools’ tenant-scoped queries (postgres)', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  const notices: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    // One connection that loads auto_explain (a superuser may) and then acts as the application role.
    pool = new pg.Pool({ connectionString: db.adminConnectionString, max: 1 });
    // pool.end() can resolve before its socket has closed; dropping the database then terminates it (57P01), which an
    // idle client reports as an error event: expected at teardown, not a failure.
    pool.on('error', (error: Error & { code?: string }) => {
      if (error.code !== '57P01') throw error;
    });
    pool.on('connect', (client) => {
      client.on('notice', (notice) => notices.push(notice.message ?? ''));
    });
    const client = await pool.connect();
    await client.query(`LOAD 'auto_explain'`);
    await client.query(`SET auto_explain.log_min_duration = 0`);
    await client.query(`SET auto_explain.log_nested_statements = on`);
    await client.query(`SET auto_explain.log_format = json`);
    await client.query(`SET auto_explain.log_level = notice`);
    await client.query(`SET enable_seqscan = off`);
    await client.query(`SET ROLE ${client.escapeIdentifier(DATABASE.appRole)}`);
    client.release();
    await withTenantTransaction(pool, users.alice, (c) =>
      createDocument(c, users.alice, { title: 'Plan check', body: 'quarterly revenue forecast', tags: ['plans'] }),
    );
    // Enough rows in two tenants (20,000 each, a rare word, tag, title and classification in 4 of them, a title in
    // 5 % of alice's) that the planner weighs its indexes as it would in production: with a few thousand, reading the
    // tenant in date order was as cheap.
    await db.adminPool.query(
      `INSERT INTO documents (tenant_id, owner_id, title, body, tags, classification)
       SELECT CASE WHEN i % 2 = 0 THEN $1 ELSE 'other-tenant' END, $2,
              'Report ' || i || CASE WHEN i % 4999 = 0 THEN ' Zanzibar' ELSE '' END
                             || CASE WHEN i % 20 = 2 THEN ' Lighthouse' ELSE '' END,
              'filler text number ' || i || CASE WHEN i % 4999 = 0 THEN ' zanzibar' ELSE '' END,
              CASE WHEN i % 4999 = 0 THEN ARRAY['rare-tag'] ELSE ARRAY['common-tag'] END,
              CASE WHEN i % 4999 = 0 THEN 'restricted' ELSE 'internal' END
         FROM generate_series(1, 40000) AS i`,
      [users.alice.tenantId, users.alice.userId],
    );
    await db.adminPool.query('ANALYZE documents');
  });
  afterAll(async () => {
    await pool?.end();
    await db?.close();
  });

  /** The plans of every statement `work` ran (nested ones included), as the application role with alice's tenant. */
  const plansOf = async (work: (client: pg.PoolClient) => Promise<unknown>): Promise<PlanNode[]> => {
    notices.length = 0;
    await withTenantTransaction(pool, users.alice, work);
    return notices
      .filter((message) => message.startsWith('duration:'))
      .map((message) => JSON.parse(message.slice(message.indexOf('{'))) as { Plan: PlanNode })
      .map((explained) => explained.Plan);
  };
  const scansOf = (plans: PlanNode[]) =>
    plans
      .flatMap((plan) => [...nodesOf(plan)])
      .filter((node) => node['Relation Name'] !== undefined && TENANT_TABLES.includes(node['Relation Name']))
      .map(
        (node) =>
          `${node['Node Type']} on ${node['Relation Name']}${node['Index Name'] ? ` (${node['Index Name']})` : ''}`,
      );

  it.each<[string, (client: pg.PoolClient) => Promise<unknown>]>([
    ['search_documents', (c) => searchDocuments(c, { query: 'revenue', limit: 10 })],
    ['list_documents', (c) => listDocuments(c, { limit: 10 })],
    ['list_documents by tag', (c) => listDocuments(c, { tag: 'plans', limit: 10 })],
    ['list_documents by owner', (c) => listDocuments(c, { ownerId: users.alice.userId, limit: 10 })],
    ['list_documents by classification', (c) => listDocuments(c, { classification: 'internal', limit: 10 })],
    ['list_documents by title', (c) => listDocuments(c, { titleContains: 'plan', limit: 10 })],
    ['get_document', (c) => getDocument(c, '00000000-0000-4000-8000-000000000000')],
    [
      'the audit record',
      (c) => c.query(auditEventStatement(users.alice, { tool: 'list_documents', documentIds: [], outcome: 'ok' })),
    ],
  ])('%s scans documents and audit_events only through an index', async (_name, work) => {
    const scans = scansOf(await plansOf(work));
    expect(scans.filter((scan) => scan.startsWith('Seq Scan'))).toEqual([]);
  });

  it('search takes its candidates from a text index inside the search function, and reads them by primary key', async () => {
    const plans = await plansOf((c) => searchDocuments(c, { query: 'zanzibar', limit: 10 }));
    const indexes = plans.flatMap((plan) => [...nodesOf(plan)]).map((node) => node['Index Name']);
    // Which of the two GIN indexes over search_vector is cheaper is the planner's call (a rare term: the plain one).
    expect(indexes.some((name) => name === 'documents_search_idx' || name === 'documents_tenant_search_idx')).toBe(
      true,
    );
    expect(indexes).toContain('documents_pkey');
    expect(indexes).not.toContain('documents_tenant_created_idx');
  });

  it('the id functions return at most a page (and one), whatever they are asked, as the app role may call them', async () => {
    // 20,000 of alice's documents match: the bound in the functions, not the service's own validation, holds here.
    const counts = await withTenantTransaction(pool, users.alice, async (c) => ({
      search: (
        await c.query(`SELECT id FROM tenancy.search_document_ids(websearch_to_tsquery('english', 'filler'), 100000)`)
      ).rowCount,
      list: (
        await c.query(
          'SELECT document_id FROM tenancy.list_document_ids(null, null, null, null, null, null, null, null, 100000)',
        )
      ).rowCount,
    }));
    expect(counts).toEqual({ search: 100, list: 101 });
  });

  // A common tag takes the same path (list-by-common-values.test.ts proves its pages); at this size the planner
  // would read a 5 % tag in date order anyway, so only the title, whose trigram estimate it trusts, tells the paths apart.
  it('list_documents by a common title reads its page from the newest documents in date order, not through GIN', async () => {
    const plans = await plansOf((c) => listDocuments(c, { titleContains: 'lighthouse', limit: 10 }));
    const indexes = plans.flatMap((plan) => [...nodesOf(plan)]).map((node) => node['Index Name']);
    expect(indexes).toContain('documents_tenant_created_idx');
    expect(indexes).not.toContain('documents_tenant_title_trgm_idx');
  });

  it.each<[string, (client: pg.PoolClient) => Promise<unknown>, string[]]>([
    [
      'a rare tag',
      (c) => listDocuments(c, { tag: 'rare-tag', limit: 10 }),
      ['documents_tenant_tags_idx', 'documents_tags_idx'],
    ],
    [
      'a rare title',
      (c) => listDocuments(c, { titleContains: 'zanzib', limit: 10 }),
      ['documents_tenant_title_trgm_idx'],
    ],
    [
      'a rare classification',
      (c) => listDocuments(c, { classification: 'restricted', limit: 10 }),
      ['documents_tenant_classification_created_idx'],
    ],
  ])(
    'list_documents by %s finds its page through that filter’s index, and reads it by primary key',
    async (_name, work, expected) => {
      const indexes = (await plansOf(work)).flatMap((plan) => [...nodesOf(plan)]).map((node) => node['Index Name']);
      expect(
        indexes.some((name) => name !== undefined && expected.includes(name)),
        indexes.join(', '),
      ).toBe(true);
      expect(indexes).toContain('documents_pkey');
    },
  );
});
