import { defineResourcePolicy } from '../lib/define';
import { isKind } from '../lib/kubernetes';
import { SYSTEM_ONLY } from '../lib/namespace-scope';
import { at, isUnknown } from '../lib/values';

export const isPodDisruptionBudget = (type: string) => isKind(type, 'PodDisruptionBudget', 'policy');

export const pdbAllowsDisruption = defineResourcePolicy({
  name: 'kubernetes-pdb-allows-disruption',
  description:
    'Disruption budgets allow at least one voluntary disruption, so node upgrades (security patches) can drain nodes.',
  severity: 'medium',
  checklist: ['infra-security-updates'],
  references: ['kube-score', 'AKS upgrade guidance'],
  remediationSteps: "Use `maxUnavailable: 1` (or minAvailable below the replica count, never '100%').",
  // A budget that blocks node drains blocks security patches wherever it lives: no platform namespace is exempt.
  namespaceScope: SYSTEM_ONLY,
  appliesTo: isPodDisruptionBudget,
  validate: ({ props }, _config, report) => {
    const maxUnavailable = at(props, 'spec', 'maxUnavailable');
    const minAvailable = at(props, 'spec', 'minAvailable');
    if (isUnknown(maxUnavailable) || isUnknown(minAvailable)) return;
    if (maxUnavailable === undefined && minAvailable === undefined) {
      report('The PodDisruptionBudget sets neither maxUnavailable nor minAvailable.');
    }
    if (maxUnavailable === 0 || maxUnavailable === '0%') {
      report('The PodDisruptionBudget allows no disruption (maxUnavailable 0): node drains would block.');
    }
    if (minAvailable === '100%') {
      report("The PodDisruptionBudget allows no disruption (minAvailable '100%'): node drains would block.");
    }
  },
});
