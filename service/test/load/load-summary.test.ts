import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../load/load-runner.js';
import { summariseRun } from '../../load/load-summary.js';
import { formatSummary } from '../../load/summary-text.js';

const record = (kind: RunRecord['kind'], outcome: RunRecord['outcome'], latencyMs?: number, tenant = 't1') =>
  ({ kind, outcome, latencyMs, tenant }) satisfies RunRecord;

const context = {
  target: 'http://x/mcp',
  runId: 'abcd',
  startedAt: new Date(0),
  concurrency: 2,
  tenants: ['t1', 't2'],
};

describe('the load summary', () => {
  // Reads 1..100 ms, one each: nearest-rank percentiles are exact observed values.
  const reads = Array.from({ length: 100 }, (_, index) => record('read', 'ok', index + 1));
  const records = [
    ...reads,
    record('create', 'ok', 5, 't2'),
    record('create', 'http_429', 1, 't1'),
    record('search', 'timeout'),
    record('search', 'tool_error', 3),
  ];
  const summary = summariseRun({ records, elapsedMs: 2_000, stoppedBy: 'duration' }, context);

  it('gives nearest-rank percentiles, max and mean per kind', () => {
    expect(summary.byKind.read.latencyMs).toEqual({ p50: 50, p90: 90, p99: 99, max: 100, mean: 50.5 });
    expect(summary.byKind.read.throughput).toBe(50);
  });

  it('leaves failed requests out of the latencies but counts them as errors and failures', () => {
    expect(summary.byKind.search.latencyMs).toBeNull();
    expect(summary.byKind.create.latencyMs).toEqual({ p50: 5, p90: 5, p99: 5, max: 5, mean: 5 });
    expect(summary.byKind.search.errors).toEqual({ timeout: 1, tool_error: 1 });
    expect(summary.overall).toMatchObject({
      requests: 104,
      ok: 101,
      errors: { http_429: 1, timeout: 1, tool_error: 1 },
    });
    expect(summary.failures).toBe(1);
    expect(summary.createdByTenant).toEqual({ t2: 1 });
    expect(summary.callers).toEqual({ tokens: 2, tenants: 2 });
  });

  it('prints a table by kind, errors by kind and where documents were created', () => {
    const text = formatSummary(summary);
    expect(text).toMatch(/^read\s+100\s+100\s+50\.0\s+50\.0\s+90\.0\s+99\.0\s+100\.0$/m);
    expect(text).toMatch(/^all\s+104\s+101\s+52\.0\s/m);
    expect(text).toContain('errors: 429 rate limited: 1 (create 1)');
    expect(text).toContain('errors: timeout: 1 (search 1)');
    expect(text).toContain('created: t2 1 (tag load-test)');
    expect(text).toContain('FAILED: 1 requests ended in a 5xx, a timeout or a connection error');
  });
});
