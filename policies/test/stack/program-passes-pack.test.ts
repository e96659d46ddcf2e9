/**
 * The whole Pulumi program (infra/) under Pulumi mocks, every registered resource fed to the pack: each profile must
 * pass every mandatory policy. Violations the program has today are listed below, reported to the lead, and pinned:
 * a new violation fails this test, and so does a listed one that disappears (remove it from the list then).
 */
import { describe, expect, it } from 'vitest';
import { runProgramUnderMocks } from '../../../infra/test/harness';
import { evaluatePolicies, type Violation } from '../../lib/evaluate';
import { toResourceRecords } from '../../lib/program-resources';
import { securityPolicies } from '../../registry';

interface KnownViolation {
  stack: string;
  policy: string;
  resource: string;
  message: string;
  why: string;
}

/**
 * KNOWN VIOLATIONS, reported to the lead (policies/ does not edit infra/ and does not weaken a policy to pass).
 */
const KNOWN_VIOLATIONS: readonly KnownViolation[] = [
  {
    stack: 'dev',
    policy: 'azure-aks-encryption-at-host',
    resource: 'aks-cluster',
    message: 'Agent pool system does not encrypt at host: set enableEncryptionAtHost to true.',
    why: 'stacks/dev.ts sets encryptionAtHost: false (the subscription feature EncryptionAtHost may be unregistered).',
  },
  {
    stack: 'dev',
    policy: 'azure-aks-encryption-at-host',
    resource: 'aks-cluster',
    message: 'Agent pool user does not encrypt at host: set enableEncryptionAtHost to true.',
    why: 'same profile setting, second pool',
  },
];

function describeViolation(violation: Violation): string {
  return `${violation.policyName} on ${violation.urn?.split('::').pop() ?? 'the stack'}: ${violation.message}`;
}

describe.each(['dev', 'staging', 'prod'])('the %s stack under mocks', (stack) => {
  it('passes every mandatory policy of the pack (except the known violations, reported)', async () => {
    const run = await runProgramUnderMocks({ stack });
    const records = toResourceRecords(run.resources);
    expect(records.length).toBeGreaterThan(20);
    const violations = await evaluatePolicies(securityPolicies, records);
    const mandatory = violations.filter((violation) => violation.enforcementLevel === 'mandatory').map(describeViolation);
    const known = KNOWN_VIOLATIONS.filter((entry) => entry.stack === stack).map(
      (entry) => `${entry.policy} on ${entry.resource}: ${entry.message}`,
    );
    if (known.length > 0) console.warn(`KNOWN VIOLATIONS in ${stack} (reported to the lead):\n  ${known.join('\n  ')}`);
    expect(mandatory.sort()).toEqual(known.sort());
  });
});

describe('the prod stack in preview', () => {
  it('runs the whole pack over unknown values without an error and without a mandatory violation', async () => {
    const run = await runProgramUnderMocks({ stack: 'prod', preview: true });
    const violations = await evaluatePolicies(securityPolicies, toResourceRecords(run.resources));
    expect(violations.filter((violation) => violation.enforcementLevel === 'mandatory').map(describeViolation)).toEqual([]);
  });
});
