import { AZURE_TYPES, isType } from '../lib/azure';
import { defineResourcePolicy } from '../lib/define';

export const aksRbacEnabled = defineResourcePolicy({
  name: 'azure-aks-rbac-enabled',
  description: 'Kubernetes RBAC is enabled on AKS clusters.',
  severity: 'critical',
  checklist: ['infra-k8s-rbac'],
  references: ['AKS baseline', 'Checkov CKV_AZURE_5', 'Kubescape C-0088'],
  remediationSteps:
    'Set `enableRBAC: true` on the ManagedCluster (RBAC cannot be turned on later without recreating it).',
  appliesTo: isType(AZURE_TYPES.managedCluster),
  validate: ({ props }, _config, report) => {
    if (props.enableRBAC === false) report('Kubernetes RBAC is disabled on the AKS cluster: set enableRBAC to true.');
  },
});
