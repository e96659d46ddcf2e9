import { defineStackPolicy } from '../lib/define';
import { isServingWorkload, replicasOf } from '../lib/kubernetes';
import { SINGLE_REPLICA_ADD_ONS } from '../lib/namespace-scope';
import { kubernetesObjects, objectsOfKind, workloadsOf } from '../lib/stack';
import { asNumber, asString, at, isUnknown } from '../lib/values';

export const workloadReplicas = defineStackPolicy<{ minimumReplicas: number }>({
  name: 'kubernetes-workload-replicas',
  description:
    'Every Deployment and StatefulSet runs at least two replicas, declared or through an autoscaler whose minimum is at least two.',
  severity: 'medium',
  checklist: [],
  references: ['kube-score', 'AKS baseline (availability)', 'Polaris'],
  remediationSteps:
    'Set `spec.replicas: 2` or more, or target the workload with a HorizontalPodAutoscaler (minReplicas ≥ 2).',
  config: {
    minimumReplicas: { type: 'integer', minimum: 1, description: 'Smallest replica count allowed.', default: 2 },
  },
  namespaceScope: SINGLE_REPLICA_ADD_ONS,
  subjects: isServingWorkload,
  validate: (resources, config, report) => {
    const objects = kubernetesObjects(resources);
    const autoscalers = objectsOfKind(objects, 'HorizontalPodAutoscaler', 'autoscaling');
    for (const { object, template } of workloadsOf(objects, ['Deployment', 'StatefulSet'])) {
      const autoscaler = autoscalers.find(
        (hpa) =>
          hpa.namespace === template.namespace &&
          asString(at(hpa.resource.props, 'spec', 'scaleTargetRef', 'kind')) === template.kind &&
          asString(at(hpa.resource.props, 'spec', 'scaleTargetRef', 'name')) === template.name,
      );
      if (autoscaler) {
        const min = at(autoscaler.resource.props, 'spec', 'minReplicas');
        if (isUnknown(min) || (asNumber(min) ?? 1) >= config.minimumReplicas) continue;
        report(
          `${template.kind} ${template.namespace}/${template.name} may scale down to ${asNumber(min) ?? 1} replica(s).`,
          object.resource.urn,
        );
        continue;
      }
      const replicas = replicasOf(object.resource.props);
      if (isUnknown(replicas)) continue;
      if ((replicas ?? 1) < config.minimumReplicas) {
        report(
          `${template.kind} ${template.namespace}/${template.name} runs ${replicas ?? 1} replica(s) and no autoscaler: a single pod is a single point of failure.`,
          object.resource.urn,
        );
      }
    }
  },
});
