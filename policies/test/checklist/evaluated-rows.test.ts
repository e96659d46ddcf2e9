/**
 * A policy with nothing to judge passes everything. For each profile's whole program (under mocks): every checklist
 * row proven by policies has at least one of them judging resources of that stack, and the policies that judge
 * nothing are named here with the reason, so "enforced" in docs/security-checklist.md never rests on an idle policy.
 */
import { describe, expect, it } from 'vitest';
import { runProgramUnderMocks } from '../../../infra/test/harness';
import { CHECKLIST_ITEMS } from '../../checklist/items';
import { toResourceRecords } from '../../lib/program-resources';
import { resolveProperties } from '../../lib/values';
import { securityPolicies } from '../../registry';

const NO_FIREWALL =
  'Postgres has private access only (delegated subnet): the program declares no firewall rule for it to judge.';
/** Policies that judge nothing in a stack, and why that is right (they guard against resources the program avoids). */
const IDLE: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  dev: { 'azure-postgres-no-open-firewall': NO_FIREWALL },
  staging: {
    'azure-postgres-no-open-firewall': NO_FIREWALL,
    'kubernetes-secretproviderclass-workload-identity':
      'staging, like prod, has no secret to mount (Entra tokens for Postgres and Redis), so no SecretProviderClass exists.',
  },
  prod: {
    'azure-postgres-no-open-firewall': NO_FIREWALL,
    'kubernetes-secretproviderclass-workload-identity':
      'prod has no secret to mount (Entra tokens for Postgres and Redis), so no SecretProviderClass exists.',
  },
};

describe.each(['dev', 'staging', 'prod'])('the %s stack', (stack) => {
  let subjects: Promise<Map<string, string[]>> | undefined;
  // One program run for both tests of the stack.
  const subjectsOf = () => {
    subjects ??= computeSubjects();
    return subjects;
  };
  const computeSubjects = async () => {
    const run = await runProgramUnderMocks({ stack });
    const resources = toResourceRecords(run.resources).map((r) => ({
      type: r.type,
      name: r.name,
      props: resolveProperties(r.inputs),
    }));
    return new Map(securityPolicies.map((policy) => [policy.name, policy.subjectsIn(resources)]));
  };

  it('proves each policy-backed checklist row with a policy that judges resources of it', async () => {
    const subjects = await subjectsOf();
    const unproven = CHECKLIST_ITEMS.filter((item) => item.proof === 'policy')
      .filter((item) =>
        securityPolicies
          .filter((policy) => (policy.checklist as readonly string[]).includes(item.id))
          .every((policy) => (subjects.get(policy.name) ?? []).length === 0),
      )
      .map((item) => item.id);
    expect(unproven).toEqual([]);
  });

  it('names every policy that judges nothing in it', async () => {
    const subjects = await subjectsOf();
    const idle = [...subjects].filter(([, names]) => names.length === 0).map(([name]) => name);
    expect(idle.sort()).toEqual(Object.keys(IDLE[stack] ?? {}).sort());
  });
});
