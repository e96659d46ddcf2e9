import { AZURE_TYPES, isType } from '../lib/azure';
import { defineResourcePolicy } from '../lib/define';

export const aksLocalAccountsDisabled = defineResourcePolicy({
  name: 'azure-aks-local-accounts-disabled',
  description: 'AKS clusters disable local accounts, so every access goes through Entra ID and is audited.',
  severity: 'high',
  checklist: ['auth-rbac', 'infra-k8s-rbac'],
  references: ['AKS baseline', 'AKS landing zone accelerator', 'Checkov CKV_AZURE_141'],
  remediationSteps: 'Set `disableLocalAccounts: true` on the ManagedCluster and use kubelogin with Entra credentials.',
  appliesTo: isType(AZURE_TYPES.managedCluster),
  validate: ({ props }, _config, report) => {
    if (props.disableLocalAccounts === false || props.disableLocalAccounts === undefined) {
      report(
        'AKS local accounts are enabled: set disableLocalAccounts to true (the static admin kubeconfig bypasses Entra ID).',
      );
    }
  },
});
