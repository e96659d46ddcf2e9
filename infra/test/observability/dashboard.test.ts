import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MCP_SERVER_DASHBOARD_JSON } from '../../kubernetes/observability/dashboards';
import { allPanels, isRow, loadMcpServerDashboard } from './grafana-dashboard';
import { promqlMetricNames } from './promql-selectors';
import { promtool } from './promtool';

// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, not a JavaScript template.
const DATASOURCE_UID = '${datasource}';
const DASHBOARD_FILE = join(__dirname, '..', '..', 'kubernetes', 'observability', 'dashboards', 'mcp-server.json');

/** Grafana's variables replaced by values Prometheus accepts, so promtool can check the queries' syntax. */
function withVariablesResolved(expr: string): string {
  return expr.replaceAll('$__rate_interval', '1m').replace(/\$\{?(\w+)\}?/g, 'x');
}

describe('the MCP server Grafana dashboard', () => {
  const dashboard = loadMcpServerDashboard();
  const panels = allPanels(dashboard);
  const dataPanels = panels.filter((panel) => !isRow(panel));

  it('is the file, loaded verbatim for the ConfigMap', () => {
    expect(MCP_SERVER_DASHBOARD_JSON).toBe(readFileSync(DASHBOARD_FILE, 'utf8'));
    expect(dashboard.uid).toBe('mcp-server');
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(39);
  });

  it(`takes its Prometheus data source from a ${DATASOURCE_UID} variable, in every panel and query`, () => {
    const variable = dashboard.templating.list.find((v) => v.name === 'datasource');
    expect(variable).toMatchObject({ type: 'datasource', query: 'prometheus' });
    for (const panel of dataPanels) {
      expect(panel.datasource, panel.title).toEqual({ type: 'prometheus', uid: DATASOURCE_UID });
      for (const target of panel.targets ?? []) expect(target.datasource, panel.title).toEqual(panel.datasource);
    }
  });

  it('gives every panel a query', () => {
    expect(dataPanels.length).toBeGreaterThanOrEqual(15);
    const withoutQuery = dataPanels.filter(
      (panel) => !panel.targets?.length || panel.targets.some((target) => !target.expr?.trim()),
    );
    expect(withoutQuery.map((panel) => panel.title)).toEqual([]);
  });

  it('lays out panels with unique ids inside the 24-column grid', () => {
    const ids = panels.map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of panels) {
      expect(panel.gridPos, panel.title).toBeDefined();
      const { x, w } = panel.gridPos ?? { x: 0, w: 0 };
      expect(x + w, panel.title).toBeLessThanOrEqual(24);
    }
  });

  it('shows each part of the service', () => {
    const shown = new Set(
      dataPanels.flatMap((panel) => (panel.targets ?? []).flatMap((t) => promqlMetricNames(t.expr ?? ''))),
    );
    for (const name of [
      'mcp_http_requests_total',
      'mcp_http_request_duration_seconds_bucket',
      'mcp_inflight_requests',
      'mcp_tool_calls_total',
      'mcp_auth_failures_total',
      'mcp_rate_limit_decisions_total',
      'mcp_rate_limit_fallback_total',
      'mcp_rate_limit_redis_up',
      'mcp_db_pool_connections',
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_p99_seconds',
    ]) {
      expect(shown.has(name), name).toBe(true);
    }
  });

  it('has queries Prometheus can parse (promtool check rules on them as recording rules)', () => {
    const rules = dataPanels.flatMap((panel) =>
      (panel.targets ?? []).map((target) => ({
        record: `dashboard:panel_${panel.id}_${target.refId}`,
        expr: withVariablesResolved(target.expr ?? ''),
      })),
    );
    const dir = mkdtempSync(join(tmpdir(), 'mcp-dashboard-'));
    try {
      const file = join(dir, 'dashboard-queries.yml');
      writeFileSync(file, JSON.stringify({ groups: [{ name: 'dashboard', rules }] }));
      const run = promtool(['check', 'rules', file]);
      expect(run.status, run.output).toBe(0);
      expect(run.output).toContain(`SUCCESS: ${rules.length} rules found`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
