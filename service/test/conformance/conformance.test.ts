/**
 * Runs the official MCP conformance suites against our HTTP stack with the suite's fixtures mounted:
 * the 2025-era server suite (0.1.16, all active scenarios) and the 2026-07-28 requirement set
 * (0.2.0-alpha.12). Every scenario must pass except the named expected failures below, and those must
 * fail for their stated reason; a scenario that "passes" without a single successful check must be
 * named too, so a silently vacuous run cannot hide behind a green verdict.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningTarget, startConformanceTarget } from './conformance-target.js';
import {
  type ConformanceRunSummary,
  type ConformanceSuiteId,
  formatConformanceTable,
  runConformanceSuite,
} from './run-conformance.js';

interface KnownOutcome {
  reason: string;
  /** Matched against the messages of the scenario's non-successful checks: it must fail (or warn) for this reason. */
  evidence: RegExp;
}

const STATELESS_NO_REPLY_CHANNEL =
  'a server-to-client request needs the reply to reach the same server instance; stateless 2025-era serving builds a fresh server per POST and has no session, so the SDK refuses to send it (inherent to stateless operation, not a bug)';

/** Scenarios expected to fail, by suite, with why. */
const EXPECTED_FAILURES: Record<ConformanceSuiteId, Record<string, KnownOutcome>> = {
  '2025': {
    'tools-call-sampling': {
      reason: `sampling/createMessage: ${STATELESS_NO_REPLY_CHANNEL}`,
      evidence: /did not request sampling from client/,
    },
    'tools-call-elicitation': {
      reason: `elicitation/create: ${STATELESS_NO_REPLY_CHANNEL}`,
      evidence: /did not request elicitation from client/,
    },
    'elicitation-sep1034-defaults': {
      reason: `elicitation/create with defaults (SEP-1034): ${STATELESS_NO_REPLY_CHANNEL}`,
      evidence: /did not request elicitation from client/,
    },
    'elicitation-sep1330-enums': {
      reason: `elicitation/create with enum schemas (SEP-1330): ${STATELESS_NO_REPLY_CHANNEL}`,
      evidence: /did not request elicitation from client/,
    },
  },
  '2026-07-28': {},
};

/** Scenarios that pass with zero successful checks, by suite, with why. */
const EXPECTED_VACUOUS_PASSES: Record<ConformanceSuiteId, Record<string, KnownOutcome>> = {
  '2025': {
    'server-sse-multiple-streams': {
      reason:
        'opening several GET streams needs an Mcp-Session-Id; a stateless server issues none, so the scenario only warns',
      evidence: /did not provide session ID/,
    },
  },
  '2026-07-28': {},
};

const SUITE_TIMEOUT_MS = 90_000;

interface Expectations {
  failures: Record<string, KnownOutcome>;
  vacuousPasses: Record<string, KnownOutcome>;
}

function expectationsFor(suite: ConformanceSuiteId): Expectations {
  return { failures: EXPECTED_FAILURES[suite], vacuousPasses: EXPECTED_VACUOUS_PASSES[suite] };
}

describe('MCP conformance of the app', () => {
  let target: RunningTarget;

  beforeAll(async () => {
    target = await startConformanceTarget();
  });

  afterAll(async () => {
    await target?.close();
  });

  it(
    'passes the 2025-era server suite (0.1.16) except the named stateless limits',
    async () => {
      const summary = await runConformanceSuite({ suite: '2025', url: target.url, timeoutMs: SUITE_TIMEOUT_MS });
      console.log(formatConformanceTable(summary, Object.keys(EXPECTED_FAILURES['2025'])));
      expect(summary.scenarios.length).toBeGreaterThan(Object.keys(EXPECTED_FAILURES['2025']).length);
      expect(verdictProblems(summary, expectationsFor('2025'))).toEqual([]);
    },
    SUITE_TIMEOUT_MS + 10_000,
  );

  it(
    'passes every scenario the 2026-07-28 requirement set scores (0.2.0-alpha.12)',
    async () => {
      const summary = await runConformanceSuite({ suite: '2026-07-28', url: target.url, timeoutMs: SUITE_TIMEOUT_MS });
      console.log(formatConformanceTable(summary, Object.keys(EXPECTED_FAILURES['2026-07-28'])));
      // The run must cover the whole frozen requirement list, not whatever subset happened to run.
      expect(scoredNames(summary)).toEqual(await requiredServerScenarios('2026-07-28'));
      expect(verdictProblems(summary, expectationsFor('2026-07-28'))).toEqual([]);
    },
    SUITE_TIMEOUT_MS + 10_000,
  );
});

