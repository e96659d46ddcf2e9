import { AZURE_TYPES, isType } from '../lib/azure';
import { defineResourcePolicy } from '../lib/define';
import { at, isUnknown } from '../lib/values';

export const aksEntraAzureRbac = defineResourcePolicy({
  name: 'azure-aks-entra-azure-rbac',
  description: 'AKS clusters use managed Entra ID integration with Azure RBAC for Kubernetes authorization.',
  severity: 'high',
  checklist: ['auth-rbac', 'infra-k8s-rbac'],
  references: ['AKS baseline', 'AKS landing zone accelerator', 'Checkov CKV_AZURE_5'],
  remediationSteps: 'Set `aadProfile: { managed: true, enableAzureRBAC: true }` on the ManagedCluster.',
  appliesTo: isType(AZURE_TYPES.managedCluster),
  validate: ({ props }, _config, report) => {
    const managed = at(props, 'aadProfile', 'managed');
    const azureRbac = at(props, 'aadProfile', 'enableAzureRBAC');
    if (!isUnknown(managed) && managed !== true) {
      report('AKS is not integrated with Entra ID: set aadProfile.managed to true.');
    }
    if (!isUnknown(azureRbac) && azureRbac !== true) {
      report('AKS does not use Azure RBAC for Kubernetes authorization: set aadProfile.enableAzureRBAC to true.');
    }
  },
});
