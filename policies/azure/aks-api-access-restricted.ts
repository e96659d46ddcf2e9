import { describeCount, maxPublicAddressesConfig, publicAddressCount } from '../lib/address-ranges';
import { AZURE_TYPES, isType } from '../lib/azure';
import { defineResourcePolicy } from '../lib/define';
import { at, isUnknown, stringList } from '../lib/values';

export const aksApiAccessRestricted = defineResourcePolicy<{ maxPublicAddresses: number }>({
  name: 'azure-aks-api-access-restricted',
  description:
    'The AKS API server is private, or its authorized IP ranges admit no more than a few public addresses (counted by address arithmetic, all ranges together).',
  severity: 'high',
  checklist: ['net-private'],
  references: ['AKS baseline', 'Checkov CKV_AZURE_6', 'Checkov CKV_AZURE_115'],
  remediationSteps:
    'Set `apiServerAccessProfile.enablePrivateCluster: true`, or list only the admin networks in `apiServerAccessProfile.authorizedIPRanges` (never 0.0.0.0/0, nor ranges that add up to it).',
  config: { maxPublicAddresses: maxPublicAddressesConfig() },
  appliesTo: isType(AZURE_TYPES.managedCluster),
  validate: ({ props }, config, report) => {
    const isPrivate = at(props, 'apiServerAccessProfile', 'enablePrivateCluster');
    const ranges = stringList(at(props, 'apiServerAccessProfile', 'authorizedIPRanges'));
    if (isUnknown(isPrivate) || isUnknown(ranges)) return;
    if (isPrivate === true) return;
    if (!ranges || ranges.length === 0) {
      report('The AKS API server is public to the whole Internet: make the cluster private or set authorizedIPRanges.');
      return;
    }
    const admitted = publicAddressCount(ranges);
    if (admitted > BigInt(config.maxPublicAddresses)) {
      report(
        `authorizedIPRanges opens the AKS API server to ${describeCount(admitted)} (${ranges.join(', ')}); at most ${config.maxPublicAddresses} allowed.`,
      );
    }
  },
});
