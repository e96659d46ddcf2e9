import { AZURE_TYPES, isType } from '../lib/azure';
import { defineResourcePolicy } from '../lib/define';
import { asBoolean, at, isUnknown } from '../lib/values';

export const aksPrivateClusterNoPublicFqdn = defineResourcePolicy({
  name: 'azure-aks-private-cluster-no-public-fqdn',
  description:
    'A private AKS cluster publishes no public DNS name for its API server: the private address stays out of public DNS (AKS creates the public FQDN unless told not to).',
  severity: 'medium',
  checklist: ['net-private'],
  references: ['AKS private cluster documentation (--disable-public-fqdn)', 'AKS baseline'],
  remediationSteps: 'Set `apiServerAccessProfile.enablePrivateClusterPublicFQDN: false` on the private cluster.',
  appliesTo: isType(AZURE_TYPES.managedCluster),
  validate: ({ props }, _config, report) => {
    const isPrivate = at(props, 'apiServerAccessProfile', 'enablePrivateCluster');
    if (isUnknown(isPrivate) || asBoolean(isPrivate) !== true) return;
    const publicFqdn = at(props, 'apiServerAccessProfile', 'enablePrivateClusterPublicFQDN');
    if (isUnknown(publicFqdn) || asBoolean(publicFqdn) === false) return;
    report(
      publicFqdn === undefined
        ? 'The private cluster does not declare enablePrivateClusterPublicFQDN, and AKS then publishes a public FQDN: set it to false.'
        : 'The private cluster publishes a public FQDN for its API server: set enablePrivateClusterPublicFQDN to false.',
    );
  },
});
