import type { AuthInfo } from '@modelcontextprotocol/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV, MCP_SCOPES } from '../../src/contract.js';
import { listAuditEvents, recordAuditEvent } from '../../src/data/audit-log.js';
import { isDataLayerError } from '../../src/data/errors.js';
import { createDatabasePool } from '../../src/data/pool.js';
import { type DatabasePoolObserver, observeDatabasePool } from '../../src/data/pool-supervision.js';
import { withTenantTransaction } from '../../src/data/tenant-transaction.js';
import { InFlightWork } from '../../src/http/in-flight-work.js';
import { runAudited } from '../../src/mcp/execute-tool.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { users } from './tenant-fixtures.js';

const serverUrl = process.env[ENV.databaseUrl];
if (!serverUrl) console.info(`tenant share test not run: ${ENV.databaseUrl} is not set (embedded has one connection)`);

describe.runIf(serverUrl)('tenant share in withTenantTransaction (postgres)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('postgres');
  });
  afterAll(async () => {
    await db?.close();
  });

  /** Holds one transaction of `ctx` open until the returned function is called. */
  const holdTransaction = async (pool: Parameters<typeof withTenantTransaction>[0], ctx = users.alice) => {
    let release!: () => void;
    let started!: () => void;
    const isStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    const done = withTenantTransaction(pool, ctx, async () => {
      started();
      await new Promise<void>((resolve) => {
        release = resolve;
      });
    });
    await isStarted;
    return async () => {
      release();
      await done;
    };
  };

  it("refuses a tenant's transaction beyond its share after the connection timeout; other tenants go ahead", async () => {
    const waits: Parameters<DatabasePoolObserver['tenantWaited']>[0][] = [];
    const pool = createDatabasePool({
      connectionString: db.appConnectionString,
      maxConnections: 3,
      tenantMaxConnections: 1,
      connectionTimeoutMs: 150,
    });
    observeDatabasePool(pool, {
      connectionLost() {},
      transactionRetried() {},
      tenantWaited: (event) => waits.push(event),
    });
    try {
      const finish = await holdTransaction(pool, users.alice);
      // bob is alice's tenant (acme): the same share.
      const refused = await withTenantTransaction(pool, users.bob, async () => 'ran').catch((error: unknown) => error);
      expect(isDataLayerError(refused, 'tenant_connections_busy')).toBe(true);
      expect(waits).toEqual([
        expect.objectContaining({
          outcome: 'timed_out',
          tenantId: 'acme',
          correlationId: users.bob.correlationId,
          limit: 1,
        }),
      ]);
      // Another tenant is not held back, and the pool had room all along.
      await expect(withTenantTransaction(pool, users.carol, async () => 'ran')).resolves.toBe('ran');
      expect(pool.totalCount).toBeLessThan(3);

      // The refusal can still be audited while the tenant's share is taken: the audit record stands outside it.
      await recordAuditEvent(pool, users.bob, { tool: 'list_documents', documentIds: [], outcome: 'error' });
      await finish();
      const events = await withTenantTransaction(pool, users.acmeAdmin, (client) =>
        listAuditEvents(client, { limit: 1 }),
      );
      expect(events[0]).toMatchObject({ userId: 'bob', outcome: 'error', correlationId: users.bob.correlationId });
    } finally {
      await pool.end();
    }
  });

  it('answers a tool call refused for the tenant share with a retryable message and audits it', async () => {
    const pool = createDatabasePool({
      connectionString: db.appConnectionString,
      maxConnections: 3,
      tenantMaxConnections: 1,
      connectionTimeoutMs: 150,
    });
    const logged: string[] = [];
    const deps = {
      pool,
      logger: { error: (_details: Record<string, unknown>, message: string) => logged.push(message) },
      work: new InFlightWork(),
    };
    const bob = users.bob;
    const authInfo: AuthInfo = {
      token: 'unused',
      clientId: bob.clientId,
      scopes: [MCP_SCOPES.read],
      extra: {
        correlationId: bob.correlationId,
        identity: {
          subject: bob.userId,
          tenantId: bob.tenantId,
          roles: bob.roles,
          scopes: [MCP_SCOPES.read],
          clientId: bob.clientId,
          issuer: 'https://issuer.example.test',
        },
      },
    };
    try {
      const finish = await holdTransaction(pool, users.alice);
      const outcome = await runAudited('list_documents', MCP_SCOPES.read, authInfo, deps, async () => ({
        ok: true as const,
        value: 'ran',
        documentIds: [],
      }));
      expect(outcome).toEqual({
        ok: false,
        outcome: 'error',
        message: `list_documents is busy for your organisation: retry in a few seconds. Reference: ${bob.correlationId}.`,
      });
      // A load condition, not a fault: no error line (the data layer logs a warning).
      expect(logged).toEqual([]);
      await finish();
      const events = await withTenantTransaction(pool, users.acmeAdmin, (client) =>
        listAuditEvents(client, { limit: 1 }),
      );
      expect(events[0]).toMatchObject({ userId: bob.userId, outcome: 'error', correlationId: bob.correlationId });
    } finally {
      await pool.end();
    }
  });

  it("hands a tenant's freed slot to its next waiter, which then runs", async () => {
    const waits: string[] = [];
    const pool = createDatabasePool({
      connectionString: db.appConnectionString,
      maxConnections: 3,
      tenantMaxConnections: 1,
      connectionTimeoutMs: 5_000,
    });
    observeDatabasePool(pool, {
      connectionLost() {},
      transactionRetried() {},
      tenantWaited: ({ outcome }) => waits.push(outcome),
    });
    try {
      const finish = await holdTransaction(pool, users.alice);
      const waiting = withTenantTransaction(pool, users.bob, async () => 'ran');
      await expect.poll(() => pool.totalCount).toBe(1);
      await finish();
      await expect(waiting).resolves.toBe('ran');
      expect(waits).toEqual(['acquired']);
    } finally {
      await pool.end();
    }
  });
});
