/**
 * Runs an MCP conformance suite CLI against a loopback URL as a child process and reads back what it
 * found, scenario by scenario. The per-check verdicts come from the `checks.json` files the CLI writes
 * under `--output-dir` (one `server-<scenario>-<timestamp>/` folder per scenario); the list of scenarios
 * and which of them a requirement set does not score come from its summary on stdout.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';

/** The two suites installed: 0.1.16 (2025 protocol era) and the 0.2.0 alpha (its 2026-07-28 requirement set). */
export const CONFORMANCE_SUITES = {
  '2025': {
    packageName: '@modelcontextprotocol/conformance',
    args: (url: string, outputDir: string) => ['server', '--url', url, '--output-dir', outputDir],
  },
  '2026-07-28': {
    packageName: 'conformance-2026',
    args: (url: string, outputDir: string) => [
      'server',
      '--url',
      url,
      '--requirements',
      '2026-07-28',
      '--output-dir',
      outputDir,
      // Per scenario; a healthy run finishes each in well under a second.
      '--timeout',
      '20000',
    ],
  },
} as const;
export type ConformanceSuiteId = keyof typeof CONFORMANCE_SUITES;

export type ConformanceCheckStatus = 'SUCCESS' | 'FAILURE' | 'WARNING' | 'SKIPPED' | 'INFO';

export interface ConformanceCheckCounts {
  success: number;
  failure: number;
  warning: number;
  skipped: number;
  info: number;
}

export interface ConformanceCheckProblem {
  id: string;
  status: ConformanceCheckStatus;
  message: string;
}

export interface ConformanceScenarioResult {
  name: string;
  /** The CLI's verdict: no check failed. A scenario can pass with zero successful checks; read `checks`. */
  passed: boolean;
  /** False when the requirement set runs the scenario for visibility only (extension, pending, ...). */
  scored: boolean;
  notScoredReason?: string;
  checks: ConformanceCheckCounts;
  /** Every check that did not succeed, with the suite's own explanation. */
  problems: ConformanceCheckProblem[];
}

export interface ConformanceRunSummary {
  suite: ConformanceSuiteId;
  cliVersion: string;
  url: string;
  exitCode: number;
  durationMs: number;
  scenarios: ConformanceScenarioResult[];
}

export interface RunConformanceOptions {
  suite: ConformanceSuiteId;
  /** The MCP endpoint; must be on a loopback address. */
  url: string;
  /** Upper bound for the whole CLI run; the child is killed past it. */
  timeoutMs?: number;
}

export class ConformanceRunError extends Error {
  constructor(
    readonly code:
      | 'CONFORMANCE_URL_NOT_LOOPBACK'
      | 'CONFORMANCE_TIMEOUT'
      | 'CONFORMANCE_CLI_FAILED'
      | 'CONFORMANCE_NO_RESULTS',
    message: string,
  ) {
    super(message);
    this.name = 'ConformanceRunError';
  }
}

const LOOPBACK_HOSTNAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);
const DEFAULT_TIMEOUT_MS = 120_000;
const OUTPUT_TAIL_CHARS = 4_000;

const checkSchema = z.object({
  id: z.string(),
  status: z.enum(['SUCCESS', 'FAILURE', 'WARNING', 'SKIPPED', 'INFO']),
  errorMessage: z.string().optional(),
  // Warnings often explain themselves only here.
  details: z.object({ message: z.string().optional() }).loose().optional(),
});
const checksFileSchema = z.array(checkSchema);

const requireFromHere = createRequire(import.meta.url);

