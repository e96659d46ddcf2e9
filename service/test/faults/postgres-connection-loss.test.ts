import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV, PATHS } from '../../src/contract.js';
import { callTool, type ToolAnswer } from '../helpers/json-rpc-call.js';
import { type ServiceUnderTest, startServiceUnderTest } from '../helpers/service-under-test.js';
import { parsePrometheusText, sampleValue } from '../observability/prometheus-text.js';
import {
  clusterTestDatabase,
  findPostgresBinaries,
  type PostgresCluster,
  startPostgresCluster,
} from './postgres-cluster.js';
import { registerSlowReadTool, SLOW_READ_TOOL, TenantConcurrency } from './postgres-slow-tool.js';

const binDir = findPostgresBinaries();
if (!binDir) console.info('Postgres fault tests not run: no Postgres server binaries under /usr/lib/postgresql');

/** The application_name of the service's own pool (start-service.ts): what the faults aim at. */
const SERVICE_APPLICATION = 'mcp-server';
const TENANTS = ['acme', 'globex', 'initech', 'umbrella'];
const REFERENCE = /Reference: ([\w-]+)\./;

describe.runIf(binDir)('Postgres faults under load (own cluster)', () => {
  let cluster: PostgresCluster;
  let target: ServiceUnderTest;
  const logLines: Array<{ level: number; msg: string; [key: string]: unknown }> = [];
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => uncaught.push(error);

  beforeAll(async () => {
    process.on('uncaughtException', onUncaught);
    cluster = await startPostgresCluster(binDir!);
    target = await startServiceUnderTest({
      backend: 'postgres',
      database: clusterTestDatabase(cluster),
      ownPool: true,
      env: { [ENV.databasePoolMax]: '10', [ENV.logLevel]: 'warn' },
      logDestination: { write: (line) => logLines.push(JSON.parse(line)) },
      registerExtras: registerSlowReadTool({ pool: () => target.service.pool, concurrency: new TenantConcurrency() }),
    });
  });
  afterAll(async () => {
    await target?.close().catch(() => {});
    await cluster?.destroy();
    process.off('uncaughtException', onUncaught);
  });

  const tokens = () => Promise.all(TENANTS.map((tenant) => target.tokenFor({ sub: `user-${tenant}`, tenant })));
  const slowReads = (all: string[], count: number, seconds: number): Promise<ToolAnswer>[] =>
    Array.from({ length: count }, (_, i) => callTool(target.mcpUrl, all[i % all.length]!, SLOW_READ_TOOL, { seconds }));
  const ready = async () => (await fetch(`${target.baseUrl}${PATHS.ready}`)).status;
  const activeSleeps = async () => {
    const { rows } = await target.database.adminPool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE application_name = $1 AND state = 'active' AND query LIKE 'SELECT pg_sleep%'`,
      [SERVICE_APPLICATION],
    );
    return rows[0]!.n;
  };
  const auditOutcomes = async (references: string[]) => {
    const client = new pg.Client({ connectionString: cluster.adminUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ correlation_id: string; outcome: string }>(
        'SELECT correlation_id, outcome FROM audit_events WHERE correlation_id = ANY($1)',
        [references],
      );
      return rows;
    } finally {
      await client.end();
    }
  };

  it('a backend killed mid-request fails only that request, cleanly and audited; the pool replaces it', async () => {
    const all = await tokens();
    const answers = slowReads(all, 16, 1);
    // Every pooled connection is inside a slow read when the backends die (57P01, as in a failover).
    await expect.poll(activeSleeps, { timeout: 5_000, interval: 25 }).toBe(10);
    expect(await cluster.terminateBackends(SERVICE_APPLICATION)).toBeGreaterThanOrEqual(10);

    const settled = await Promise.all(answers);
    const failed = settled.filter((answer) => answer.isError);
    expect(failed.length).toBeGreaterThanOrEqual(10);
    for (const answer of failed) {
      expect(answer.text).toMatch(REFERENCE);
      expect(answer.text).not.toMatch(/terminat|57P01|127\.0\.0\.1|postgres/i);
    }
    // The calls that waited for a connection ran on fresh ones and succeeded.
    expect(settled.filter((answer) => !answer.isError).length).toBe(16 - failed.length);

    // Each failure is on record, under the reference its caller was given.
    const references = failed.map((answer) => REFERENCE.exec(answer.text)![1]!);
    const audited = await auditOutcomes(references);
    expect(audited.map((row) => row.correlation_id).sort()).toEqual([...references].sort());
    expect(new Set(audited.map((row) => row.outcome))).toEqual(new Set(['error']));

    const again = await callTool(target.mcpUrl, all[0]!, 'list_documents', {});
    expect(again.isError).toBe(false);
    expect(uncaught).toEqual([]);

    // The operator's view: one warning per lost connection, under the reference the caller was given, and a count.
    const lostLogged = logLines.filter((line) => line.msg === 'database connection lost' && line.state === 'in_use');
    expect(lostLogged.map((line) => line.correlationId)).toEqual(expect.arrayContaining(references));
    const metrics = parsePrometheusText(await (await fetch(`${target.service.metricsAddress}/metrics`)).text());
    expect(sampleValue(metrics, 'mcp_db_connections_lost_total', { state: 'in_use' })).toBe(lostLogged.length);
  });

  it.each(['fast', 'immediate'] as const)(
    'Postgres stopped (%s) under load: clean tool errors and /ready 503; back: /ready 200 and calls succeed',
    async (mode) => {
      const all = await tokens();
      const answers = slowReads(all, 12, 1);
      await expect.poll(activeSleeps, { timeout: 5_000, interval: 25 }).toBe(10);
      await cluster.stop(mode);
      try {
        for (const answer of await Promise.all(answers)) {
          expect(answer.isError).toBe(true);
          expect(answer.text).toMatch(REFERENCE);
        }
        // While it is down: a call fails fast and cleanly, and the pod leaves the load balancer.
        const down = await callTool(target.mcpUrl, all[1]!, 'list_documents', {});
        expect(down.isError).toBe(true);
        expect(down.text).toMatch(REFERENCE);
        expect(await ready()).toBe(503);
      } finally {
        await cluster.start();
      }
      await expect.poll(ready, { timeout: 10_000, interval: 50 }).toBe(200);
      const back = await callTool(target.mcpUrl, all[2]!, 'list_documents', {});
      expect(back.isError).toBe(false);
      const slow = await callTool(target.mcpUrl, all[3]!, SLOW_READ_TOOL, { seconds: 0 });
      expect(slow.isError).toBe(false);
      expect(uncaught).toEqual([]);
    },
  );
});
