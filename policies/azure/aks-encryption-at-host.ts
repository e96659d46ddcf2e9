import { AZURE_TYPES, agentPoolsOf, isType } from '../lib/azure';
import { defineResourcePolicy } from '../lib/define';
import { isUnknown } from '../lib/values';

export const aksEncryptionAtHost = defineResourcePolicy({
  name: 'azure-aks-encryption-at-host',
  description: 'AKS node pools encrypt temporary disks and caches at the host.',
  severity: 'medium',
  checklist: ['data-encryption-rest'],
  references: ['AKS baseline', 'Checkov CKV_AZURE_227'],
  remediationSteps:
    'Set `enableEncryptionAtHost: true` on every agent pool (register the Microsoft.Compute EncryptionAtHost feature once per subscription).',
  appliesTo: isType(AZURE_TYPES.managedCluster, AZURE_TYPES.agentPool),
  validate: ({ type, props }, _config, report) => {
    const pools = agentPoolsOf(type, props);
    if (isUnknown(pools)) return;
    for (const { name, pool } of pools) {
      if (isUnknown(pool.enableEncryptionAtHost)) continue;
      if (pool.enableEncryptionAtHost !== true) {
        report(`Agent pool ${name} does not encrypt at host: set enableEncryptionAtHost to true.`);
      }
    }
  },
});
