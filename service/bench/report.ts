import type { LoadResult } from './load.js';

const COLUMNS = ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'answered', 'non-2xx', 'errors', 'bad'] as const;
const WIDTHS = [20, 9, 8, 8, 9, 8, 7, 6];

/**
 * One row per scenario, aligned. Latencies are of the answered requests; `bad` counts answers without a result or
 * with a tool error.
 */
export function tableHeader(): string {
  return COLUMNS.map((column, index) =>
    index === 0 ? column.padEnd(WIDTHS[0]!) : column.padStart(WIDTHS[index]!),
  ).join(' ');
}

export function tableRow(name: string, result: LoadResult): string {
  const cells = [
    Math.round(result.requestsPerSecond).toLocaleString('en-US'),
    result.requests > 0 ? String(result.p50Ms) : '—',
    result.requests > 0 ? String(result.p99Ms) : '—',
    result.requests.toLocaleString('en-US'),
    String(result.non2xx),
    String(result.errors),
    String(result.badAnswers),
  ];
  return [name.padEnd(WIDTHS[0]!), ...cells.map((cell, index) => cell.padStart(WIDTHS[index + 1]!))].join(' ');
}

export function mebibytes(bytes: number | undefined): string {
  return bytes === undefined ? '—' : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
