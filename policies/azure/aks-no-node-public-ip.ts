import { AZURE_TYPES, agentPoolsOf, isType } from '../lib/azure';
import { defineResourcePolicy } from '../lib/define';
import { isUnknown } from '../lib/values';

export const aksNoNodePublicIp = defineResourcePolicy({
  name: 'azure-aks-no-node-public-ip',
  description: 'AKS nodes have no public IP addresses.',
  severity: 'high',
  checklist: ['net-private'],
  references: ['AKS baseline', 'Checkov CKV_AZURE_143'],
  remediationSteps:
    'Remove `enableNodePublicIP` (or set it to false) on every agent pool; egress goes through the load balancer or a NAT gateway.',
  appliesTo: isType(AZURE_TYPES.managedCluster, AZURE_TYPES.agentPool),
  validate: ({ type, props }, _config, report) => {
    const pools = agentPoolsOf(type, props);
    if (isUnknown(pools)) return;
    for (const { name, pool } of pools) {
      if (pool.enableNodePublicIP === true)
        report(`Agent pool ${name} gives nodes public IPs: set enableNodePublicIP to false.`);
    }
  },
});
