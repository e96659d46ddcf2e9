import type { MetricObject, Registry } from 'prom-client';
import { type PromqlSelector, promqlSelectors } from './promql-selectors';

/** Labels Prometheus adds to every series scraped through a ServiceMonitor (target labels). */
export const TARGET_LABELS = ['job', 'namespace', 'pod', 'service', 'endpoint', 'instance', 'container'];

/** Every series name a prom-client registry exposes, with the labels each may carry once scraped. */
export function exportedSeries(registry: Registry): Map<string, Set<string>> {
  const series = new Map<string, Set<string>>();
  for (const metric of registry.getMetricsAsArray()) {
    // prom-client keeps each metric's label names on the instance (not in its typings); fail loudly if that changes.
    const labelNames = (metric as MetricObject & { labelNames?: readonly string[] }).labelNames;
    if (!labelNames) throw new Error(`prom-client metric ${metric.name} has no labelNames: update this test`);
    const labels = new Set([...labelNames, ...TARGET_LABELS]);
    // The typings declare a numeric enum; at run time the type is the exposition format's word.
    const type = String(metric.type);
    if (type === 'histogram') {
      series.set(`${metric.name}_bucket`, new Set([...labels, 'le']));
      series.set(`${metric.name}_sum`, labels);
      series.set(`${metric.name}_count`, labels);
    } else if (type === 'summary') {
      series.set(metric.name, new Set([...labels, 'quantile']));
      series.set(`${metric.name}_sum`, labels);
      series.set(`${metric.name}_count`, labels);
    } else {
      series.set(metric.name, labels);
    }
  }
  return series;
}

export interface NamedExpr {
  where: string;
  expr: string;
}

/**
 * What is wrong with the series these expressions select: unknown metric names, or unknown label names. Names in
 * `external` (kube-state-metrics, Prometheus itself) are not checked.
 */
export function seriesProblems(
  exprs: NamedExpr[],
  exported: Map<string, Set<string>>,
  external: ReadonlySet<string>,
  exporter = 'the service',
): string[] {
  const problems: string[] = [];
  for (const { where, expr } of exprs) {
    const selectors: PromqlSelector[] = promqlSelectors(expr);
    if (selectors.length === 0) problems.push(`${where}: selects no series at all`);
    for (const { metric, labels } of selectors) {
      if (external.has(metric)) continue;
      const known = exported.get(metric);
      if (!known) {
        problems.push(`${where}: ${metric} is not exported by ${exporter}`);
        continue;
      }
      for (const label of labels) {
        if (!known.has(label)) problems.push(`${where}: ${metric} has no label ${label}`);
      }
    }
  }
  return problems;
}
