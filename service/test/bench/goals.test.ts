import { describe, expect, it } from 'vitest';
import { evaluateGoals, formatGoal, MIB } from '../../bench/goals.js';
import type { LoadResult } from '../../bench/load.js';
import { quantityBytes } from '../../bench/memory-limit.js';
import { parseBenchOptions } from '../../bench/options.js';
import type { Scenario } from '../../bench/scenarios.js';

const load = (requestsPerSecond: number, p99Ms: number, requests = 1_000): LoadResult => ({
  requestsPerSecond,
  p50Ms: p99Ms / 2,
  p99Ms,
  requests,
  non2xx: 0,
  errors: 0,
  timeouts: 0,
  badAnswers: 0,
});

const scenario = (name: string, matching?: 'rare' | 'common') => ({ name, matching }) as Scenario;

describe('the benchmark’s goals', () => {
  const scenarios = [scenario('search rare', 'rare'), scenario('search common', 'common'), scenario('svc tools/list')];

  it('says met or not met from the figures against each bound, and not measured for what did not run', () => {
    const results = new Map([
      ['ref tools/list', load(1_000, 50)],
      ['svc tools/list', load(2_600, 40)],
      ['ref get_document', load(4_000, 20)],
      ['svc get_document', load(1_200, 70)],
      ['search rare', load(900, 51)],
      ['search common', load(200, 150)],
    ]);
    const lines = evaluateGoals({ scenarios, results, readyMs: 1_001, serviceRssBytes: 150 * MIB });
    expect(lines.map(formatGoal)).toEqual([
      '  met           list/ref 2.60× (≥ 2.5×)',
      '  not met       get/ref 0.30× (≥ 2.5×)',
      '  not met       search rare p99 51 ms (≤ 50 ms, rare)',
      '  met           search common p99 150 ms (≤ 150 ms, common)',
      '  met           service RSS after the benchmark 150.0 MiB (≤ 150 MiB)',
      '  not measured  service RSS flat over a soak (run with --soak 300)',
      '  not met       /ready 1001 ms after process start (≤ 1000 ms)',
    ]);
  });

  it('counts a scenario where nothing was answered as not met, not as fast', () => {
    const lines = evaluateGoals({
      scenarios: [scenario('search rare', 'rare')],
      results: new Map([['search rare', load(0, 0, 0)]]),
      readyMs: 10,
    });
    expect(lines.find((line) => line.text.startsWith('search rare'))).toEqual({
      met: false,
      text: 'search rare p99: no request answered in the run (≤ 50 ms, rare)',
    });
  });

  it('judges the soak by its last RSS sample against its first', () => {
    const soakLine = (lastMiB: number) =>
      evaluateGoals({
        scenarios: [],
        results: new Map(),
        readyMs: 10,
        soak: { firstBytes: 200 * MIB, lastBytes: lastMiB * MIB },
      }).find((line) => line.text.includes('soak'));
    expect(soakLine(220)?.met).toBe(true);
    expect(soakLine(221)?.met).toBe(false);
  });
});

describe('the benchmark’s memory limit option', () => {
  it('defaults to a prod pod’s limit, takes another quantity or none, and refuses what is not a quantity', () => {
    const limit = (args: string[]) => {
      const options = parseBenchOptions(args);
      return options === 'help' ? 'help' : options.memoryLimit;
    };
    expect(limit([])).toBe('512Mi');
    expect(limit(['--memory-limit', '1Gi'])).toBe('1Gi');
    expect(limit(['--memory-limit', 'none'])).toBeUndefined();
    expect(() => limit(['--memory-limit', '512MB'])).toThrow('not a binary quantity like 512Mi: 512MB');
    expect(quantityBytes('384Mi')).toBe(384 * 2 ** 20);
  });
});
