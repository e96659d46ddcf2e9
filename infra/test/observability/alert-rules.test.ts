import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AlertRuleGroup, buildAlertRuleGroups } from '../../kubernetes/observability/alert-rules';
import { promtool } from './promtool';

/** The base URL alert-rules.promtool.yml expects in every runbook_url annotation. */
const RUNBOOK_BASE_URL = 'https://runbooks.example.test/runbooks.md';
const UNIT_TESTS = join(__dirname, 'alert-rules.promtool.yml');
const ALERT_RULES_SOURCE = join(__dirname, '..', '..', 'kubernetes', 'observability', 'alert-rules.ts');

describe('MCP alert rules', () => {
  const groups: AlertRuleGroup[] = buildAlertRuleGroups({ runbookBaseUrl: RUNBOOK_BASE_URL });
  const rules = groups.flatMap((group) => group.rules);
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mcp-alert-rules-'));
    // A Prometheus rules file; JSON is YAML, and promtool reads either.
    writeFileSync(join(dir, 'mcp-alert-rules.yml'), JSON.stringify({ groups }, null, 2));
    // The unit tests name the rules file relative to themselves.
    copyFileSync(UNIT_TESTS, join(dir, 'alert-rules.promtool.yml'));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is a valid Prometheus rules file (promtool check rules)', () => {
    const run = promtool(['check', 'rules', join(dir, 'mcp-alert-rules.yml')]);
    expect(run.output).toContain(`SUCCESS: ${rules.length} rules found`);
    expect(run.status, run.output).toBe(0);
  });

  it('fires and stays silent as the unit tests say (promtool test rules)', () => {
    const run = promtool(['test', 'rules', 'alert-rules.promtool.yml'], dir);
    expect(run.status, run.output).toBe(0);
    expect(run.output).toContain('SUCCESS');
  });

  it('has a promtool unit test for every alert', () => {
    const unitTests = readFileSync(UNIT_TESTS, 'utf8');
    const tested = new Set([...unitTests.matchAll(/alertname:\s*(\S+)/g)].map((match) => match[1]));
    expect(rules.map((rule) => rule.alert).filter((alert) => !tested.has(alert))).toEqual([]);
  });

  it('gives every alert a unique name, a severity, a for, a summary and its runbook section', () => {
    const names = rules.map((rule) => rule.alert);
    expect(new Set(names).size).toBe(names.length);
    for (const rule of rules) {
      expect(['critical', 'warning']).toContain(rule.labels.severity);
      expect(rule.for).toMatch(/^\d+[smh]$/);
      expect(rule.annotations.summary.length).toBeGreaterThan(0);
      expect(rule.annotations.description.length).toBeGreaterThan(0);
      expect(rule.annotations.runbook_url).toBe(`${RUNBOOK_BASE_URL}#${rule.alert.toLowerCase()}`);
    }
  });

  it('covers what the service must be alerted on', () => {
    expect(rules.map((rule) => rule.alert)).toEqual(
      expect.arrayContaining([
        'McpServerHighErrorRate',
        'McpServerHighLatency',
        'McpServerAuthFailureSpike',
        'McpServerRateLimitRejections',
        'McpServerPodRestarts',
        'McpServerRateLimitFallback',
      ]),
    );
  });

  it('loads in CommonJS without Pulumi: its only import is the service contract', () => {
    const imports = [...readFileSync(ALERT_RULES_SOURCE, 'utf8').matchAll(/^import .* from '([^']+)';$/gm)].map(
      (match) => match[1],
    );
    expect(imports).toEqual(['../../../service/src/contract']);
  });
});
