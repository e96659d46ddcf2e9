import { AZURE_TYPES, isType } from '../lib/azure';
import { defineResourcePolicy } from '../lib/define';
import { isUnknown, sameText } from '../lib/values';

export const redisNoPublicAccess = defineResourcePolicy({
  name: 'azure-redis-no-public-access',
  description: 'Azure Managed Redis is reachable only through its private endpoint.',
  severity: 'high',
  checklist: ['net-private'],
  references: ['Azure security benchmark', 'Checkov CKV_AZURE_89'],
  remediationSteps: "Set `publicNetworkAccess: 'Disabled'` on the RedisEnterprise cluster and add a private endpoint.",
  appliesTo: isType(AZURE_TYPES.redisEnterprise),
  validate: ({ props }, _config, report) => {
    if (isUnknown(props.publicNetworkAccess)) return;
    if (!sameText(props.publicNetworkAccess, 'Disabled')) {
      report("Redis accepts public network traffic: set publicNetworkAccess to 'Disabled'.");
    }
  },
});
