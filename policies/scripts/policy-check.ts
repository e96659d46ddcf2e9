/**
 * `npm run policy:check [-- <stack>] [--preview] [--config <policy-config.json>]`: runs the Pulumi program of a stack
 * (default: $POLICY_STACK or dev) under mocks, evaluates every resource with the policy pack, prints a readable report
 * (policy, resource, message) and exits 1 on a mandatory violation, 2 when the check itself cannot run.
 * The same pack runs for real with `pulumi preview --policy-pack policies` (see .github/workflows/policy.yml).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Violation } from '../lib/evaluate';
import { formatViolationReport } from '../lib/report';

const STACKS = ['dev', 'staging', 'prod'];

function fail(message: string): never {
  console.error(`policy:check: ${message}`);
  process.exit(2);
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { preview: { type: 'boolean', default: false }, config: { type: 'string' } },
});
const stack = positionals[0] ?? process.env.POLICY_STACK ?? 'dev';
if (!STACKS.includes(stack)) fail(`unknown stack '${stack}': use one of ${STACKS.join(', ')}.`);
const config = values.config ? readFileSync(values.config, 'utf8') : '{}';
try {
  JSON.parse(config);
} catch {
  fail(`--config ${values.config} is not JSON (the format of pulumi preview --policy-pack-config).`);
}

const workDir = mkdtempSync(join(tmpdir(), 'policy-check-'));
const output = join(workDir, 'violations.json');
const repositoryRoot = join(__dirname, '..', '..');
const vitest = spawnSync(
  process.execPath,
  [
    join(repositoryRoot, 'node_modules', 'vitest', 'vitest.mjs'),
    'run',
    '--config',
    join(__dirname, 'policy-check.vitest.config.mts'),
  ],
  {
    cwd: repositoryRoot,
    env: {
      ...process.env,
      POLICY_CHECK_STACK: stack,
      POLICY_CHECK_OUTPUT: output,
      POLICY_CHECK_CONFIG: config,
      POLICY_CHECK_PREVIEW: String(values.preview),
    },
    encoding: 'utf8',
  },
);
let result: { stack: string; resourceCount: number; violations: Violation[] };
try {
  result = JSON.parse(readFileSync(output, 'utf8'));
} catch {
  console.error(vitest.stdout, vitest.stderr);
  fail(`the program of stack '${stack}' could not be evaluated under mocks (output above).`);
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
console.log(formatViolationReport(result.stack, result.resourceCount, result.violations));
process.exit(result.violations.some((violation) => violation.enforcementLevel === 'mandatory') ? 1 : 0);
