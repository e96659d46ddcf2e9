import { describe, expect, it } from 'vitest';
import { type NamedTest, type TestOutcome, unprovenTests } from '../../checklist/test-proof';

const file = 'service/test/http/http-surface.test.ts';
const named: NamedTest[] = [{ item: 'net-cors', file, title: 'serves an allowed browser origin' }];
const outcome = (fullName: string, state: string): TestOutcome => ({ file, fullName, state });

describe('a service test named by the checklist proves its item only by passing', () => {
  it('passed: proven', () => {
    expect(
      unprovenTests(named, [outcome('http surface > serves an allowed browser origin with CORS', 'passed')]),
    ).toEqual([]);
  });

  it.each(['skipped', 'failed', 'pending'])('%s: not proven (a title in the file counted before)', (state) => {
    expect(unprovenTests(named, [outcome('http surface > serves an allowed browser origin', state)])).toEqual([
      `net-cors: ${file} › serves an allowed browser origin: ${state}, not passed`,
    ]);
  });

  it('renamed or never registered while its file ran: not proven', () => {
    expect(unprovenTests(named, [outcome('http surface > something else', 'passed')])).toEqual([
      `net-cors: ${file} › serves an allowed browser origin: no test of that name ran`,
    ]);
  });

  it('one passing run of a table case is enough when another case of that name is skipped', () => {
    const outcomes = [
      outcome('a > serves an allowed browser origin', 'skipped'),
      outcome('b > serves an allowed browser origin', 'passed'),
    ];
    expect(unprovenTests(named, outcomes)).toEqual([]);
  });

  it('a file outside a partial run is not judged', () => {
    expect(unprovenTests(named, [{ file: 'service/test/other.test.ts', fullName: 'x', state: 'passed' }])).toEqual([]);
  });
});
