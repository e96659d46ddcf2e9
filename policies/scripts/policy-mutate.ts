/**
 * `npm run policy:mutate [-- <stack>]`: applies the mutation catalogue (mutations/catalogue.ts) to the resources the
 * program of each stack (default: dev, staging and prod) registers under mocks, runs each mutated program through
 * the pack, prints each mutation with the policies that caught it and the mutation score; exits 1 when a mutation
 * survives, 2 when the run itself cannot happen.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { vitestRunArgs } from '../../infra/test/vitest-runner';
import { STACKS } from '../mutations/mutation';

const USAGE = `Usage: npm run policy:mutate [-- <stack>]

Applies every insecure mutation of policies/mutations/catalogue.ts to the program of <stack> (${STACKS.join(', ')};
default: all three) under mocks and runs the policy pack on each: every mutation must be caught.

Exit status: 0 every mutation caught (score 100 %), 1 a mutation survived, 2 the run could not happen.`;

function fail(message: string): never {
  console.error(`policy:mutate: ${message}`);
  process.exit(2);
}

let parsed: ReturnType<typeof parseCommandLine>;
function parseCommandLine() {
  return parseArgs({ allowPositionals: true, options: { help: { type: 'boolean', short: 'h', default: false } } });
}
try {
  parsed = parseCommandLine();
} catch (error) {
  fail(`${(error as Error).message}\n\n${USAGE}`);
}
if (parsed.values.help) {
  console.log(USAGE);
  process.exit(0);
}
const stacks = parsed.positionals.length > 0 ? parsed.positionals : [...STACKS];
for (const stack of stacks) {
  if (!(STACKS as readonly string[]).includes(stack))
    fail(`unknown stack '${stack}': use one of ${STACKS.join(', ')}.`);
}

const repositoryRoot = join(__dirname, '..', '..');
const workDir = mkdtempSync(join(tmpdir(), 'policy-mutate-'));
const output = join(workDir, 'results.json');
const vitest = spawnSync(process.execPath, vitestRunArgs(join(__dirname, 'policy-mutate.vitest.config.mts')), {
  cwd: repositoryRoot,
  env: { ...process.env, POLICY_MUTATE_STACKS: stacks.join(','), POLICY_MUTATE_OUTPUT: output },
  encoding: 'utf8',
});
let result: { report: string; survived: number };
try {
  result = JSON.parse(readFileSync(output, 'utf8'));
} catch {
  console.error(vitest.stdout, vitest.stderr);
  fail(`the mutations could not be run on ${stacks.join(', ')} under mocks (output above).`);
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
console.log(result.report);
process.exit(result.survived > 0 ? 1 : 0);
