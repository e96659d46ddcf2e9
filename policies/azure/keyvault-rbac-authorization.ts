import { AZURE_TYPES, isType } from '../lib/azure';
import { defineResourcePolicy } from '../lib/define';
import { asArray, at, isUnknown } from '../lib/values';

export const keyVaultRbacAuthorization = defineResourcePolicy({
  name: 'azure-keyvault-rbac-authorization',
  description: 'Key Vaults authorize with Azure RBAC (per-secret least privilege, audited), not access policies.',
  severity: 'high',
  checklist: ['infra-secrets-store', 'auth-rbac'],
  references: ['AKS baseline', 'Azure security benchmark', 'Checkov CKV_AZURE_100'],
  remediationSteps:
    'Set `properties.enableRbacAuthorization: true` and grant Key Vault Secrets User to the workload identity.',
  appliesTo: isType(AZURE_TYPES.vault),
  validate: ({ props }, _config, report) => {
    const rbac = at(props, 'properties', 'enableRbacAuthorization');
    if (!isUnknown(rbac) && rbac !== true) {
      report('The Key Vault uses access policies: set properties.enableRbacAuthorization to true.');
    }
    const policies = at(props, 'properties', 'accessPolicies');
    if (!isUnknown(policies) && (asArray(policies)?.length ?? 0) > 0) {
      report('The Key Vault declares access policies: remove them and use role assignments.');
    }
  },
});
