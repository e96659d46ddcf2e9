import type { ErrorKind } from './answer-outcome.js';
import type { KindFigures, LoadSummary } from './load-summary.js';
import { LOAD_KINDS } from './weighted-mix.js';

export const ERROR_LABELS: Record<ErrorKind, string> = {
  http_401: '401 unauthorized',
  http_403: '403 forbidden',
  http_429: '429 rate limited',
  http_4xx: 'other 4xx',
  http_5xx: '5xx server error',
  http_other: 'unexpected status',
  timeout: 'timeout',
  connection: 'connection error',
  jsonrpc_error: 'JSON-RPC error',
  tool_error: 'tool error (isError)',
  invalid_answer: 'not a JSON-RPC answer',
};

const COLUMNS = ['kind', 'requests', 'ok', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'];

function row(name: string, figures: KindFigures): string[] {
  const latency = figures.latencyMs;
  const ms = (value: number | undefined) => (value === undefined ? '-' : value.toFixed(1));
  return [
    name,
    String(figures.requests),
    String(figures.ok),
    figures.throughput.toFixed(1),
    ms(latency?.p50),
    ms(latency?.p90),
    ms(latency?.p99),
    ms(latency?.max),
  ];
}

function table(rows: string[][]): string {
  const widths = COLUMNS.map((_, column) => Math.max(...rows.map((cells) => (cells[column] ?? '').length)));
  return rows
    .map((cells) =>
      cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[0] ?? 0) : cell.padStart(widths[column] ?? 0))),
    )
    .map((cells) => cells.join('  ').trimEnd())
    .join('\n');
}

/** The summary for a person: a table of figures by kind, then errors by kind and where documents were created. */
export function formatSummary(summary: LoadSummary): string {
  const lines = [
    `Load test of ${summary.target} (run ${summary.runId}): ${summary.elapsedSeconds.toFixed(1)} s, ` +
      `stopped by ${summary.stoppedBy}, ${summary.callers.tokens} callers in ${summary.callers.tenants} tenants, ` +
      `concurrency ${summary.concurrency}`,
    '',
    table([COLUMNS, ...LOAD_KINDS.map((kind) => row(kind, summary.byKind[kind])), row('all', summary.overall)]),
    '',
  ];
  const errorKinds = Object.keys(summary.overall.errors) as ErrorKind[];
  if (errorKinds.length === 0) lines.push('errors: none');
  for (const kind of errorKinds) {
    const perKind = LOAD_KINDS.filter((load) => summary.byKind[load].errors[kind])
      .map((load) => `${load} ${summary.byKind[load].errors[kind]}`)
      .join(', ');
    lines.push(`errors: ${ERROR_LABELS[kind]}: ${summary.overall.errors[kind]} (${perKind})`);
  }
  const created = Object.entries(summary.createdByTenant);
  if (created.length > 0) {
    lines.push(`created: ${created.map(([tenant, count]) => `${tenant} ${count}`).join(', ')} (tag load-test)`);
  }
  if (summary.failures > 0) {
    lines.push(`FAILED: ${summary.failures} requests ended in a 5xx, a timeout or a connection error`);
  }
  return `${lines.join('\n')}\n`;
}
