import { AZURE_TYPES, isType } from '../lib/azure';
import { defineResourcePolicy } from '../lib/define';
import { at, isUnknown, sameText } from '../lib/values';

export const aksAzureCni = defineResourcePolicy({
  name: 'azure-aks-azure-cni',
  description: 'AKS clusters use Azure CNI (overlay or pod subnet), not kubenet (retired, no Azure network policy).',
  severity: 'medium',
  checklist: ['net-private', 'infra-network-policies'],
  references: ['AKS baseline', 'AKS landing zone accelerator'],
  remediationSteps: "Set `networkProfile.networkPlugin: 'azure'` (with `networkPluginMode: 'overlay'` for overlay).",
  appliesTo: isType(AZURE_TYPES.managedCluster),
  validate: ({ props }, _config, report) => {
    const plugin = at(props, 'networkProfile', 'networkPlugin');
    if (isUnknown(plugin)) return;
    if (!sameText(plugin, 'azure')) {
      report(
        `AKS network plugin is ${String(plugin ?? 'unset')}: use Azure CNI (networkProfile.networkPlugin 'azure').`,
      );
    }
  },
});
