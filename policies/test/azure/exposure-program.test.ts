/**
 * The exposure and least-privilege policies against the program's own resources (prod under mocks): the program
 * passes them, and weakening one of its resources the way an auditor would (ranges that add up to the Internet, a
 * sensitive port by range, a role outside the architecture's grants, a grant at subscription scope) is caught.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runProgramUnderMocks } from '../../../infra/test/harness';
import { aksApiAccessRestricted } from '../../azure/aks-api-access-restricted';
import { noPrivilegedRoleAssignment } from '../../azure/authorization-no-privileged-role-assignment';
import { exposureUndecided } from '../../azure/exposure-undecided';
import { keyVaultNetworkRestricted } from '../../azure/keyvault-network-restricted';
import { nsgNoOpenManagement } from '../../azure/network-nsg-no-open-management';
import { postgresNoOpenFirewall } from '../../azure/postgres-no-open-firewall';
import { AZURE_TYPES } from '../../lib/azure';
import { evaluatePolicies, type ResourceRecord } from '../../lib/evaluate';
import { toResourceRecords } from '../../lib/program-resources';
import { UNKNOWN } from '../../lib/values';

const POLICIES = [
  aksApiAccessRestricted,
  keyVaultNetworkRestricted,
  nsgNoOpenManagement,
  postgresNoOpenFirewall,
  noPrivilegedRoleAssignment,
];

// biome-ignore lint/suspicious/noExplicitAny: mutations reach deeply into resource inputs.
type Inputs = Record<string, any>;

let program: ResourceRecord[] = [];

beforeAll(async () => {
  program = toResourceRecords((await runProgramUnderMocks({ stack: 'prod' })).resources);
}, 120_000);

/** The program's records with one resource changed; fails when no resource matches. */
function mutated(match: (record: ResourceRecord) => boolean, change: (inputs: Inputs) => void): ResourceRecord[] {
  let found = false;
  const records = program.map((record) => {
    if (found || !match(record)) return record;
    found = true;
    const inputs = structuredClone(record.inputs) as Inputs;
    change(inputs);
    return { ...record, inputs };
  });
  expect(found, 'the program registers a resource to mutate').toBe(true);
  return records;
}

async function caughtBy(records: ResourceRecord[]): Promise<string[]> {
  return (await evaluatePolicies(POLICIES, records)).map(
    (violation) => `${violation.policyName}: ${violation.message}`,
  );
}

const ofType = (type: string, name?: RegExp) => (record: ResourceRecord) =>
  record.type === type && (name === undefined || name.test(record.name));
const role = (guid: string) =>
  `/subscriptions/00000000-0000-4000-8000-000000000001/providers/Microsoft.Authorization/roleDefinitions/${guid}`;

