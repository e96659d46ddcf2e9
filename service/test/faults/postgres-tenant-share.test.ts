import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../src/contract.js';
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
if (!binDir) console.info('Postgres tenant-share test not run: no Postgres server binaries under /usr/lib/postgresql');

const POOL = 4;
const SHARE = 2;

describe.runIf(binDir)('tenant share of the database pool (own cluster)', () => {
  let cluster: PostgresCluster;
  let target: ServiceUnderTest;
  const concurrency = new TenantConcurrency();

  beforeAll(async () => {
    cluster = await startPostgresCluster(binDir!);
    target = await startServiceUnderTest({
      backend: 'postgres',
      database: clusterTestDatabase(cluster),
      ownPool: true,
      env: { [ENV.databasePoolMax]: String(POOL), [ENV.databaseTenantMaxConnections]: String(SHARE) },
      registerExtras: registerSlowReadTool({ pool: () => target.service.pool, concurrency }),
    });
  });
  afterAll(async () => {
    await target?.close().catch(() => {});
    await cluster?.destroy();
  });

  it('a tenant saturating with slow queries waits behind its own calls; another tenant is served at once', async () => {
    const [noisy, quiet] = await Promise.all([
      target.tokenFor({ sub: 'batch-bot', tenant: 'noisy' }),
      target.tokenFor({ sub: 'alice', tenant: 'quiet' }),
    ]);
    // Three times the pool's worth of slow calls: without a share they would hold every connection.
    let noisyDone = 0;
    const noisyCalls = Array.from({ length: 3 * POOL }, () =>
      callTool(target.mcpUrl, noisy, SLOW_READ_TOOL, { seconds: 0.4 }).then((answer) => {
        noisyDone += 1;
        return answer;
      }),
    );
    await expect.poll(() => concurrency.current('noisy'), { timeout: 5_000, interval: 10 }).toBe(SHARE);

    const quietCalls: Promise<ToolAnswer>[] = [
      callTool(target.mcpUrl, quiet, 'list_documents', {}),
      callTool(target.mcpUrl, quiet, 'search_documents', { query: 'anything' }),
      callTool(target.mcpUrl, quiet, SLOW_READ_TOOL, { seconds: 0 }),
    ];
    for (const answer of await Promise.all(quietCalls)) expect(answer.isError, answer.text).toBe(false);
    // The quiet tenant was answered before the first of the noisy tenant's calls had finished.
    expect(noisyDone).toBe(0);

    // The noisy tenant's calls all complete, never more than its share at once.
    for (const answer of await Promise.all(noisyCalls)) expect(answer.isError, answer.text).toBe(false);
    expect(concurrency.peak('noisy')).toBe(SHARE);

    const metrics = parsePrometheusText(await (await fetch(`${target.service.metricsAddress}/metrics`)).text());
    // Every noisy call beyond its share waited (the quiet tenant's third call may have too).
    expect(sampleValue(metrics, 'mcp_db_tenant_waits_total', { outcome: 'acquired' })).toBeGreaterThanOrEqual(
      3 * POOL - SHARE,
    );
  });
});
