/**
 * A vitest reporter (vitest.config.mts, and .ci/run's reporter list): at the end of a run, every service test the
 * checklist names must have passed, or the run fails (exit 1) and says which. A title found in a file proves nothing
 * when its test is skipped, fails or never runs.
 */
import { join, relative } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';
import { SERVICE_TESTS } from './service-tests';
import { type NamedTest, type TestOutcome, unprovenTests } from './test-proof';

const repositoryRoot = join(__dirname, '..', '..');

export default class ChecklistProofReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const outcomes: TestOutcome[] = [];
    for (const module of testModules) {
      const file = relative(repositoryRoot, module.moduleId);
      for (const test of module.children.allTests()) {
        outcomes.push({ file, fullName: test.fullName, state: test.result().state });
      }
    }
    const named: NamedTest[] = Object.entries(SERVICE_TESTS).flatMap(([item, references]) =>
      (references ?? []).map((reference) => ({ item, ...reference })),
    );
    const judged = named.filter((test) => outcomes.some((outcome) => outcome.file === test.file));
    if (judged.length === 0) return;
    const problems = unprovenTests(named, outcomes);
    if (problems.length > 0) {
      console.error(
        `\nchecklist: ${problems.length} of the service tests the security checklist names did not pass ` +
          `(policies/checklist/service-tests.ts):\n${problems.map((problem) => `  - ${problem}`).join('\n')}\n`,
      );
      process.exitCode = 1;
      return;
    }
    console.log(`checklist: the ${judged.length} service tests the security checklist names in this run passed`);
  }
}
