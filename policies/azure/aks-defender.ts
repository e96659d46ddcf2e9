import { AZURE_TYPES, isProduction, isType, type ProductionScopeConfig, productionScopeConfig } from '../lib/azure';
import { defineResourcePolicy } from '../lib/define';
import { at, isUnknown } from '../lib/values';

export const aksDefender = defineResourcePolicy<ProductionScopeConfig & { requireEverywhere: boolean }>({
  name: 'azure-aks-defender',
  description:
    'Microsoft Defender for Containers monitors production AKS clusters (runtime threat detection and image vulnerability scanning).',
  severity: 'high',
  checklist: ['infra-image-scanning', 'mon-security-events'],
  references: ['AKS baseline', 'AKS landing zone accelerator', 'Checkov CKV_AZURE_117'],
  remediationSteps:
    'Set `securityProfile.defender: { logAnalyticsWorkspaceResourceId, securityMonitoring: { enabled: true } }` (the environment profile decides it outside production).',
  config: {
    ...productionScopeConfig,
    requireEverywhere: {
      type: 'boolean',
      description: 'Require Defender in every environment, not only production.',
      default: false,
    },
  },
  appliesTo: isType(AZURE_TYPES.managedCluster),
  validate: ({ urn, props }, config, report) => {
    const production = isProduction({ urn, props }, config);
    if (isUnknown(production) || (!production && !config.requireEverywhere)) return;
    const enabled = at(props, 'securityProfile', 'defender', 'securityMonitoring', 'enabled');
    if (!isUnknown(enabled) && enabled !== true) {
      report(
        'Defender for Containers is off on a production cluster: enable securityProfile.defender.securityMonitoring.',
      );
    }
  },
});
