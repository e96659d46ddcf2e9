/**
 * Whether the service tests the checklist names (service-tests.ts) passed in a test run: a named test proves its item
 * only by passing. Pure, so the rule is tested apart from the reporter that applies it to `npm test`.
 */
import type { ServiceTestReference } from './items';

export interface TestOutcome {
  /** Repository-relative path of the test file. */
  file: string;
  fullName: string;
  state: string;
}

export interface NamedTest extends ServiceTestReference {
  item: string;
}

/**
 * What is wrong with each named test whose file ran: not in the run's report, or there but not passed. Files that
 * did not run at all (a partial run, such as `vitest --project policies`) are not judged.
 */
export function unprovenTests(named: readonly NamedTest[], outcomes: readonly TestOutcome[]): string[] {
  const filesRun = new Set(outcomes.map((outcome) => outcome.file));
  const problems: string[] = [];
  for (const test of named) {
    if (!filesRun.has(test.file)) continue;
    const matching = outcomes.filter((outcome) => outcome.file === test.file && outcome.fullName.includes(test.title));
    const where = `${test.item}: ${test.file} › ${test.title}`;
    if (matching.length === 0) problems.push(`${where}: no test of that name ran`);
    else if (!matching.some((outcome) => outcome.state === 'passed')) {
      problems.push(`${where}: ${[...new Set(matching.map((outcome) => outcome.state))].join(', ')}, not passed`);
    }
  }
  return problems;
}
