import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTHORIZATION_EVENTS } from '../../../service/src/authorization-server/audit/authorization-audit';
import { createAuthorizationServerMetrics } from '../../../service/src/authorization-server/observability/authorization-server-metrics';
import { AUTHORIZATION_SERVER, CLUSTER_NAMESPACES } from '../../../service/src/contract';
import { buildAlertRuleGroups } from '../../kubernetes/observability/alert-rules';
import {
  AUTHORIZATION_SERVER_ALERT_EVENTS,
  buildAuthorizationServerAlertRuleGroups,
} from '../../kubernetes/observability/authorization-server-alert-rules';
import { exportedSeries, seriesProblems } from './exported-series';
import { promqlSelectors } from './promql-selectors';
import { promtool } from './promtool';

/** The base URL the promtool unit tests expect in every runbook_url annotation. */
const RUNBOOK_BASE_URL = 'https://runbooks.example.test/runbooks.md';
const UNIT_TESTS = join(__dirname, 'authorization-server-alert-rules.promtool.yml');
const RULES_SOURCE = join(__dirname, '..', '..', 'kubernetes', 'observability', 'authorization-server-alert-rules.ts');

/** Series these alerts may name that the authorization server does not export: kube-state-metrics and Prometheus. */
const EXTERNAL_METRICS: ReadonlySet<string> = new Set(['kube_deployment_status_replicas_available', 'up']);

const groups = buildAuthorizationServerAlertRuleGroups({ runbookBaseUrl: RUNBOOK_BASE_URL });
const rules = groups.flatMap((group) => group.rules);

describe('the authorization server alert rules (promtool)', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mcp-as-alert-rules-'));
    // JSON is YAML, and promtool reads either; the unit tests name the rules file relative to themselves.
    writeFileSync(join(dir, 'authorization-server-alert-rules.yml'), JSON.stringify({ groups }, null, 2));
    copyFileSync(UNIT_TESTS, join(dir, 'authorization-server-alert-rules.promtool.yml'));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is a valid Prometheus rules file (promtool check rules)', () => {
    const run = promtool(['check', 'rules', join(dir, 'authorization-server-alert-rules.yml')]);
    expect(run.output).toContain(`SUCCESS: ${rules.length} rules found`);
    expect(run.status, run.output).toBe(0);
  });

  it('fires and stays silent as the unit tests say (promtool test rules)', () => {
    const run = promtool(['test', 'rules', 'authorization-server-alert-rules.promtool.yml'], dir);
    expect(run.status, run.output).toBe(0);
    expect(run.output).toContain('SUCCESS');
  });

  it('has a promtool unit test that fires for every alert', () => {
    const unitTests = readFileSync(UNIT_TESTS, 'utf8');
    const firing = new Set([...unitTests.matchAll(/alertname:\s*(\S+)\n\s*exp_alerts:\n/g)].map((match) => match[1]));
    expect(rules.map((rule) => rule.alert).filter((alert) => !firing.has(alert))).toEqual([]);
  });
});

describe('the authorization server alert rules', () => {
  it('gives every alert a unique name of its own prefix, a severity, a for, a summary and its runbook section', () => {
    const names = rules.map((rule) => rule.alert);
    const mcpServerAlerts = buildAlertRuleGroups({ runbookBaseUrl: RUNBOOK_BASE_URL }).flatMap((group) =>
      group.rules.map((rule) => rule.alert),
    );
    expect(new Set([...names, ...mcpServerAlerts]).size).toBe(names.length + mcpServerAlerts.length);
    for (const rule of rules) {
      expect(rule.alert).toMatch(/^McpAuthorizationServer\w+$/);
      expect(['critical', 'warning']).toContain(rule.labels.severity);
      expect(rule.for).toMatch(/^\d+[smh]$/);
      expect(rule.annotations.summary.length).toBeGreaterThan(0);
      expect(rule.annotations.description.length).toBeGreaterThan(0);
      expect(rule.annotations.runbook_url).toBe(`${RUNBOOK_BASE_URL}#${rule.alert.toLowerCase()}`);
    }
  });

  it('covers the server down, token reuse, refused token requests and 5xx', () => {
    expect(rules.map((rule) => rule.alert)).toEqual(
      expect.arrayContaining([
        'McpAuthorizationServerNoReadyPods',
        'McpAuthorizationServerMetricsAbsent',
        'McpAuthorizationServerTokenReuse',
        'McpAuthorizationServerTokenRefusals',
        'McpAuthorizationServerHighErrorRate',
      ]),
    );
  });

  it('selects only the authorization server’s own series: its job (the Service name) in the service namespace', () => {
    for (const rule of rules) {
      for (const { metric } of promqlSelectors(rule.expr)) {
        const own = metric.startsWith('mcp_as_') || metric === 'up';
        if (!own) continue;
        const matchers = rule.expr.match(new RegExp(`${metric}\\{[^}]*\\}`, 'g')) ?? [];
        expect(matchers.length, `${rule.alert}: ${metric}`).toBeGreaterThan(0);
        for (const matcher of matchers) {
          expect(matcher, rule.alert).toContain(`job="${AUTHORIZATION_SERVER.name}"`);
          expect(matcher, rule.alert).toContain(`namespace="${CLUSTER_NAMESPACES.service}"`);
        }
      }
    }
  });

  it('names the audit’s event names (AUTHORIZATION_EVENTS)', () => {
    expect(AUTHORIZATION_SERVER_ALERT_EVENTS).toEqual({
      token: AUTHORIZATION_EVENTS.token,
      refreshTokenReuse: AUTHORIZATION_EVENTS.refreshReuse,
      codeReuse: AUTHORIZATION_EVENTS.codeReuse,
    });
  });

  it('names only series the authorization server exports (or kube-state-metrics/Prometheus ones)', () => {
    const exported = exportedSeries(createAuthorizationServerMetrics().registry);
    expect(exported.has('mcp_as_events_total')).toBe(true);
    expect([...(exported.get('mcp_as_events_total') ?? [])]).toEqual(expect.arrayContaining(['event', 'outcome']));
    const exprs = rules.map((rule) => ({ where: `alert ${rule.alert}`, expr: rule.expr }));
    expect(seriesProblems(exprs, exported, EXTERNAL_METRICS, 'the authorization server')).toEqual([]);
    // The check bites: the MCP server's metric names are not the authorization server's.
    expect(
      seriesProblems(
        [{ where: 'alert Wrong', expr: 'sum(rate(mcp_http_requests_total{route="/x"}[5m])) > 0' }],
        exported,
        EXTERNAL_METRICS,
        'the authorization server',
      ),
    ).toEqual(['alert Wrong: mcp_http_requests_total is not exported by the authorization server']);
  });

  it('loads in CommonJS without Pulumi: it imports only the contract and the MCP server’s rule types', () => {
    const imports = [...readFileSync(RULES_SOURCE, 'utf8').matchAll(/^import [^;]* from '([^']+)';$/gms)].map(
      (match) => match[1],
    );
    expect(imports).toEqual(['../../../service/src/contract', './alert-rules']);
  });
});
