import { defineResourcePolicy } from '../lib/define';
import { isKind } from '../lib/kubernetes';
import { SINGLE_REPLICA_ADD_ONS } from '../lib/namespace-scope';
import { asNumber, at, isUnknown } from '../lib/values';

export const hpaMinReplicas = defineResourcePolicy<{ minimumReplicas: number }>({
  name: 'kubernetes-hpa-min-replicas',
  description: 'Autoscalers never scale a service below two replicas (one pod is a single point of failure).',
  severity: 'medium',
  checklist: [],
  references: ['kube-score', 'AKS baseline (availability)'],
  remediationSteps: 'Set `spec.minReplicas` to 2 or more.',
  config: {
    minimumReplicas: { type: 'integer', minimum: 1, description: 'Smallest minReplicas allowed.', default: 2 },
  },
  namespaceScope: SINGLE_REPLICA_ADD_ONS,
  appliesTo: (type) => isKind(type, 'HorizontalPodAutoscaler', 'autoscaling'),
  validate: ({ props }, config, report) => {
    const min = at(props, 'spec', 'minReplicas');
    if (isUnknown(min)) return;
    const value = asNumber(min) ?? 1;
    if (value < config.minimumReplicas) {
      report(`The autoscaler allows ${value} replica(s): set minReplicas to at least ${config.minimumReplicas}.`);
    }
  },
});
