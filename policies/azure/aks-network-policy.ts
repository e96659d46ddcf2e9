import { AZURE_TYPES, isType } from '../lib/azure';
import { defineResourcePolicy, stringListConfig } from '../lib/define';
import { asString, at, isUnknown } from '../lib/values';

export const aksNetworkPolicy = defineResourcePolicy<{ allowedEngines: string[] }>({
  name: 'azure-aks-network-policy',
  description: 'AKS clusters run a network policy engine, so Kubernetes NetworkPolicies are enforced.',
  severity: 'high',
  checklist: ['infra-network-policies'],
  references: ['AKS baseline', 'Checkov CKV_AZURE_7'],
  remediationSteps:
    "Set `networkProfile.networkPolicy` to 'cilium' (with networkDataplane 'cilium'), 'azure' or 'calico'.",
  config: { allowedEngines: stringListConfig('Accepted network policy engines.', ['cilium', 'azure', 'calico']) },
  appliesTo: isType(AZURE_TYPES.managedCluster),
  validate: ({ props }, config, report) => {
    const engine = at(props, 'networkProfile', 'networkPolicy');
    if (isUnknown(engine)) return;
    const name = asString(engine)?.toLowerCase();
    if (!name || !config.allowedEngines.includes(name)) {
      report(
        `AKS has no network policy engine (networkProfile.networkPolicy is ${name ?? 'unset'}): NetworkPolicies would be ignored; use one of ${config.allowedEngines.join(', ')}.`,
      );
    }
  },
});
