import { AZURE_TYPES, isProduction, isType, type ProductionScopeConfig, productionScopeConfig } from '../lib/azure';
import { defineResourcePolicy } from '../lib/define';
import { asString, isUnknown, sameText, stringList } from '../lib/values';

export const aksProdSystemPoolTainted = defineResourcePolicy<ProductionScopeConfig & { systemTaint: string }>({
  name: 'azure-aks-prod-system-pool-tainted',
  description:
    'Production AKS clusters keep application pods off the system node pool with the CriticalAddonsOnly taint.',
  severity: 'medium',
  checklist: ['infra-pod-security'],
  references: ['AKS baseline', 'AKS landing zone accelerator'],
  remediationSteps:
    "Give the System-mode pool `nodeTaints: ['CriticalAddonsOnly=true:NoSchedule']` and run the workload on a User pool.",
  config: {
    ...productionScopeConfig,
    systemTaint: {
      type: 'string',
      description: 'The taint the system pool must carry.',
      default: 'CriticalAddonsOnly=true:NoSchedule',
    },
  },
  appliesTo: isType(AZURE_TYPES.managedCluster),
  validate: ({ urn, props }, config, report) => {
    const production = isProduction({ urn, props }, config);
    if (isUnknown(production) || !production || isUnknown(props.agentPoolProfiles)) return;
    const pools = Array.isArray(props.agentPoolProfiles) ? props.agentPoolProfiles : [];
    const systemPools = pools.filter((pool) => sameText((pool as Record<string, unknown>)?.mode, 'System'));
    if (systemPools.length === 0) {
      report('A production AKS cluster declares no System-mode agent pool.');
      return;
    }
    for (const pool of systemPools as Record<string, unknown>[]) {
      const taints = stringList(pool.nodeTaints);
      if (isUnknown(taints)) continue;
      if (!taints?.includes(config.systemTaint)) {
        report(
          `System pool ${asString(pool.name) ?? ''} is not tainted ${config.systemTaint}: application pods could land on it.`,
        );
      }
    }
  },
});
