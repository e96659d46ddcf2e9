import type pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isConnectionLoss } from '../../src/data/connection-loss.js';
import { createDatabasePool } from '../../src/data/pool.js';
import { type DatabasePoolObserver, observeDatabasePool } from '../../src/data/pool-supervision.js';
import type { TenantContext } from '../../src/data/tenant-context.js';
import { withTenantTransaction } from '../../src/data/tenant-transaction.js';
import { findPostgresBinaries, type PostgresCluster, startPostgresCluster } from './postgres-cluster.js';

const binDir = findPostgresBinaries();
if (!binDir)
  console.info('Postgres transaction fault tests not run: no Postgres server binaries under /usr/lib/postgresql');

const APPLICATION = 'mcp-transaction-faults';
const ctx: TenantContext = {
  tenantId: 'acme',
  userId: 'alice',
  roles: [],
  clientId: 'test-client',
  correlationId: 'req-fault-1',
};

type PoolEvent = { kind: keyof DatabasePoolObserver; state?: string; correlationId?: string };

describe.runIf(binDir)('tenant transactions whose connection dies (own cluster)', () => {
  let cluster: PostgresCluster;
  let pool: pg.Pool;
  let events: PoolEvent[];
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => uncaught.push(error);

  beforeAll(async () => {
    process.on('uncaughtException', onUncaught);
    cluster = await startPostgresCluster(binDir!);
  });
  afterAll(async () => {
    await cluster?.destroy();
    process.off('uncaughtException', onUncaught);
  });
  const openPool = () => {
    // This pool's own list: a connection of the previous test's pool may still report its loss late.
    const own: PoolEvent[] = [];
    events = own;
    pool = createDatabasePool({ connectionString: cluster.appUrl, maxConnections: 2, applicationName: APPLICATION });
    observeDatabasePool(pool, {
      connectionLost: ({ state, correlationId }) => own.push({ kind: 'connectionLost', state, correlationId }),
      transactionRetried: ({ correlationId }) => own.push({ kind: 'transactionRetried', correlationId }),
      tenantWaited: () => own.push({ kind: 'tenantWaited' }),
    });
  };
  afterEach(async () => {
    await pool?.end();
    expect(uncaught).toEqual([]);
  });

  const backendPid = async (client: pg.PoolClient) =>
    (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;

  it('a connection killed between two queries fails that transaction only; the work is not repeated', async () => {
    openPool();
    let runs = 0;
    let firstPid = 0;
    const failure = await withTenantTransaction(pool, ctx, async (client) => {
      runs += 1;
      firstPid = await backendPid(client);
      // The backend dies while no query is running: pg reports it only as an `error` event on the client.
      await cluster.terminateBackends(APPLICATION);
      await expect.poll(() => events.length).toBeGreaterThan(0);
      return client.query('SELECT 1');
    }).catch((error: unknown) => error);

    expect(isConnectionLoss(failure)).toBe(true);
    expect(runs).toBe(1);
    expect(events).toEqual([{ kind: 'connectionLost', state: 'in_use', correlationId: ctx.correlationId }]);
    // The dead connection left the pool; the next transaction gets a fresh backend.
    expect(pool.totalCount).toBe(0);
    const nextPid = await withTenantTransaction(pool, ctx, backendPid);
    expect(nextPid).not.toBe(firstPid);
  });

  it("a connection killed during a query fails with the server's 57P01 and is not retried", async () => {
    openPool();
    let runs = 0;
    const sleeping = withTenantTransaction(pool, ctx, async (client) => {
      runs += 1;
      return client.query('SELECT pg_sleep(5)');
    }).catch((error: unknown) => error);
    await expect
      .poll(async () => {
        const { rows } = await pool.query(
          `SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND query = 'SELECT pg_sleep(5)'`,
          [APPLICATION],
        );
        return rows.length;
      })
      .toBe(1);
    await cluster.terminateBackends(APPLICATION);
    const failure = await sleeping;
    expect(failure).toMatchObject({ code: '57P01' });
    expect(runs).toBe(1);
    expect(events.filter((event) => event.kind === 'transactionRetried')).toEqual([]);
  });

  it('a pooled connection found dead before the work runs is replaced once, and the work runs on the fresh one', async () => {
    openPool();
    let cut = 0;
    // A network cut that only shows when the connection is next used: the socket dies as the pool hands it out.
    pool.on('acquire', (client) => {
      if (cut === 0) {
        cut += 1;
        (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
      }
    });
    let runs = 0;
    const answer = await withTenantTransaction(pool, ctx, async (client) => {
      runs += 1;
      return (await client.query<{ tenant: string }>(`SELECT current_setting('app.tenant_id') AS tenant`)).rows[0];
    });
    expect(answer).toEqual({ tenant: 'acme' });
    expect(runs).toBe(1);
    expect(events).toEqual([
      { kind: 'connectionLost', state: 'in_use', correlationId: ctx.correlationId },
      { kind: 'transactionRetried', correlationId: ctx.correlationId },
    ]);
  });

  it('retries at most once: a second dead connection fails the transaction before any work', async () => {
    openPool();
    pool.on('acquire', (client) => {
      (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    });
    let runs = 0;
    const failure = await withTenantTransaction(pool, ctx, async () => {
      runs += 1;
    }).catch((error: unknown) => error);
    expect(isConnectionLoss(failure)).toBe(true);
    expect(runs).toBe(0);
    expect(events.filter((event) => event.kind === 'transactionRetried')).toHaveLength(1);
  });
});
