import { main } from '../../audit/audit.js';
import type { AuditReport } from '../../audit/run-audit.js';

export interface AuditRun {
  code: number;
  out: string;
  err: string;
}

/** The CLI's main in this process, its output captured. */
export async function runAuditCli(argv: readonly string[]): Promise<AuditRun> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (text) => (out += text), err: (text) => (err += text) });
  return { code, out, err };
}

/** A --json run: the exit code and the parsed report. */
export async function runAuditJson(argv: readonly string[]): Promise<{ code: number; report: AuditReport }> {
  const run = await runAuditCli([...argv, '--json']);
  return { code: run.code, report: JSON.parse(run.out) as AuditReport };
}

/** check id → outcome, to compare a whole report at once. */
export function outcomes(report: AuditReport): Record<string, string> {
  return Object.fromEntries(report.results.map((result) => [result.id, result.outcome]));
}

export function whyOf(report: AuditReport, id: string): string {
  const result = report.results.find((r) => r.id === id);
  if (result === undefined) throw new Error(`no check ${id} in the report`);
  return result.why;
}
