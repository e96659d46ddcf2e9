import { AZURE_TYPES, isType } from '../lib/azure';
import { defineResourcePolicy } from '../lib/define';
import { at, isUnknown } from '../lib/values';

export const aksImageCleaner = defineResourcePolicy({
  name: 'azure-aks-image-cleaner',
  description: 'AKS image cleaner removes unused (and possibly vulnerable) images from the nodes.',
  severity: 'low',
  checklist: ['infra-security-updates', 'infra-image-scanning'],
  references: ['AKS baseline'],
  remediationSteps: 'Set `securityProfile.imageCleaner: { enabled: true, intervalHours: 168 }`.',
  appliesTo: isType(AZURE_TYPES.managedCluster),
  validate: ({ props }, _config, report) => {
    const enabled = at(props, 'securityProfile', 'imageCleaner', 'enabled');
    if (!isUnknown(enabled) && enabled !== true) {
      report('AKS image cleaner is off: set securityProfile.imageCleaner.enabled to true.');
    }
  },
});