describe('exposure and least privilege on the program (prod, under mocks)', () => {
  it('the program passes: every grant it makes is on the allow-list, at a resource scope', async () => {
    expect(program.filter(ofType(AZURE_TYPES.roleAssignment)).length).toBeGreaterThan(5);
    expect(await caughtBy(program)).toEqual([]);
  });

  it.each<[string, (record: ResourceRecord) => boolean, (inputs: Inputs) => void, RegExp]>([
    [
      'ManagedCluster: public API with 0.0.0.0/1 + 128.0.0.0/1',
      ofType(AZURE_TYPES.managedCluster),
      (d) => {
        d.apiServerAccessProfile = { enablePrivateCluster: false, authorizedIPRanges: ['0.0.0.0/1', '128.0.0.0/1'] };
      },
      /azure-aks-api-access-restricted: .*the Internet/,
    ],
    [
      "Vault: ipRules 0.0.0.0/0 with defaultAction 'Deny'",
      ofType(AZURE_TYPES.vault),
      (d) => {
        d.properties.publicNetworkAccess = 'Enabled';
        d.properties.networkAcls = {
          defaultAction: 'Deny',
          bypass: 'AzureServices',
          ipRules: [{ value: '0.0.0.0/0' }],
        };
      },
      /azure-keyvault-network-restricted: .*ipRules admit/,
    ],
    [
      'NetworkSecurityGroup: 1-65535 from *',
      ofType(AZURE_TYPES.networkSecurityGroup),
      (d) => {
        d.securityRules = [
          ...(d.securityRules ?? []),
          {
            name: 'open',
            direction: 'Inbound',
            access: 'Allow',
            protocol: 'Tcp',
            sourceAddressPrefix: '*',
            destinationPortRange: '1-65535',
            priority: 4000,
          },
        ];
      },
      /azure-network-nsg-no-internet-management: .*6443, 10250/,
    ],
    [
      'RoleAssignment: scope = subscription',
      ofType(AZURE_TYPES.roleAssignment),
      (d) => {
        d.scope = '/subscriptions/00000000-0000-4000-8000-000000000001';
      },
      /azure-authorization-least-privilege: .*scope of a subscription/,
    ],
    [
      'RoleAssignment: Key Vault Administrator for an identity that reads one secret (the edge certificate)',
      ofType(AZURE_TYPES.roleAssignment, /reads-certificate/),
      (d) => {
        d.roleDefinitionId = role('00482a5a-887f-4fb3-b363-3b7fe8e74483');
      },
      /azure-authorization-least-privilege: .*does not need/,
    ],
    [
      'RoleAssignment: Role Based Access Control Administrator for the cluster identity',
      ofType(AZURE_TYPES.roleAssignment, /cluster-kubelet-operator/),
      (d) => {
        d.roleDefinitionId = role('f58310d9-a9f6-439a-9e8d-f62e7b41a168');
      },
      /azure-authorization-least-privilege: .*does not need/,
    ],
  ])('%s is caught', async (_name, match, change, expected) => {
    expect((await caughtBy(mutated(match, change))).join('\n')).toMatch(expected);
  });
});

describe('an exposure only `pulumi up` can count is named in preview (advisory), not passed silently', () => {
  const advisories = async (records: ResourceRecord[]) =>
    (await evaluatePolicies([...POLICIES, exposureUndecided], records)).map(
      (violation) => `${violation.policyName} (${violation.enforcementLevel}): ${violation.message}`,
    );

  it.each(['dev', 'prod'])('the %s program in preview has every exposure decided', async (stack) => {
    const preview = toResourceRecords((await runProgramUnderMocks({ stack, preview: true })).resources);
    expect(await advisories(preview)).toEqual([]);
  });

  it.each<[string, (record: ResourceRecord) => boolean, (inputs: Inputs) => void, RegExp]>([
    [
      'ManagedCluster: authorizedIPRanges from an output',
      ofType(AZURE_TYPES.managedCluster),
      (d) => {
        d.apiServerAccessProfile = { enablePrivateCluster: false, authorizedIPRanges: UNKNOWN };
      },
      /^azure-exposure-undecided \(advisory\): Not known in this preview: apiServerAccessProfile\.authorizedIPRanges\. .*\(azure-aks-api-access-restricted decides/,
    ],
    [
      'Vault: one ipRule from an output',
      ofType(AZURE_TYPES.vault),
      (d) => {
        d.properties.publicNetworkAccess = 'Enabled';
        d.properties.networkAcls = { defaultAction: 'Deny', ipRules: [{ value: '203.0.113.1' }, { value: UNKNOWN }] };
      },
      /^azure-exposure-undecided \(advisory\): Not known in this preview: properties\.networkAcls\.ipRules\. .*azure-keyvault-network-restricted/,
    ],
    [
      'NetworkSecurityGroup: a rule whose source is an output',
      ofType(AZURE_TYPES.networkSecurityGroup),
      (d) => {
        d.securityRules = [
          {
            name: 'from-output',
            direction: 'Inbound',
            access: 'Allow',
            sourceAddressPrefix: UNKNOWN,
            destinationPortRange: '22',
          },
        ];
      },
      /^azure-exposure-undecided \(advisory\): Not known in this preview: securityRules\[0\] \(from-output\)\. .*azure-network-nsg-no-internet-management/,
    ],
  ])('%s', async (_name, match, change, expected) => {
    const found = await advisories(mutated(match, change));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(expected);
  });

  it('a private cluster needs no ranges: nothing undecided', async () => {
    const records = mutated(ofType(AZURE_TYPES.managedCluster), (d) => {
      d.apiServerAccessProfile = { enablePrivateCluster: true, authorizedIPRanges: UNKNOWN };
    });
    expect(await advisories(records)).toEqual([]);
  });
});
