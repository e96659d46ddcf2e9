import type { LoadResult } from './load.js';
import { P99_BOUND_MS, type Scenario } from './scenarios.js';

/** The goals of the issue, as figures and bounds. The bench reports them; it does not fail on them. */
export const GOALS = {
  requestPathRatio: 2.5,
  rssMiB: 150,
  /** Last RSS sample of the soak against its first sample under load. */
  soakGrowth: 0.1,
  readyMs: 1_000,
} as const;

export interface GoalInputs {
  scenarios: readonly Scenario[];
  results: ReadonlyMap<string, LoadResult>;
  readyMs: number;
  serviceRssBytes?: number;
  soak?: { firstBytes: number; lastBytes: number };
}

export interface GoalLine {
  /** undefined: not measured in this run. */
  met: boolean | undefined;
  text: string;
}

export const MIB = 1024 * 1024;

export function ratio(
  results: ReadonlyMap<string, LoadResult>,
  service: string,
  reference: string,
): number | undefined {
  const svc = results.get(service);
  const ref = results.get(reference);
  return svc && ref && ref.requestsPerSecond > 0 ? svc.requestsPerSecond / ref.requestsPerSecond : undefined;
}

export function evaluateGoals(inputs: GoalInputs): GoalLine[] {
  const lines: GoalLine[] = [];
  for (const [label, service, reference] of [
    ['list/ref', 'svc tools/list', 'ref tools/list'],
    ['get/ref', 'svc get_document', 'ref get_document'],
  ] as const) {
    const value = ratio(inputs.results, service, reference);
    lines.push({
      met: value === undefined ? undefined : value >= GOALS.requestPathRatio,
      text: `${label} ${value === undefined ? '—' : `${value.toFixed(2)}×`} (≥ ${GOALS.requestPathRatio}×)`,
    });
  }
  for (const scenario of inputs.scenarios) {
    if (!scenario.matching) continue;
    const bound = P99_BOUND_MS[scenario.matching];
    const result = inputs.results.get(scenario.name);
    const label = `${scenario.name} p99`;
    const limit = `(≤ ${bound} ms, ${scenario.matching})`;
    if (!result) lines.push({ met: undefined, text: `${label} — ${limit}` });
    // Nothing answered: autocannon's latencies are then 0, which must not read as fast.
    else if (result.requests === 0)
      lines.push({ met: false, text: `${label}: no request answered in the run ${limit}` });
    else lines.push({ met: result.p99Ms <= bound, text: `${label} ${result.p99Ms} ms ${limit}` });
  }
  const rss = inputs.serviceRssBytes;
  lines.push({
    met: rss === undefined ? undefined : rss <= GOALS.rssMiB * MIB,
    text: `service RSS after the benchmark ${rss === undefined ? '—' : `${(rss / MIB).toFixed(1)} MiB`} (≤ ${GOALS.rssMiB} MiB)`,
  });
  if (inputs.soak) {
    const growth = inputs.soak.lastBytes / inputs.soak.firstBytes - 1;
    lines.push({
      // Compared as bytes, not as the ratio: 220 / 200 - 1 is a hair above 0.1 in floating point.
      met: inputs.soak.lastBytes <= inputs.soak.firstBytes * (1 + GOALS.soakGrowth),
      text: `service RSS flat over the soak: last sample ${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(1)} % against the first under load (≤ +${GOALS.soakGrowth * 100} %)`,
    });
  } else {
    lines.push({ met: undefined, text: 'service RSS flat over a soak (run with --soak 300)' });
  }
  lines.push({
    met: inputs.readyMs <= GOALS.readyMs,
    text: `/ready ${Math.round(inputs.readyMs)} ms after process start (≤ ${GOALS.readyMs} ms)`,
  });
  return lines;
}

export function formatGoal(line: GoalLine): string {
  const verdict = line.met === undefined ? 'not measured' : line.met ? 'met' : 'not met';
  return `  ${verdict.padEnd(13)} ${line.text}`;
}
