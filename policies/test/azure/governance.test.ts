import { noPrivilegedRoleAssignment } from '../../azure/authorization-no-privileged-role-assignment';
import { exposureUndecided } from '../../azure/exposure-undecided';
import { logAnalyticsRetention } from '../../azure/loganalytics-retention';
import { nsgNoOpenManagement } from '../../azure/network-nsg-no-open-management';
import { resourceRequiredTags } from '../../azure/resource-required-tags';
import {
  AZURE_TYPES,
  CLUSTER_ID,
  networkSecurityGroup,
  POSTGRES_ID,
  roleAssignment,
  VAULT_ID,
  vault,
  workspace,
} from '../fixtures/azure-baseline';
import { asResource, provePolicy, withUnknowns } from '../helpers/policy-harness';

// biome-ignore lint/suspicious/noExplicitAny: test drafts mutate deeply nested resource inputs by path.
type Props = Record<string, any>;

/** A built-in role definition id as the program writes it. */
const role = (guid: string) =>
  `/subscriptions/00000000-0000-4000-8000-000000000001/providers/Microsoft.Authorization/roleDefinitions/${guid}`;

provePolicy({
  policy: resourceRequiredTags,
  baseline: () => vault() as Props,
  toRecords: asResource(AZURE_TYPES.vault),
  passing: [
    {
      name: 'camelCase keys count',
      change: (d) => {
        delete d.tags['data-classification'];
        d.tags.dataClassification = 'internal';
      },
    },
    {
      name: 'a type outside the configured list',
      change: (d) => void delete d.tags,
      config: { resourceTypes: ['azure-native:resources:ResourceGroup'] },
    },
  ],
  failing: [
    {
      rule: 'no tags',
      change: (d) => void delete d.tags,
      message: /Missing required tags: environment, owner, cost-center, data-classification, managed-by\./,
    },
    {
      rule: 'no cost-center, no managed-by',
      change: (d) => {
        delete d.tags['cost-center'];
        delete d.tags['managed-by'];
      },
      message: /Missing required tags: cost-center, managed-by\./,
    },
    {
      rule: 'empty owner',
      change: (d) => {
        d.tags.owner = ' ';
      },
      message: /Missing required tags: owner\./,
    },
    {
      rule: 'configured extra tag',
      change: () => {},
      config: { requiredTags: ['environment', 'cost-owner'] },
      message: /cost-owner/,
    },
  ],
  preview: [['tags']],
});

