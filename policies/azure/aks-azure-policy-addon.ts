import { AZURE_TYPES, addonProfile, isType } from '../lib/azure';
import { defineResourcePolicy } from '../lib/define';
import { at, isUnknown } from '../lib/values';

export const aksAzurePolicyAddon = defineResourcePolicy({
  name: 'azure-aks-azure-policy-addon',
  description:
    'AKS runs the Azure Policy add-on (Gatekeeper), which enforces Pod Security and cluster policies at admission.',
  severity: 'medium',
  checklist: ['infra-pod-security'],
  references: ['AKS baseline', 'AKS landing zone accelerator', 'Checkov CKV_AZURE_116'],
  remediationSteps: 'Set `addonProfiles.azurepolicy: { enabled: true }`.',
  appliesTo: isType(AZURE_TYPES.managedCluster),
  validate: ({ props }, _config, report) => {
    const enabled = at(addonProfile(props, 'azurepolicy'), 'enabled');
    if (!isUnknown(enabled) && enabled !== true) {
      report('The Azure Policy add-on is off: enable addonProfiles.azurepolicy.');
    }
  },
});
