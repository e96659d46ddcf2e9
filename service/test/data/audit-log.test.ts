import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEventStatement, listAuditEvents, recordAuditEvent } from '../../src/data/audit-log.js';
import { createDocument, deleteDocument } from '../../src/data/document-repository.js';
import { withTenantTransaction } from '../../src/data/tenant-transaction.js';
import { availableDatabaseBackends, createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { users } from './tenant-fixtures.js';

describe.each(availableDatabaseBackends())('audit log on %s', (backend) => {
  let db: TestDatabase;
  let pool: pg.Pool;

  beforeAll(async () => {
    db = await createTestDatabase(backend);
    pool = db.appPool;
  });
  afterAll(async () => {
    await db?.close();
  });

  it('records who did what, and shows each tenant only its own events', async () => {
    const doc = await withTenantTransaction(pool, users.alice, (c) => createDocument(c, users.alice, { title: 'A' }));
    await recordAuditEvent(pool, users.alice, { tool: 'documents.create', documentIds: [doc.id], outcome: 'ok' });
    await recordAuditEvent(pool, users.carol, { tool: 'documents.get', documentIds: [doc.id], outcome: 'not_found' });

    const acme = await withTenantTransaction(pool, users.acmeAdmin, (c) => listAuditEvents(c));
    expect(acme).toHaveLength(1);
    expect(acme[0]).toMatchObject({
      tenantId: 'acme',
      userId: 'alice',
      clientId: users.alice.clientId,
      correlationId: users.alice.correlationId,
      tool: 'documents.create',
      documentIds: [doc.id],
      outcome: 'ok',
    });
    const globex = await withTenantTransaction(pool, users.carol, (c) => listAuditEvents(c));
    expect(globex.map((e) => [e.tenantId, e.outcome])).toEqual([['globex', 'not_found']]);
  });

  it('keeps the audit row of an operation whose transaction rolled back', async () => {
    const doc = await withTenantTransaction(pool, users.bob, (c) => createDocument(c, users.bob, { title: 'B' }));
    const failure = await withTenantTransaction(pool, users.bob, async (c) => {
      await deleteDocument(c, doc.id, { othersToo: false });
      throw new Error('downstream failure after the delete');
    }).catch((e: Error) => e);
    await recordAuditEvent(pool, users.bob, {
      tool: 'documents.delete',
      documentIds: [doc.id, "1' OR '1'='1"],
      outcome: 'error',
      detail: failure.message,
    });
    const events = await withTenantTransaction(pool, users.bob, (c) => listAuditEvents(c, { limit: 1 }));
    expect(events[0]).toMatchObject({
      outcome: 'error',
      documentIds: [doc.id],
      detail: `downstream failure after the delete; non-uuid ids: ["1' OR '1'='1"]`,
    });
    // The delete itself was rolled back.
    const { rows } = await db.adminPool.query('SELECT 1 FROM documents WHERE id = $1', [doc.id]);
    expect(rows).toHaveLength(1);
  });

  it('rolls the work back when its audit record, sent with COMMIT, fails', async () => {
    const doc = await withTenantTransaction(pool, users.bob, (c) => createDocument(c, users.bob, { title: 'C' }));
    const failure = await withTenantTransaction(
      pool,
      users.bob,
      (c) => deleteDocument(c, doc.id, { othersToo: false }),
      {},
      // A record in another tenant's name: row-level security refuses it, so COMMIT never runs.
      () => auditEventStatement(users.carol, { tool: 'delete_document', documentIds: [doc.id], outcome: 'ok' }),
    ).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: '42501' });
    const { rows } = await db.adminPool.query('SELECT 1 FROM documents WHERE id = $1', [doc.id]);
    expect(rows).toHaveLength(1);
    // The pooled connection is usable afterwards (the failed transaction was rolled back, not left open).
    const after = await withTenantTransaction(pool, users.bob, (c) => c.query('SELECT 1 AS one'));
    expect(after.rows).toEqual([{ one: 1 }]);
  });

  it('stores every value as written, whatever quotes, backslashes or SQL it holds (literals, not parameters)', async () => {
    const hostile = `o'brien \\' \\x27 "; DROP TABLE audit_events; -- $$ é 🔑`;
    const ctx = { ...users.alice, clientId: hostile, correlationId: `${hostile} correlation` };
    const seen = await withTenantTransaction(
      pool,
      ctx,
      async (c) =>
        (
          await c.query<{ client: string; correlation: string }>(
            `SELECT current_setting('app.client_id') AS client, current_setting('app.correlation_id') AS correlation`,
          )
        ).rows[0],
      {},
      () =>
        auditEventStatement(ctx, {
          tool: 'get_document',
          documentIds: ['00000000-0000-4000-8000-000000000001', hostile],
          outcome: 'not_found',
          detail: `${hostile} and a NUL: \u0000`,
        }),
    );
    expect(seen).toEqual({ client: hostile, correlation: `${hostile} correlation` });
    const [event] = await withTenantTransaction(pool, users.alice, (c) => listAuditEvents(c, { limit: 1 }));
    expect(event).toMatchObject({
      clientId: hostile,
      correlationId: `${hostile} correlation`,
      documentIds: ['00000000-0000-4000-8000-000000000001'],
      outcome: 'not_found',
    });
    expect(event?.detail).toContain(`${hostile} and a NUL: \\u0000`);
    expect(event?.detail).toContain(`non-uuid ids: ${JSON.stringify([hostile])}`);
  });

  it('refuses an event written for another tenant or user than the transaction carries', async () => {
    const error = await withTenantTransaction(pool, users.alice, (c) =>
      c.query(
        `INSERT INTO audit_events (tenant_id, user_id, client_id, tool, outcome, correlation_id)
         VALUES ('globex', 'carol', 'x', 'forged', 'ok', 'x')`,
      ),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: '42501',
      message: 'new row violates row-level security policy for table "audit_events"',
    });
  });

  it('denies the application role UPDATE, DELETE and TRUNCATE on audit rows', async () => {
    await recordAuditEvent(pool, users.alice, { tool: 'documents.list', documentIds: [], outcome: 'ok' });
    for (const statement of [
      `UPDATE audit_events SET outcome = 'ok'`,
      'DELETE FROM audit_events',
      'TRUNCATE audit_events',
    ]) {
      const error = await db.queryAsAppRole(statement).catch((e: unknown) => e);
      expect({ statement, error }).toMatchObject({
        statement,
        error: { code: '42501', message: 'permission denied for table audit_events' },
      });
      // Inside a tenant transaction too.
      const inTenant = await withTenantTransaction(pool, users.acmeAdmin, (c) => c.query(statement)).catch((e) => e);
      expect(inTenant).toMatchObject({ code: '42501', message: 'permission denied for table audit_events' });
    }
  });

  it('rejects UPDATE, DELETE and TRUNCATE even for the owner and superusers, by trigger', async () => {
    const before = await db.adminPool.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_events');
    expect(before.rows[0]!.n).toBeGreaterThan(0);
    for (const [statement, operation] of [
      [`UPDATE audit_events SET outcome = 'ok'`, 'UPDATE'],
      ['DELETE FROM audit_events', 'DELETE'],
      ['TRUNCATE audit_events', 'TRUNCATE'],
      // Statement-level: fires even when no row matches.
      ['DELETE FROM audit_events WHERE false', 'DELETE'],
    ] as const) {
      const error = await db.adminPool.query(statement).catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: '2F003',
        message: `audit_events is append-only: ${operation} is not allowed`,
      });
    }
    const after = await db.adminPool.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_events');
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });
});