provePolicy({
  policy: nsgNoOpenManagement,
  baseline: () => networkSecurityGroup() as Props,
  toRecords: asResource(AZURE_TYPES.networkSecurityGroup),
  failing: [
    {
      rule: 'SSH from anywhere',
      change: (d) => {
        d.securityRules[1].sourceAddressPrefix = '*';
      },
      message: /allow-ssh-from-bastion allows port\(s\) 22 from the Internet/,
    },
    {
      rule: 'a port range covering RDP from the Internet',
      change: (d) =>
        void d.securityRules.push({
          name: 'wide',
          direction: 'Inbound',
          access: 'Allow',
          sourceAddressPrefix: 'Internet',
          destinationPortRange: '3000-4000',
        }),
      message: /wide allows port\(s\) 3389/,
    },
    {
      rule: 'the Kubernetes API and kubelet from anywhere',
      change: (d) =>
        void d.securityRules.push({
          name: 'k8s',
          direction: 'Inbound',
          access: 'Allow',
          protocol: 'Tcp',
          sourceAddressPrefix: '*',
          destinationPortRanges: ['6443', '10250'],
        }),
      message: /k8s allows port\(s\) 6443, 10250 from the Internet/,
    },
    {
      rule: 'every port from two halves of the Internet',
      change: (d) =>
        void d.securityRules.push({
          name: 'halves',
          direction: 'Inbound',
          access: 'Allow',
          protocol: '*',
          sourceAddressPrefixes: ['0.0.0.0/1', '128.0.0.0/1'],
          destinationPortRange: '1-65535',
        }),
      message: /halves allows port\(s\) 22, 23, 3389.*5432, 6379.*the Internet\)/,
    },
    {
      rule: 'a configured sensitive port, from a public /16',
      change: (d) =>
        void d.securityRules.push({
          name: 'metrics',
          direction: 'Inbound',
          access: 'Allow',
          sourceAddressPrefix: '198.51.0.0/16',
          destinationPortRange: '9000-9100',
        }),
      config: { sensitivePorts: [9090] },
      message: /metrics allows port\(s\) 9090 from the Internet \(65,536 public addresses\)/,
    },
    {
      rule: 'two rules, each with half of the Internet, on SSH',
      change: (d) =>
        void d.securityRules.push(
          {
            name: 'low',
            direction: 'Inbound',
            access: 'Allow',
            sourceAddressPrefix: '0.0.0.0/1',
            destinationPortRange: '22',
          },
          {
            name: 'high',
            direction: 'Inbound',
            access: 'Allow',
            sourceAddressPrefix: '128.0.0.0/1',
            destinationPortRange: '22',
          },
        ),
      config: { maxPublicAddresses: 2_500_000_000 },
      message: /Security rules low, high together allow port 22 from the Internet/,
    },
  ],
  passing: [
    {
      name: 'every port from the virtual network and one admin address',
      change: (d) =>
        void d.securityRules.push({
          name: 'internal',
          direction: 'Inbound',
          access: 'Allow',
          sourceAddressPrefixes: ['VirtualNetwork', '10.0.0.0/8', '203.0.113.10/32'],
          destinationPortRange: '*',
        }),
    },
    {
      name: 'a deny rule from the Internet on every port',
      change: (d) =>
        void d.securityRules.push({
          name: 'deny',
          direction: 'Inbound',
          access: 'Deny',
          sourceAddressPrefix: '*',
          destinationPortRange: '*',
        }),
    },
  ],
  preview: [['securityRules']],
});

provePolicy({
  policy: nsgNoOpenManagement,
  baseline: () => (networkSecurityGroup() as Props).securityRules[1] as Props,
  toRecords: asResource(AZURE_TYPES.securityRule),
  failing: [
    {
      rule: 'standalone rule opening Postgres',
      change: (d) => {
        d.sourceAddressPrefix = '0.0.0.0/0';
        d.destinationPortRange = '5432';
      },
      message: /5432 from the Internet/,
    },
  ],
  preview: [['sourceAddressPrefix']],
});

