import { describe, expect, it } from 'vitest';
import { ENV, WORKLOAD } from '../../src/contract.js';
import { createDatabasePool } from '../../src/data/pool.js';

const serverUrl = process.env[ENV.databaseUrl];
if (!serverUrl) {
  console.info(
    `pool settings test not run: ${ENV.databaseUrl} is not set, and the embedded server ignores connection settings`,
  );
}

describe.runIf(serverUrl)('database pool on postgres', () => {
  it('applies the statement timeout, idle-in-transaction timeout and application name to every connection', async () => {
    const pool = createDatabasePool({ connectionString: serverUrl!, statementTimeoutMs: 250, maxConnections: 1 });
    try {
      const { rows } = await pool.query(
        `SELECT current_setting('statement_timeout') AS statement_timeout,
                current_setting('idle_in_transaction_session_timeout') AS idle_in_transaction,
                current_setting('application_name') AS application_name`,
      );
      expect(rows[0]).toEqual({
        statement_timeout: '250ms',
        idle_in_transaction: '1min',
        application_name: WORKLOAD.name,
      });
      await expect(pool.query('SELECT pg_sleep(2)')).rejects.toMatchObject({ code: '57014' });
    } finally {
      await pool.end();
    }
  });

  it('reports idle connection failures to the given handler instead of crashing', async () => {
    const failures: Error[] = [];
    const pool = createDatabasePool({
      connectionString: serverUrl!,
      maxConnections: 1,
      applicationName: 'mcp-pool-test',
      onIdleClientError: (error) => failures.push(error),
    });
    const killer = createDatabasePool({ connectionString: serverUrl!, maxConnections: 1 });
    try {
      const { rows } = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await killer.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
      await expect.poll(() => failures.length).toBeGreaterThan(0);
      // The pool replaced the dead connection.
      await expect(pool.query('SELECT 1 AS ok')).resolves.toMatchObject({ rows: [{ ok: 1 }] });
    } finally {
      await Promise.all([pool.end(), killer.end()]);
    }
  });
});
