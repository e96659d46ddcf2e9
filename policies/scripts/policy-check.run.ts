/**
 * Runs inside vitest for `npm run policy:check` (infra/test/harness.ts needs vitest's module reset): evaluates the
 * program of one stack, configured by its `Pulumi.<stack>.yaml` (scripts/stack-config.ts), under mocks with the pack
 * and writes the violations as JSON for scripts/policy-check.ts.
 */
import { writeFileSync } from 'node:fs';
import { it } from 'vitest';
import { baseTestConfig, runProgramUnderMocks } from '../../infra/test/harness';
import { evaluatePolicies, type PackConfig } from '../lib/evaluate';
import { toResourceRecords } from '../lib/program-resources';
import { securityPolicies } from '../registry';
import { toHarnessOverrides } from './stack-config';

it('policy check', async () => {
  const stack = process.env.POLICY_CHECK_STACK ?? 'dev';
  const output = process.env.POLICY_CHECK_OUTPUT;
  if (!output) throw new Error('POLICY_CHECK_OUTPUT is not set: run this through `npm run policy:check`.');
  const config = JSON.parse(process.env.POLICY_CHECK_CONFIG ?? '{}') as PackConfig;
  const stackConfig = JSON.parse(process.env.POLICY_CHECK_STACK_CONFIG ?? 'null') as Record<string, unknown> | null;
  let run: Awaited<ReturnType<typeof runProgramUnderMocks>>;
  try {
    run = await runProgramUnderMocks({
      stack,
      preview: process.env.POLICY_CHECK_PREVIEW === 'true',
      ...(stackConfig ? { config: toHarnessOverrides(stackConfig, baseTestConfig(stack)) } : {}),
    });
  } catch (error) {
    // The program refused the stack's config (it validates it first): that is the answer, not a crash.
    if ((error as { code?: unknown }).code !== 'INFRA_CONFIG_INVALID') throw error;
    writeFileSync(output, JSON.stringify({ stack, configError: (error as Error).message }));
    return;
  }
  const records = toResourceRecords(run.resources);
  const violations = await evaluatePolicies(securityPolicies, records, { config });
  writeFileSync(output, JSON.stringify({ stack, resourceCount: records.length, violations }));
});
