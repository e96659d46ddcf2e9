/**
 * How the refusal audit bounds its writes: per caller, operation and kind, one row at once and one summary row when
 * the window closes, whatever the number of refusals; a refusal after the window opens a new one. Against a real
 * database, with a short window.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Identity } from '../../src/auth/identity.js';
import { createRefusalAudit, type HttpRefusal } from '../../src/mcp/refusal-audit.js';
import { availableDatabaseBackends, createTestDatabase, type TestDatabase } from '../helpers/database.js';

const WINDOW_MS = 300;
const backend = availableDatabaseBackends()[0] ?? 'embedded';

const identityOf = (subject: string): Identity => ({
  subject,
  tenantId: 'acme',
  roles: [],
  scopes: ['mcp:read'],
  clientId: 'test-client',
  issuer: 'http://127.0.0.1/issuer',
  expiresAt: Math.floor(Date.now() / 1000) + 300,
});

describe(`refusal audit windows, on the ${backend} database`, () => {
  let database: TestDatabase;
  const errors: unknown[] = [];

  const detailsOf = async (user: string) => {
    const { rows } = await database.adminPool.query<{ tool: string; correlation_id: string; detail: string }>(
      'SELECT tool, correlation_id, detail FROM audit_events WHERE user_id = $1 ORDER BY id',
      [user],
    );
    return rows;
  };
  const refusal = (user: string, correlationId: string, name = 'create_document'): HttpRefusal => ({
    identity: identityOf(user),
    correlationId,
    message: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name } },
    kind: 'insufficient_scope',
    detail: 'missing mcp:write',
  });

  beforeAll(async () => {
    database = await createTestDatabase(backend);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('writes the first refusal at once and the rest of the window as one summary row when it closes', async () => {
    const audit = createRefusalAudit({
      pool: database.appPool,
      logger: { error: (details) => void errors.push(details) },
      windowMs: WINDOW_MS,
    });
    for (let i = 1; i <= 50; i++) audit.record(refusal('flood', `flood-${i}`));
    // Another operation of the same caller is its own key.
    audit.record(refusal('flood', 'other-1', 'delete_document'));

    await vi.waitFor(async () => expect(await detailsOf('flood')).toHaveLength(3), { timeout: 5_000, interval: 25 });
    const rows = await detailsOf('flood');
    expect(rows.filter((row) => row.tool === 'delete_document')).toEqual([
      { tool: 'delete_document', correlation_id: 'other-1', detail: 'insufficient_scope: missing mcp:write' },
    ]);
    expect(rows.filter((row) => row.tool === 'create_document')).toEqual([
      { tool: 'create_document', correlation_id: 'flood-1', detail: 'insufficient_scope: missing mcp:write' },
      {
        tool: 'create_document',
        correlation_id: 'flood-50',
        detail: 'insufficient_scope: 49 more like flood-1 within 0.3 s (missing mcp:write)',
      },
    ]);

    // The window has closed: the next refusal is written at once again.
    audit.record(refusal('flood', 'flood-51'));
    await vi.waitFor(async () => expect(await detailsOf('flood')).toHaveLength(4), { timeout: 5_000, interval: 25 });
    await audit.flush();
    expect(await detailsOf('flood')).toHaveLength(4);
    expect(errors).toEqual([]);
  });

  it('answers even when the audit cannot be written, and logs what was lost', async () => {
    const audit = createRefusalAudit({
      pool: database.appPool,
      logger: { error: (details) => void errors.push(details) },
      windowMs: WINDOW_MS,
    });
    // A tenant context the data layer refuses (empty user) stands for any failed write.
    const broken = refusal('', 'broken-1');
    expect(() => audit.record(broken)).not.toThrow();
    await audit.flush();
    expect(errors).toEqual([expect.objectContaining({ operation: 'create_document', refusals: 1 })]);
  });
});
