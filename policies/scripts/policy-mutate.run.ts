/**
 * Runs inside vitest for `npm run policy:mutate` (infra/test/harness.ts needs vitest's module reset): runs the
 * program of each stack once under mocks, applies the mutation catalogue and writes the results as JSON for
 * scripts/policy-mutate.ts.
 */
import { writeFileSync } from 'node:fs';
import { it } from 'vitest';
import { runProgramUnderMocks } from '../../infra/test/harness';
import type { ResourceRecord } from '../lib/evaluate';
import { toResourceRecords } from '../lib/program-resources';
import { mutationCatalogue } from '../mutations/catalogue';
import type { Stack } from '../mutations/mutation';
import { formatMutationReport, runMutations } from '../mutations/runner';
import { securityPolicies } from '../registry';

it('policy mutate', async () => {
  const output = process.env.POLICY_MUTATE_OUTPUT;
  if (!output) throw new Error('POLICY_MUTATE_OUTPUT is not set: run this through `npm run policy:mutate`.');
  const stacks = (process.env.POLICY_MUTATE_STACKS ?? 'dev,staging,prod').split(',') as Stack[];
  const records = new Map<Stack, ResourceRecord[]>();
  for (const stack of stacks) records.set(stack, toResourceRecords((await runProgramUnderMocks({ stack })).resources));
  const results = await runMutations(securityPolicies, records, mutationCatalogue);
  writeFileSync(
    output,
    JSON.stringify({ report: formatMutationReport(results), survived: results.filter((r) => r.survived).length }),
  );
});