/** Runs one suite and returns what every scenario reported. Throws `ConformanceRunError` on a broken run. */
export async function runConformanceSuite(options: RunConformanceOptions): Promise<ConformanceRunSummary> {
  const target = new URL(options.url);
  if (!LOOPBACK_HOSTNAMES.has(target.hostname)) {
    throw new ConformanceRunError(
      'CONFORMANCE_URL_NOT_LOOPBACK',
      `Refusing to run the conformance suite against ${target.host}: only loopback targets (${[...LOOPBACK_HOSTNAMES].join(', ')}) are allowed`,
    );
  }
  const suite = CONFORMANCE_SUITES[options.suite];
  const packageDir = path.dirname(requireFromHere.resolve(`${suite.packageName}/package.json`));
  const packageJson = z
    .object({ version: z.string(), bin: z.object({ conformance: z.string() }) })
    .parse(JSON.parse(await readFile(path.join(packageDir, 'package.json'), 'utf8')));
  const cliPath = path.join(packageDir, packageJson.bin.conformance);

  const workDir = await mkdtemp(path.join(tmpdir(), `mcp-conformance-${options.suite}-`));
  try {
    const outputDir = path.join(workDir, 'results');
    const started = performance.now();
    const run = await runCli(
      cliPath,
      suite.args(options.url, outputDir),
      workDir,
      options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    );
    const durationMs = Math.round(performance.now() - started);

    const fromStdout = parseStdoutSummary(run.stdout);
    const fromFiles = await readCheckFiles(outputDir);
    const scenarios = mergeScenarioResults(fromStdout, fromFiles);
    if (scenarios.length === 0) {
      throw new ConformanceRunError(
        'CONFORMANCE_NO_RESULTS',
        `The ${options.suite} suite (exit ${run.exitCode}) reported no scenarios. Output tail:\n${tail(run.stdout)}\n${tail(run.stderr)}`,
      );
    }
    return {
      suite: options.suite,
      cliVersion: packageJson.version,
      url: options.url,
      exitCode: run.exitCode,
      durationMs,
      scenarios,
    };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

interface CliRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

function runCli(cliPath: string, args: string[], cwd: string, timeoutMs: number): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new ConformanceRunError('CONFORMANCE_CLI_FAILED', `Could not start ${cliPath}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) {
        reject(
          new ConformanceRunError(
            'CONFORMANCE_TIMEOUT',
            `The conformance CLI did not finish within ${timeoutMs} ms and was killed. Output tail:\n${tail(stdout)}`,
          ),
        );
        return;
      }
      if (code === null) {
        reject(
          new ConformanceRunError(
            'CONFORMANCE_CLI_FAILED',
            `The conformance CLI was killed by ${signal ?? 'a signal'}`,
          ),
        );
        return;
      }
      resolve({ exitCode: code, stdout, stderr });
    });
  });
}

interface StdoutSummary {
  /** Scenario names in the order of the CLI's summary, with its pass/fail mark. */
  verdicts: Map<string, boolean>;
  /** Scenarios listed under "Not scored for <revision>", with the reason in parentheses. */
  notScored: Map<string, string>;
}

// "✓ tools-list: 4 passed, 0 failed" and, under "Not scored ...", "  ✗ tasks-lifecycle (extension)".
const SUMMARY_LINE = /^([✓✗]) ([\w./-]+): \d+ passed, \d+ failed/;
const NOT_SCORED_LINE = /^\s+[✓✗] ([\w./-]+) \(([^)]+)\)\s*$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping ANSI colour codes is the point.
const ANSI_ESCAPES = /\u001b\[[0-9;]*m/g;

export function parseStdoutSummary(stdout: string): StdoutSummary {
  const verdicts = new Map<string, boolean>();
  const notScored = new Map<string, string>();
  let inNotScored = false;
  for (const rawLine of stdout.replace(ANSI_ESCAPES, '').split(/\r?\n/)) {
    if (rawLine.startsWith('Not scored for')) {
      inNotScored = true;
      continue;
    }
    const summary = SUMMARY_LINE.exec(rawLine);
    if (summary?.[1] !== undefined && summary[2] !== undefined) {
      verdicts.set(summary[2], summary[1] === '✓');
      continue;
    }
    const notScoredMatch = inNotScored ? NOT_SCORED_LINE.exec(rawLine) : null;
    if (notScoredMatch?.[1] !== undefined && notScoredMatch[2] !== undefined) {
      notScored.set(notScoredMatch[1], notScoredMatch[2]);
    }
  }
  return { verdicts, notScored };
}

// server-<scenario>-2026-11-26T12-09-38-746Z
const RESULT_DIR = /^server-(.+)-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/;

async function readCheckFiles(outputDir: string): Promise<Map<string, z.infer<typeof checksFileSchema>>> {
  const byScenario = new Map<string, z.infer<typeof checksFileSchema>>();
  let entries: string[];
  try {
    entries = await readdir(outputDir);
  } catch {
    return byScenario;
  }
  for (const entry of entries) {
    const scenario = RESULT_DIR.exec(entry)?.[1];
    if (scenario === undefined) continue;
    const text = await readFile(path.join(outputDir, entry, 'checks.json'), 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    byScenario.set(scenario, checksFileSchema.parse(JSON.parse(text)));
  }
  return byScenario;
}

function mergeScenarioResults(
  stdout: StdoutSummary,
  files: Map<string, z.infer<typeof checksFileSchema>>,
): ConformanceScenarioResult[] {
  const names = [...stdout.verdicts.keys(), ...[...files.keys()].filter((name) => !stdout.verdicts.has(name))];
  return names.map((name) => {
    const checks = files.get(name);
    const counts: ConformanceCheckCounts = { success: 0, failure: 0, warning: 0, skipped: 0, info: 0 };
    const problems: ConformanceCheckProblem[] = [];
    for (const check of checks ?? []) {
      counts[statusKey(check.status)] += 1;
      if (check.status !== 'SUCCESS' && check.status !== 'INFO') {
        problems.push({
          id: check.id,
          status: check.status,
          message: check.errorMessage ?? check.details?.message ?? '(no message)',
        });
      }
    }
    if (checks === undefined) {
      problems.push({
        id: name,
        status: 'FAILURE',
        message: 'The CLI listed this scenario but wrote no checks.json for it',
      });
    }
    const notScoredReason = stdout.notScored.get(name);
    return {
      name,
      // A missing result file is a failure whatever the summary says.
      passed: checks !== undefined && counts.failure === 0 && stdout.verdicts.get(name) !== false,
      scored: notScoredReason === undefined,
      ...(notScoredReason === undefined ? {} : { notScoredReason }),
      checks: counts,
      problems,
    };
  });
}

function statusKey(status: ConformanceCheckStatus): keyof ConformanceCheckCounts {
  switch (status) {
    case 'SUCCESS':
      return 'success';
    case 'FAILURE':
      return 'failure';
    case 'WARNING':
      return 'warning';
    case 'SKIPPED':
      return 'skipped';
    case 'INFO':
      return 'info';
  }
}

function tail(text: string): string {
  return text.length > OUTPUT_TAIL_CHARS ? `…${text.slice(-OUTPUT_TAIL_CHARS)}` : text;
}

/**
 * A fixed-width table of a run, for the test log. Only an unexpected failure reads FAIL: a green run shows its known
 * failures (the test names each, with why) and the unscored ones as what they are.
 */
export function formatConformanceTable(
  summary: ConformanceRunSummary,
  expectedFailures: readonly string[] = [],
): string {
  const header = ['scenario', 'verdict', 'ok', 'fail', 'warn', 'skip', 'info'];
  const verdict = (scenario: ConformanceRunSummary['scenarios'][number]) => {
    if (scenario.passed) return scenario.scored ? 'pass' : `pass (not scored: ${scenario.notScoredReason})`;
    if (!scenario.scored) return `fails, not scored (${scenario.notScoredReason})`;
    return expectedFailures.includes(scenario.name) ? 'fails, as expected (see the test)' : 'FAIL';
  };
  const rows = summary.scenarios.map((scenario) => [
    scenario.name,
    verdict(scenario),
    String(scenario.checks.success),
    String(scenario.checks.failure),
    String(scenario.checks.warning),
    String(scenario.checks.skipped),
    String(scenario.checks.info),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
  const format = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ');
  const scored = summary.scenarios.filter((scenario) => scenario.scored);
  const title = `MCP conformance ${summary.suite} (CLI ${summary.cliVersion}, exit ${summary.exitCode}, ${summary.durationMs} ms): ${
    scored.filter((scenario) => scenario.passed).length
  }/${scored.length} scored scenarios passed${
    expectedFailures.length > 0 ? `, ${expectedFailures.length} fail as expected` : ''
  }`;
  return [title, format(header), ...rows.map(format)].join('\n');
}
