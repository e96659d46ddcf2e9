import { AZURE_TYPES, isType } from '../lib/azure';
import { defineResourcePolicy } from '../lib/define';
import { at, isUnknown, stringList } from '../lib/values';

const OPEN_RANGES = new Set(['0.0.0.0/0', '0.0.0.0', '*', '::/0']);

export const aksApiAccessRestricted = defineResourcePolicy({
  name: 'azure-aks-api-access-restricted',
  description: 'The AKS API server is private or reachable only from authorized IP ranges.',
  severity: 'high',
  checklist: ['net-private'],
  references: ['AKS baseline', 'Checkov CKV_AZURE_6', 'Checkov CKV_AZURE_115'],
  remediationSteps:
    'Set `apiServerAccessProfile.enablePrivateCluster: true`, or list the admin networks in `apiServerAccessProfile.authorizedIPRanges` (never 0.0.0.0/0).',
  appliesTo: isType(AZURE_TYPES.managedCluster),
  validate: ({ props }, _config, report) => {
    const isPrivate = at(props, 'apiServerAccessProfile', 'enablePrivateCluster');
    const ranges = stringList(at(props, 'apiServerAccessProfile', 'authorizedIPRanges'));
    if (isUnknown(isPrivate) || isUnknown(ranges)) return;
    if (isPrivate === true) return;
    if (!ranges || ranges.length === 0) {
      report('The AKS API server is public to the whole Internet: make the cluster private or set authorizedIPRanges.');
      return;
    }
    const open = ranges.filter((range) => OPEN_RANGES.has(range.trim()));
    if (open.length > 0) report(`authorizedIPRanges opens the AKS API server to everyone (${open.join(', ')}).`);
  },
});
