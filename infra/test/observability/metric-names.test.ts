import type { Pool } from 'pg';
import { describe, expect, it } from 'vitest';
import { createServiceMetrics } from '../../../service/src/observability/service-metrics';
import { buildAlertRuleGroups } from '../../kubernetes/observability/alert-rules';
import { seriesProblems as checkSeries, exportedSeries, type NamedExpr } from './exported-series';
import { allPanels, labelValuesSelector, loadMcpServerDashboard } from './grafana-dashboard';
import { promqlMetricNames, promqlSelectors } from './promql-selectors';

/**
 * Series the alerts and the dashboard may name although the service does not export them. Each one is produced by
 * something kube-prometheus-stack deploys; anything else is a typo or a metric that no longer exists.
 */
const EXTERNAL_METRICS: ReadonlySet<string> = new Set([
  // kube-state-metrics: restarts per container, from the pod status.
  'kube_pod_container_status_restarts_total',
  // kube-state-metrics: available replicas of a Deployment.
  'kube_deployment_status_replicas_available',
  // kube-state-metrics: failed pods of a Job (the database setup Job).
  'kube_job_status_failed',
  // kube-state-metrics: when a CronJob last succeeded (the gateway's Redis login renewal).
  'kube_cronjob_status_last_successful_time',
  // Prometheus itself: 1 when the last scrape of a target succeeded.
  'up',
]);

/** A pool as the metrics see it: three counts read at scrape time. */
const fakePool = { totalCount: 3, idleCount: 2, waitingCount: 0 } as Pool;

const seriesProblems = (exprs: NamedExpr[], exported: Map<string, Set<string>>): string[] =>
  checkSeries(exprs, exported, EXTERNAL_METRICS);

function dashboardExprs(): NamedExpr[] {
  const dashboard = loadMcpServerDashboard();
  const fromPanels = allPanels(dashboard).flatMap((panel) =>
    (panel.targets ?? []).map((target, index) => ({
      where: `dashboard panel "${panel.title}" target ${target.refId ?? index}`,
      expr: target.expr ?? '',
    })),
  );
  // label_values(<selector>, <label>) in the variables names a metric too.
  const fromVariables = dashboard.templating.list.flatMap((variable) => {
    const selector = labelValuesSelector(variable);
    return selector ? [{ where: `dashboard variable ${variable.name}`, expr: selector }] : [];
  });
  return [...fromPanels, ...fromVariables];
}

function alertExprs(): NamedExpr[] {
  return buildAlertRuleGroups({ runbookBaseUrl: 'https://runbooks.example.test/runbooks.md' }).flatMap((group) =>
    group.rules.map((rule) => ({ where: `alert ${rule.alert}`, expr: rule.expr })),
  );
}

describe('PromQL selector extraction', () => {
  it('lists metric names, not functions, aggregations, keywords, label names, durations or variables', () => {
    expect(
      promqlMetricNames(
        'histogram_quantile(0.95, sum by (le, tool) (rate(mcp_tool_duration_seconds_bucket{tool!="x", le=~".+"}[$__rate_interval])))',
      ),
    ).toEqual(['mcp_tool_duration_seconds_bucket']);
    expect(
      promqlMetricNames(
        'sum by (scope) (rate(a_total{outcome="refused"}[5m] offset 1h)) / ignoring (scope) group_left sum(rate(b_total[1d])) > 0.1 and on (pod) c or vector(0) unless bool d',
      ),
    ).toEqual(['a_total', 'b_total', 'c', 'd']);
    expect(promqlMetricNames('sum(rate(x_total[5m])) without (instance) > 2e3')).toEqual(['x_total']);
    expect(promqlMetricNames('{__name__="via_name_label", job="j"}')).toEqual(['via_name_label']);
    expect(promqlMetricNames('absent(up{job="mcp-server"} == 1)')).toEqual(['up']);
    expect(promqlSelectors('m{a="}", b=~"x|y"}[5m]')).toEqual([{ metric: 'm', labels: ['a', 'b'] }]);
  });
});

describe('metric names in the alerts and the dashboard', () => {
  const exported = exportedSeries(createServiceMetrics({ pool: fakePool }).registry);

  it('reads the service registry (guards the collection itself)', () => {
    for (const name of [
      'mcp_http_requests_total',
      'mcp_http_request_duration_seconds_bucket',
      'mcp_db_pool_connections',
      'mcp_rate_limit_decisions_total',
      'mcp_rate_limit_fallback_total',
      'mcp_rate_limit_redis_up',
      'process_cpu_seconds_total',
      'nodejs_eventloop_lag_p99_seconds',
    ]) {
      expect(exported.has(name), name).toBe(true);
    }
    expect([...(exported.get('mcp_rate_limit_decisions_total') ?? [])]).toEqual(
      expect.arrayContaining(['scope', 'outcome']),
    );
  });

  it('reports a misspelt metric and a misspelt label (the check bites)', () => {
    const problems = seriesProblems(
      [
        { where: 'alert Typo', expr: 'sum(rate(mcp_http_requests_totl{status=~"5.."}[5m])) > 0' },
        { where: 'alert LabelTypo', expr: 'sum(rate(mcp_rate_limit_decisions_total{outcom="refused"}[5m])) > 0' },
        { where: 'alert Nothing', expr: 'vector(1)' },
      ],
      exported,
    );
    expect(problems).toEqual([
      'alert Typo: mcp_http_requests_totl is not exported by the service',
      'alert LabelTypo: mcp_rate_limit_decisions_total has no label outcom',
      'alert Nothing: selects no series at all',
    ]);
  });

  it('every alert names only exported series (or allow-listed kube-state-metrics/Prometheus ones)', () => {
    const exprs = alertExprs();
    expect(exprs.length).toBeGreaterThanOrEqual(6);
    expect(seriesProblems(exprs, exported)).toEqual([]);
  });

  it('every dashboard query names only exported series (or allow-listed ones)', () => {
    const exprs = dashboardExprs();
    expect(exprs.length).toBeGreaterThanOrEqual(15);
    expect(seriesProblems(exprs, exported)).toEqual([]);
  });

  it('the allow-list holds only names something actually uses', () => {
    const used = new Set([...alertExprs(), ...dashboardExprs()].flatMap(({ expr }) => promqlMetricNames(expr)));
    expect([...EXTERNAL_METRICS].filter((name) => !used.has(name))).toEqual([]);
  });
});
