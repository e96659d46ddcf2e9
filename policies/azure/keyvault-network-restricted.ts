import { AZURE_TYPES, isType } from '../lib/azure';
import { defineResourcePolicy } from '../lib/define';
import { at, isUnknown, sameText } from '../lib/values';

export const keyVaultNetworkRestricted = defineResourcePolicy({
  name: 'azure-keyvault-network-restricted',
  description:
    'Key Vaults are not open to the Internet: public network access disabled, or network ACLs deny by default.',
  severity: 'high',
  checklist: ['net-private', 'infra-secrets-store'],
  references: ['AKS baseline', 'Azure security benchmark', 'Checkov CKV_AZURE_109', 'Checkov CKV_AZURE_189'],
  remediationSteps:
    "Set `properties.publicNetworkAccess: 'Disabled'` and use the private endpoint, or `properties.networkAcls.defaultAction: 'Deny'` with explicit ipRules.",
  appliesTo: isType(AZURE_TYPES.vault),
  validate: ({ props }, _config, report) => {
    const publicAccess = at(props, 'properties', 'publicNetworkAccess');
    const defaultAction = at(props, 'properties', 'networkAcls', 'defaultAction');
    if (isUnknown(publicAccess) || isUnknown(defaultAction)) return;
    if (sameText(publicAccess, 'Disabled')) return;
    if (sameText(defaultAction, 'Deny')) return;
    report(
      "The Key Vault accepts traffic from any network: set publicNetworkAccess 'Disabled' or networkAcls.defaultAction 'Deny'.",
    );
  },
});
