/**
 * `pulumi preview` of a new stack: every id and computed output (names, principal ids, host names) is unknown. Per
 * profile, the program must still complete and the policy pack must judge the unknown-laden resources without an
 * error and without a mandatory violation (policies cannot assume a value they will only see at `up`).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluatePolicies, type Violation } from '../../policies/lib/evaluate';
import { toResourceRecords } from '../../policies/lib/program-resources';
import { securityPolicies } from '../../policies/registry';
import type { EnvironmentName } from '../../stacks';
import {
  type ProgramRun,
  resourcesOfType,
  runProgramUnderMocks,
  UNKNOWN_VALUE as UNKNOWN,
  unwrapSecrets,
} from './harness';

const environments: EnvironmentName[] = ['dev', 'staging', 'prod'];
const previews = {} as Record<EnvironmentName, ProgramRun>;

beforeAll(async () => {
  for (const stack of environments) previews[stack] = await runProgramUnderMocks({ stack, preview: true });
});

const describeViolation = (violation: Violation) =>
  `${violation.policyName} on ${violation.urn?.split('::').pop() ?? 'the stack'}: ${violation.message}`;

describe.each(environments)('a first preview of %s', (env) => {
  it('meets real unknowns: resource ids and the outputs other resources are built from', () => {
    const run = previews[env];
    const custom = run.resources.filter((r) => r.custom && r.type.startsWith('azure-native:'));
    expect(custom.length).toBeGreaterThan(20);
    expect(custom.every((r) => r.id === '')).toBe(true);
    // Inputs fed by another resource's computed outputs arrive unknown, exactly as in `pulumi preview`.
    const roleGrants = resourcesOfType(run, 'azure-native:authorization:RoleAssignment').map(
      (r) => unwrapSecrets(r.inputs) as Record<string, unknown>,
    );
    expect(roleGrants.some((grant) => grant.scope === UNKNOWN)).toBe(true);
    expect(roleGrants.some((grant) => grant.principalId === UNKNOWN)).toBe(true);
    for (const assignment of resourcesOfType(run, 'azure-native:redisenterprise:AccessPolicyAssignment')) {
      const inputs = unwrapSecrets(assignment.inputs) as Record<string, unknown>;
      expect(inputs.clusterName).toBe(UNKNOWN);
      expect(inputs.accessPolicyAssignmentName).toBe(UNKNOWN);
    }
  });

  it('completes: every stack output is registered (known or unknown)', () => {
    expect(Object.keys(previews[env].outputs)).toEqual(
      expect.arrayContaining(['clusterName', 'keyVaultUri', 'postgresHost', 'redisHost', 'kubeconfig']),
    );
  });

  it('passes every mandatory policy of the pack over the unknown values', async () => {
    const violations = await evaluatePolicies(securityPolicies, toResourceRecords(previews[env].resources));
    expect(violations.filter((v) => v.enforcementLevel === 'mandatory').map(describeViolation)).toEqual([]);
  });
});
