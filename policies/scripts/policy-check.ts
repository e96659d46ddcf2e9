/**
 * `npm run policy:check [-- <stack>] [--preview] [--config <policy-config.json>]`: runs the Pulumi program of a stack
 * (default: $POLICY_STACK or dev) with the config of its `Pulumi.<stack>.yaml` under mocks, evaluates every resource
 * with the policy pack, prints a readable report (policy, resource, message) and exits 1 on a mandatory violation, 2
 * when the check itself cannot run. `--config` takes the file of `pulumi preview --policy-pack-config`, in every
 * shape the engine accepts (scripts/pack-config.ts). The same pack runs for real with
 * `pulumi preview --policy-pack policies` (see .github/workflows/policy.yml).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { vitestRunArgs } from '../../infra/test/vitest-runner';
import type { PackConfig, Violation } from '../lib/evaluate';
import { formatViolationReport } from '../lib/report';
import { securityPolicies } from '../registry';
import { normalizePackConfig, PackConfigError } from './pack-config';
import { readStackConfig } from './stack-config';

const STACKS = ['dev', 'staging', 'prod'];

const USAGE = `Usage: npm run policy:check [-- <stack>] [--preview] [--config <policy-pack-config.json>]

Runs the Pulumi program of <stack> (${STACKS.join(', ')}; default: $POLICY_STACK or dev) under mocks with the
config of Pulumi.<stack>.yaml, evaluates every resource with the policy pack and prints the violations.

Options:
  --preview        evaluate as a preview: ids and computed outputs are unknown
  --config FILE    policy pack config, as for pulumi preview --policy-pack-config:
                   {"all": "advisory"}, {"<policy>": "disabled"},
                   {"<policy>": {"enforcementLevel": "mandatory", "<property>": ...}}
  -h, --help       print this help

Exit status: 0 no mandatory violation, 1 a mandatory violation, 2 the check could not run.`;

function fail(message: string): never {
  console.error(`policy:check: ${message}`);
  process.exit(2);
}

let parsed: ReturnType<typeof parseCommandLine>;
function parseCommandLine() {
  return parseArgs({
    allowPositionals: true,
    options: {
      preview: { type: 'boolean', default: false },
      config: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}
try {
  parsed = parseCommandLine();
} catch (error) {
  console.error(`policy:check: ${(error as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
const { values, positionals } = parsed;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (positionals.length > 1) fail(`one stack at a time, got ${positionals.join(', ')}.\n\n${USAGE}`);
const stack = positionals[0] ?? (process.env.POLICY_STACK || 'dev');
if (!STACKS.includes(stack)) fail(`unknown stack '${stack}': use one of ${STACKS.join(', ')}.`);
const repositoryRoot = join(__dirname, '..', '..');

let stackConfig: Record<string, unknown>;
try {
  // POLICY_CHECK_STACK_DIR: where the Pulumi.<stack>.yaml files are (tests point it at a weakened copy).
  stackConfig = readStackConfig(process.env.POLICY_CHECK_STACK_DIR || repositoryRoot, stack);
} catch (error) {
  fail((error as Error).message);
}

let config: PackConfig = {};
if (values.config) {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(values.config, 'utf8'));
  } catch (error) {
    fail(
      `--config ${values.config} cannot be read as JSON (the format of pulumi preview --policy-pack-config): ${(error as Error).message}`,
    );
  }
  try {
    config = normalizePackConfig(
      raw,
      securityPolicies.map((policy) => policy.name),
    );
  } catch (error) {
    if (error instanceof PackConfigError) fail(`--config ${values.config}: ${error.message}`);
    throw error;
  }
}

const workDir = mkdtempSync(join(tmpdir(), 'policy-check-'));
const output = join(workDir, 'violations.json');
const vitest = spawnSync(process.execPath, vitestRunArgs(join(__dirname, 'policy-check.vitest.config.mts')), {
  cwd: repositoryRoot,
  env: {
    ...process.env,
    POLICY_CHECK_STACK: stack,
    POLICY_CHECK_OUTPUT: output,
    POLICY_CHECK_CONFIG: JSON.stringify(config),
    POLICY_CHECK_STACK_CONFIG: JSON.stringify(stackConfig),
    POLICY_CHECK_PREVIEW: String(values.preview),
  },
  encoding: 'utf8',
});
let result: { stack: string; resourceCount: number; violations: Violation[]; configError?: string };
try {
  result = JSON.parse(readFileSync(output, 'utf8'));
} catch {
  console.error(vitest.stdout, vitest.stderr);
  fail(`the program of stack '${stack}' could not be evaluated under mocks (output above).`);
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
if (result.configError) {
  fail(`the program refuses the config of Pulumi.${stack}.yaml, so no deployment could run:\n${result.configError}`);
}
console.log(formatViolationReport(result.stack, result.resourceCount, result.violations));
process.exit(result.violations.some((violation) => violation.enforcementLevel === 'mandatory') ? 1 : 0);
