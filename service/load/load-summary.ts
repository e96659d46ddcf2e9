import { type ErrorKind, FAILURE_KINDS } from './answer-outcome.js';
import type { RunRecord, RunResult } from './load-runner.js';
import { LOAD_KINDS, type LoadKind } from './weighted-mix.js';

export interface LatencyFigures {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export interface KindFigures {
  requests: number;
  ok: number;
  /** Completed requests per second of the run. */
  throughput: number;
  /**
   * Milliseconds, over the requests that succeeded: a refusal (401, 429) is answered before any work and would make
   * an overloaded service look fast. Null when none succeeded.
   */
  latencyMs: LatencyFigures | null;
  errors: Partial<Record<ErrorKind, number>>;
}

export interface LoadSummary {
  target: string;
  runId: string;
  startedAt: string;
  elapsedSeconds: number;
  stoppedBy: RunResult['stoppedBy'];
  concurrency: number;
  callers: { tokens: number; tenants: number };
  overall: KindFigures;
  byKind: Record<LoadKind, KindFigures>;
  /** Documents created, by the tenant claim of the token that created them. */
  createdByTenant: Record<string, number>;
  /** Requests that failed with a 5xx, a timeout or a connection error: any makes the exit status 1. */
  failures: number;
}

const round = (value: number, places = 2) => Math.round(value * 10 ** places) / 10 ** places;

/** Nearest-rank percentile of sorted values: an observed latency, never an interpolated one. */
function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)] as number;
}

function latencyOf(records: readonly RunRecord[]): LatencyFigures | null {
  const latencies = records
    .filter((record) => record.outcome === 'ok')
    .map((record) => record.latencyMs)
    .filter((latency): latency is number => latency !== undefined)
    .sort((left, right) => left - right);
  if (latencies.length === 0) return null;
  const total = latencies.reduce((sum, latency) => sum + latency, 0);
  return {
    p50: round(percentile(latencies, 0.5)),
    p90: round(percentile(latencies, 0.9)),
    p99: round(percentile(latencies, 0.99)),
    max: round(latencies.at(-1) as number),
    mean: round(total / latencies.length),
  };
}

function figuresOf(records: readonly RunRecord[], elapsedSeconds: number): KindFigures {
  const errors: Partial<Record<ErrorKind, number>> = {};
  let ok = 0;
  for (const { outcome } of records) {
    if (outcome === 'ok') ok += 1;
    else errors[outcome] = (errors[outcome] ?? 0) + 1;
  }
  return {
    requests: records.length,
    ok,
    throughput: elapsedSeconds > 0 ? round(records.length / elapsedSeconds, 1) : 0,
    latencyMs: latencyOf(records),
    errors,
  };
}

export function summariseRun(
  run: RunResult,
  context: { target: string; runId: string; startedAt: Date; concurrency: number; tenants: readonly string[] },
): LoadSummary {
  const elapsedSeconds = run.elapsedMs / 1000;
  const byKind = Object.fromEntries(
    LOAD_KINDS.map((kind) => [
      kind,
      figuresOf(
        run.records.filter((record) => record.kind === kind),
        elapsedSeconds,
      ),
    ]),
  ) as Record<LoadKind, KindFigures>;
  const createdByTenant: Record<string, number> = {};
  // In tenant order, numbers as numbers: load-tenant-2 before load-tenant-10.
  const inTenantOrder = [...run.records].sort((left, right) =>
    left.tenant.localeCompare(right.tenant, 'en', { numeric: true }),
  );
  for (const record of inTenantOrder) {
    if (record.kind === 'create' && record.outcome === 'ok') {
      createdByTenant[record.tenant] = (createdByTenant[record.tenant] ?? 0) + 1;
    }
  }
  return {
    target: context.target,
    runId: context.runId,
    startedAt: context.startedAt.toISOString(),
    elapsedSeconds: round(elapsedSeconds),
    stoppedBy: run.stoppedBy,
    concurrency: context.concurrency,
    callers: { tokens: context.tenants.length, tenants: new Set(context.tenants).size },
    overall: figuresOf(run.records, elapsedSeconds),
    byKind,
    createdByTenant,
    failures: run.records.filter((record) => (FAILURE_KINDS as readonly string[]).includes(record.outcome)).length,
  };
}
