/**
 * Runs inside vitest for `npm run policy:check` (infra/test/harness.ts needs vitest's module reset): evaluates the
 * program of one stack under mocks with the pack and writes the violations as JSON for scripts/policy-check.ts.
 */
import { writeFileSync } from 'node:fs';
import { it } from 'vitest';
import { runProgramUnderMocks } from '../../infra/test/harness';
import { evaluatePolicies, type PackConfig } from '../lib/evaluate';
import { toResourceRecords } from '../lib/program-resources';
import { securityPolicies } from '../registry';

it('policy check', async () => {
  const stack = process.env.POLICY_CHECK_STACK ?? 'dev';
  const output = process.env.POLICY_CHECK_OUTPUT;
  if (!output) throw new Error('POLICY_CHECK_OUTPUT is not set: run this through `npm run policy:check`.');
  const config = JSON.parse(process.env.POLICY_CHECK_CONFIG ?? '{}') as PackConfig;
  const run = await runProgramUnderMocks({ stack, preview: process.env.POLICY_CHECK_PREVIEW === 'true' });
  const records = toResourceRecords(run.resources);
  const violations = await evaluatePolicies(securityPolicies, records, { config });
  writeFileSync(output, JSON.stringify({ stack, resourceCount: records.length, violations }));
});
