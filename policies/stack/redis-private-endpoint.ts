import { AZURE_TYPES } from '../lib/azure';
import { defineStackPolicy } from '../lib/define';
import { type EndpointTarget, targetsWithoutPrivateEndpoint } from './keyvault-private-endpoint';

export const REDIS_ENDPOINT_TARGET: EndpointTarget = {
  targetType: AZURE_TYPES.redisEnterprise,
  armSegment: 'redisEnterprise',
  nameProperty: 'clusterName',
};

export const redisPrivateEndpoint = defineStackPolicy({
  name: 'azure-redis-private-endpoint',
  description: 'Every Azure Managed Redis cluster has a private endpoint in the virtual network.',
  severity: 'high',
  checklist: ['net-private'],
  references: ['Azure security benchmark NS-2', 'Azure Managed Redis guidance'],
  remediationSteps:
    "Add a `network.PrivateEndpoint` with `groupIds: ['redisEnterprise']` and the privatelink.redis.azure.net DNS zone.",
  subjects: (type) => type === AZURE_TYPES.redisEnterprise,
  validate: (resources, _config, report) => {
    for (const cluster of targetsWithoutPrivateEndpoint(resources, REDIS_ENDPOINT_TARGET)) {
      report(`Redis cluster ${cluster.name} has no private endpoint.`, cluster.urn);
    }
  },
});