function scoredNames(summary: ConformanceRunSummary): string[] {
  return summary.scenarios
    .filter((scenario) => scenario.scored)
    .map((scenario) => scenario.name)
    .sort();
}

/** Everything about a run that contradicts the expectations above, one readable line each. */
function verdictProblems(summary: ConformanceRunSummary, expectations: Expectations): string[] {
  const expectedFailures = expectations.failures;
  const expectedVacuousPasses = expectations.vacuousPasses;
  const problems: string[] = [];
  const byName = new Map(summary.scenarios.map((scenario) => [scenario.name, scenario]));

  for (const scenario of summary.scenarios.filter((candidate) => candidate.scored)) {
    const messages = scenario.problems.map((problem) => `${problem.id}: ${problem.message}`);
    const expectedFailure = expectedFailures[scenario.name];
    if (!scenario.passed && expectedFailure === undefined) {
      problems.push(`${scenario.name} failed unexpectedly: ${messages.join(' | ')}`);
    }
    if (!scenario.passed && expectedFailure !== undefined && !messages.some((m) => expectedFailure.evidence.test(m))) {
      problems.push(
        `${scenario.name} failed, but not for its expected reason (${expectedFailure.reason}): ${messages.join(' | ')}`,
      );
    }
    const vacuous = scenario.passed && scenario.checks.success === 0;
    const expectedVacuous = expectedVacuousPasses[scenario.name];
    if (vacuous && expectedVacuous === undefined) {
      problems.push(
        `${scenario.name} passed without a single successful check: ${messages.join(' | ') || 'no checks at all'}`,
      );
    }
    if (vacuous && expectedVacuous !== undefined && !messages.some((m) => expectedVacuous.evidence.test(m))) {
      problems.push(`${scenario.name} passed vacuously, but not for its expected reason: ${messages.join(' | ')}`);
    }
  }
  // Keep both lists true: an entry whose scenario now behaves differently must be removed.
  for (const name of Object.keys(expectedFailures)) {
    const scenario = byName.get(name);
    if (scenario === undefined) problems.push(`${name} is listed as an expected failure but did not run`);
    else if (scenario.passed)
      problems.push(`${name} is listed as an expected failure but passed: remove it from the list`);
  }
  for (const name of Object.keys(expectedVacuousPasses)) {
    const scenario = byName.get(name);
    if (scenario === undefined) problems.push(`${name} is listed as a vacuous pass but did not run`);
    else if (!scenario.passed || scenario.checks.success > 0) {
      problems.push(
        `${name} is listed as a vacuous pass but now has ${scenario.checks.success} successful check(s) and verdict ${scenario.passed ? 'pass' : 'fail'}: update the list`,
      );
    }
  }
  return problems;
}

/** The `server:` list of the suite's frozen requirements file for a revision (a flat YAML list of names). */
async function requiredServerScenarios(revision: '2026-07-28'): Promise<string[]> {
  const packageDir = path.dirname(createRequire(import.meta.url).resolve('conformance-2026/package.json'));
  const yaml = await readFile(path.join(packageDir, 'requirements', `${revision}.yaml`), 'utf8');
  const names: string[] = [];
  let inServer = false;
  for (const line of yaml.split(/\r?\n/)) {
    if (/^\S/.test(line)) inServer = line.trim() === 'server:';
    const item = inServer ? /^\s+-\s+([\w./-]+)\s*$/.exec(line)?.[1] : undefined;
    if (item !== undefined) names.push(item);
  }
  return names.sort();
}
