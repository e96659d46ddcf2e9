import type { AuditReport } from './run-audit.js';

const LABELS = { pass: 'PASS', fail: 'FAIL', skip: 'SKIP' } as const;

/** One line per check (outcome, id, why), then the summary. */
export function textReport(report: AuditReport): string {
  const width = Math.max(...report.results.map((r) => r.id.length));
  const lines = [
    `Security audit of ${report.target.mcpUrl}${report.target.authenticated ? ' (with a token)' : ' (no token)'}`,
    '',
    ...report.results.map((r) => `${LABELS[r.outcome]}  ${r.id.padEnd(width)}  ${r.why}`),
    '',
    `${report.summary.pass} passed, ${report.summary.fail} failed, ${report.summary.skip} skipped`,
  ];
  return `${lines.join('\n')}\n`;
}

export function jsonReport(report: AuditReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
