import { noPrivilegedRoleAssignment } from '../../azure/authorization-no-privileged-role-assignment';
import { logAnalyticsRetention } from '../../azure/loganalytics-retention';
import { nsgNoOpenManagement } from '../../azure/network-nsg-no-open-management';
import { resourceRequiredTags } from '../../azure/resource-required-tags';
import { AZURE_TYPES, networkSecurityGroup, roleAssignment, vault, workspace } from '../fixtures/azure-baseline';
import { asResource, provePolicy } from '../helpers/policy-harness';

// biome-ignore lint/suspicious/noExplicitAny: test drafts mutate deeply nested resource inputs by path.
type Props = Record<string, any>;

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
      message: /Missing required tags: environment, owner, data-classification/,
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
  baseline: () => roleAssignment() as Props,
  toRecords: asResource(AZURE_TYPES.roleAssignment),
  passing: [
    {
      name: 'break-glass principal allowed by config',
      change: (d) => {
        d.roleDefinitionId = '/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635';
      },
      config: { allowedPrincipalIds: ['44444444-4444-4444-8444-444444444444'] },
    },
  ],
  failing: [
    {
      rule: 'Owner',
      change: (d) => {
        d.roleDefinitionId = '/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635';
      },
      message: /grants Owner/,
    },
    {
      rule: 'Contributor',
      change: (d) => {
        d.roleDefinitionId = 'B24988AC-6180-42A0-AB88-20F7382DD24C';
      },
      message: /grants Contributor/,
    },
  ],
  preview: [['roleDefinitionId']],
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
