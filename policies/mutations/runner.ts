/**
 * Runs mutations through the pack (pure: records in, results out). A mutation is caught when the mutated records
 * get a mandatory violation the unmutated ones do not have (a policy name, or a new message of a policy).
 */
import type { SecurityPolicy } from '../lib/define';
import { evaluatePolicies, type ResourceRecord, type Violation } from '../lib/evaluate';
import type { Mutation, Stack } from './mutation';

export interface MutationResult {
  mutation: Mutation;
  stack: Stack;
  /** Policies with a mandatory violation the program does not have without the mutation. */
  caughtBy: string[];
  survived: boolean;
  /** Set when the mutation could not be applied (it found nothing to mutate): counted as survived. */
  error?: string;
}

const key = (violation: Violation) => `${violation.policyName}\u0000${violation.urn ?? ''}\u0000${violation.message}`;

async function mandatory(
  policies: readonly SecurityPolicy[],
  records: readonly ResourceRecord[],
): Promise<Violation[]> {
  return (await evaluatePolicies(policies, records)).filter((violation) => violation.enforcementLevel === 'mandatory');
}

export async function runMutations(
  policies: readonly SecurityPolicy[],
  recordsByStack: ReadonlyMap<Stack, readonly ResourceRecord[]>,
  catalogue: readonly Mutation[],
): Promise<MutationResult[]> {
  const results: MutationResult[] = [];
  // A resource policy sees one resource at a time: only the records a mutation changed or added can get a new
  // violation from one, so those are the only ones it re-reads. Stack policies see the whole stack, every time.
  const resourcePolicies = policies.filter((policy) => policy.kind === 'resource');
  const stackPolicies = policies.filter((policy) => policy.kind !== 'resource');
  for (const [stack, records] of recordsByStack) {
    const unchanged = new Set(records);
    const baseline = new Set((await mandatory(policies, records)).map(key));
    for (const mutation of catalogue) {
      if (!mutation.stacks.includes(stack)) continue;
      let mutated: ResourceRecord[];
      try {
        mutated = mutation.apply(records);
      } catch (error) {
        results.push({
          mutation,
          stack,
          caughtBy: [],
          survived: true,
          error: `mutation ${mutation.id} ${(error as Error).message}`,
        });
        continue;
      }
      const changed = mutated.filter((record) => !unchanged.has(record));
      const violations = [
        ...(await mandatory(resourcePolicies, changed)),
        ...(await mandatory(stackPolicies, mutated)),
      ];
      const fresh = violations.filter((violation) => !baseline.has(key(violation)));
      const caughtBy = [...new Set(fresh.map((violation) => violation.policyName))].sort();
      results.push({ mutation, stack, caughtBy, survived: caughtBy.length === 0 });
    }
  }
  return results;
}

export interface MutationScore {
  caught: number;
  total: number;
  percent: number;
}

export function scoreOf(results: readonly MutationResult[]): MutationScore {
  const caught = results.filter((result) => !result.survived).length;
  const total = results.length;
  return { caught, total, percent: total === 0 ? 0 : Math.floor((caught / total) * 1000) / 10 };
}

/** One line per mutation and the score, as `npm run policy:mutate` prints them. */
export function formatMutationReport(results: readonly MutationResult[]): string {
  const lines = results.map((result) => {
    const label = `[${result.stack}] ${result.mutation.id}`;
    if (result.error) return `✗ ${label} SURVIVED (${result.error})`;
    return result.survived
      ? `✗ ${label} SURVIVED — ${result.mutation.description}`
      : `✓ ${label} caught by ${result.caughtBy.join(', ')}`;
  });
  const score = scoreOf(results);
  lines.push(`score: ${score.caught}/${score.total} (${score.percent} %)`);
  return lines.join('\n');
}
