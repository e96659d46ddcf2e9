/**
 * The mutation catalogue against the program (one mocks run per stack for the whole file): every insecure mutation
 * is caught by the pack (score 100 %), the catalogue covers every area, a harmless change is not reported as caught,
 * and a mutation that finds nothing to mutate fails instead of passing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runProgramUnderMocks } from '../../../infra/test/harness';
import type { ResourceRecord } from '../../lib/evaluate';
import { toResourceRecords } from '../../lib/program-resources';
import { mutationCatalogue } from '../../mutations/catalogue';
import { ALL_STACKS, AREAS, change, type Mutation, STACKS, type Stack } from '../../mutations/mutation';
import { formatMutationReport, type MutationResult, runMutations, scoreOf } from '../../mutations/runner';
import { securityPolicies } from '../../registry';

const records = new Map<Stack, ResourceRecord[]>();
const results = new Map<Stack, MutationResult[]>();

beforeAll(async () => {
  for (const stack of STACKS) {
    records.set(stack, toResourceRecords((await runProgramUnderMocks({ stack })).resources));
  }
}, 120_000);

describe('the mutation catalogue', () => {
  it('has at least 40 mutations, unique ids, and covers every area', () => {
    expect(mutationCatalogue.length).toBeGreaterThanOrEqual(40);
    const ids = mutationCatalogue.map((mutation) => mutation.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(mutationCatalogue.map((mutation) => mutation.area))).toEqual(new Set(AREAS));
    for (const mutation of mutationCatalogue) expect(mutation.stacks.length).toBeGreaterThan(0);
  });

  it.each(STACKS)('every mutation applicable to %s is caught by the pack (full score)', async (stack) => {
    const stackResults = await runMutations(
      securityPolicies,
      new Map([[stack, records.get(stack)!]]),
      mutationCatalogue,
    );
    results.set(stack, stackResults);
    expect(stackResults.length).toBe(mutationCatalogue.filter((mutation) => mutation.stacks.includes(stack)).length);
    const survivors = stackResults.filter((result) => result.survived);
    expect(survivors.length, formatMutationReport(survivors)).toBe(0);
    expect(scoreOf(stackResults).percent).toBe(100);
  });

  it('never changes the records it is given', () => {
    const prod = records.get('prod')!;
    const before = JSON.stringify(prod);
    for (const mutation of mutationCatalogue) mutation.apply(prod);
    expect(JSON.stringify(prod)).toBe(before);
  });
});

describe('the runner', () => {
  const harmless: Mutation = {
    id: 'harmless-owner-tag',
    area: 'tags',
    description: 'Vault: the owner tag names another (valid) team',
    stacks: ALL_STACKS,
    apply: change({ type: 'azure-native:keyvault:Vault' }, (p) => {
      p.tags.owner = 'security-team';
    }),
  };
  const missing: Mutation = {
    id: 'no-such-resource',
    area: 'aks',
    description: 'a mutation of a type the program does not register',
    stacks: ALL_STACKS,
    apply: change({ type: 'azure-native:containerservice:Fleet' }, (p) => {
      p.x = 1;
    }),
  };

  it('does not report a harmless change as caught', async () => {
    const [result] = await runMutations(securityPolicies, new Map([['prod', records.get('prod')!]]), [harmless]);
    expect(result).toMatchObject({ survived: true, caughtBy: [] });
    expect(formatMutationReport([result!])).toMatch(/✗ \[prod\] harmless-owner-tag SURVIVED[\s\S]*score: 0\/1 \(0 %\)/);
  });

  it('fails loudly on a mutation that finds nothing to mutate', async () => {
    const [result] = await runMutations(securityPolicies, new Map([['dev', records.get('dev')!]]), [missing]);
    expect(result?.survived).toBe(true);
    expect(result?.error).toBe('mutation no-such-resource found no Fleet');
  });

  it('prints one line per mutation with the policies that caught it, and the score', () => {
    const prod = results.get('prod') ?? [];
    const report = formatMutationReport(prod);
    expect(report).toContain('✓ [prod] aks-local-accounts-on caught by azure-aks-local-accounts-disabled');
    expect(report).toMatch(/score: (\d+)\/\1 \(100 %\)$/);
  });
});