provePolicy({
  policy: noPrivilegedRoleAssignment,
  // Key Vault Secrets User for a workload identity, on one secret (keyvault.ts grantSecretRead).
  baseline: (): Props => ({ ...roleAssignment(), scope: `${VAULT_ID}/secrets/database-url` }),
  toRecords: asResource(AZURE_TYPES.roleAssignment),
  passing: [
    {
      name: 'AKS RBAC Cluster Admin for an admin group, on the cluster',
      change: (d) => {
        d.principalType = 'Group';
        d.roleDefinitionId = role('b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b');
        d.scope = CLUSTER_ID;
      },
    },
    {
      name: 'Network Contributor for the cluster identity, on a subnet',
      change: (d) => {
        d.roleDefinitionId = role('4d97b98b-1d4f-4787-a291-c67834d212e7');
        d.scope = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/nodes';
      },
    },
    {
      name: 'break-glass principal allowed a role outside the allow-list by config',
      change: (d) => {
        d.roleDefinitionId = role('8e3af657-a8ff-443c-a75c-2fe8c4bcb635');
      },
      config: { allowedPrincipalIds: ['44444444-4444-4444-8444-444444444444'] },
    },
    {
      name: 'a grant added to the allow-list by config',
      change: (d) => {
        d.roleDefinitionId = role('acdd72a7-3385-48ef-bd42-f606fba81ae7');
        d.scope = POSTGRES_ID;
      },
      config: {
        allowedAssignments: [
          {
            role: 'Reader',
            roleDefinitionId: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
            principalTypes: ['ServicePrincipal'],
            scopeTypes: ['Microsoft.DBforPostgreSQL/flexibleServers'],
          },
        ],
      },
    },
  ],
  failing: [
    {
      rule: 'Owner',
      change: (d) => {
        d.roleDefinitionId = '/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635';
      },
      message: /grants role 8e3af657-a8ff-443c-a75c-2fe8c4bcb635, which the architecture does not need/,
    },
    {
      rule: 'Key Vault Administrator for the workload identity',
      change: (d) => {
        d.roleDefinitionId = role('00482a5a-887f-4fb3-b363-3b7fe8e74483');
      },
      message: /00482a5a-887f-4fb3-b363-3b7fe8e74483, which the architecture does not need/,
    },
    {
      rule: 'RBAC Administrator for the cluster identity',
      change: (d) => {
        d.roleDefinitionId = role('f58310d9-a9f6-439a-9e8d-f62e7b41a168');
        d.scope = CLUSTER_ID;
      },
      message: /f58310d9-a9f6-439a-9e8d-f62e7b41a168, which the architecture does not need/,
    },
    {
      rule: 'a needed role at subscription scope',
      change: (d) => {
        d.scope = '/subscriptions/00000000-0000-4000-8000-000000000001';
      },
      message: /at the scope of a subscription/,
    },
    {
      rule: 'a needed role at resource-group scope, even for a break-glass principal',
      change: (d) => {
        d.scope = '/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-mcp-prod';
      },
      config: { allowedPrincipalIds: ['44444444-4444-4444-8444-444444444444'] },
      message: /at the scope of a resource group/,
    },
    {
      rule: 'Key Vault Secrets User on the whole vault instead of one secret',
      change: (d) => {
        d.scope = VAULT_ID;
      },
      message:
        /Key Vault Secrets User on a Microsoft.KeyVault\/vaults scope; the allow-list permits it only on Microsoft.KeyVault\/vaults\/secrets/,
    },
    {
      rule: 'cluster admin for a service principal the allow-list names only for groups (configured)',
      change: (d) => {
        d.roleDefinitionId = role('b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b');
        d.scope = CLUSTER_ID;
      },
      config: {
        allowedAssignments: [
          {
            role: 'AKS RBAC Cluster Admin',
            roleDefinitionId: 'b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b',
            principalTypes: ['Group'],
            scopeTypes: ['Microsoft.ContainerService/managedClusters'],
          },
        ],
      },
      message: /AKS RBAC Cluster Admin to a ServicePrincipal, which the allow-list does not permit/,
    },
  ],
  preview: [['roleDefinitionId'], ['scope']],
});

provePolicy({
  policy: logAnalyticsRetention,
  baseline: () => workspace() as Props,
  toRecords: asResource(AZURE_TYPES.logAnalyticsWorkspace),
  failing: [
    {
      rule: 'short retention',
      change: (d) => {
        d.retentionInDays = 7;
      },
      message: /keeps logs 7 days: keep at least 30/,
    },
    {
      rule: 'retention not declared',
      change: (d) => void delete d.retentionInDays,
      message: /does not declare retentionInDays/,
    },
  ],
  preview: [['retentionInDays']],
});

// Advisory: what the exposure policies cannot count in preview is named (they skip unknown values).
provePolicy({
  policy: exposureUndecided,
  baseline: () => networkSecurityGroup() as Props,
  toRecords: asResource(AZURE_TYPES.networkSecurityGroup),
  passing: [{ name: 'every rule known', change: () => undefined }],
  failing: [
    {
      rule: 'a rule whose source address is not known yet',
      change: (d) => {
        d.securityRules = withUnknowns(d.securityRules, [1, 'sourceAddressPrefix']);
      },
      message:
        /^Not known in this preview: securityRules\[1\] \(allow-ssh-from-bastion\)\. .*\(azure-network-nsg-no-internet-management decides at pulumi up\)/,
    },
    {
      rule: 'the rules themselves not known yet',
      change: (d) => {
        Object.assign(d, withUnknowns({ securityRules: d.securityRules }, ['securityRules']));
      },
      message: /^Not known in this preview: securityRules\./,
    },
  ],
  // Unknowns outside the rules (the tags) leave every exposure decidable.
  preview: [['tags']],
});
