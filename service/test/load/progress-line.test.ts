import { afterEach, describe, expect, it, vi } from 'vitest';
import { startProgressLine } from '../../load/progress-line.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('the progress line', () => {
  const ok = { kind: 'read', outcome: 'ok', latencyMs: 1, tenant: 't' } as const;
  const refused = { ...ok, outcome: 'http_429' } as const;

  it('rewrites one line in place on a terminal, and ends it when the run is over', () => {
    vi.useFakeTimers();
    let now = 0;
    const written: string[] = [];
    const line = startProgressLine({ write: (text: string) => written.push(text), isTTY: true }, () => now);
    line.count(ok);
    line.count(refused);
    now = 2_000;
    vi.advanceTimersByTime(250);
    expect(written).toEqual(['\r\x1b[2Kload 2.0s  2 requests  1.0 req/s  1 errors']);
    line.finish();
    expect(written.at(-1)).toBe('\r\x1b[2Kload 2.0s  2 requests  1.0 req/s  1 errors\n');
    vi.advanceTimersByTime(5_000);
    expect(written).toHaveLength(2);
  });

  it('prints a whole line every 5 s to a log', () => {
    vi.useFakeTimers();
    let now = 0;
    const written: string[] = [];
    const line = startProgressLine({ write: (text: string) => written.push(text), isTTY: false }, () => now);
    line.count(ok);
    now = 4_000;
    vi.advanceTimersByTime(4_000);
    expect(written).toEqual([]);
    now = 5_000;
    vi.advanceTimersByTime(1_000);
    expect(written).toEqual(['load 5.0s  1 requests  0.2 req/s  0 errors\n']);
    line.finish();
    expect(written).toHaveLength(1);
  });
});
