import { AZURE_TYPES, isType } from '../lib/azure';
import { defineResourcePolicy } from '../lib/define';
import { asString, at, isUnknown } from '../lib/values';

export const aksAutoUpgrade = defineResourcePolicy({
  name: 'azure-aks-auto-upgrade',
  description:
    'AKS upgrades Kubernetes and the node OS automatically, so security patches land without a person remembering.',
  severity: 'medium',
  checklist: ['infra-security-updates'],
  references: ['AKS baseline', 'AKS landing zone accelerator', 'Checkov CKV_AZURE_171'],
  remediationSteps:
    "Set `autoUpgradeProfile: { upgradeChannel: 'patch' | 'stable', nodeOSUpgradeChannel: 'NodeImage' | 'SecurityPatch' }` and a maintenance window.",
  appliesTo: isType(AZURE_TYPES.managedCluster),
  validate: ({ props }, _config, report) => {
    const channel = at(props, 'autoUpgradeProfile', 'upgradeChannel');
    const nodeChannel = at(props, 'autoUpgradeProfile', 'nodeOSUpgradeChannel');
    if (!isUnknown(channel)) {
      const value = asString(channel)?.toLowerCase();
      if (!value || value === 'none')
        report('AKS auto-upgrade is off: set autoUpgradeProfile.upgradeChannel (patch or stable).');
    }
    if (!isUnknown(nodeChannel)) {
      const value = asString(nodeChannel)?.toLowerCase();
      if (!value || value === 'none' || value === 'unmanaged') {
        report(
          'AKS node OS upgrades are off: set autoUpgradeProfile.nodeOSUpgradeChannel (NodeImage or SecurityPatch).',
        );
      }
    }
  },
});
