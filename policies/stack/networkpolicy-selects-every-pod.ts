import { defineStackPolicy } from '../lib/define';
import { isWorkload, selectorMatches } from '../lib/kubernetes';
import { SYSTEM_ONLY } from '../lib/namespace-scope';
import { kubernetesObjects, objectsOfKind, workloadsOf } from '../lib/stack';
import { asArray, at, isUnknown } from '../lib/values';

export const networkPolicySelectsEveryPod = defineStackPolicy({
  name: 'kubernetes-networkpolicy-selects-every-pod',
  description:
    "Every workload's pods are selected by a NetworkPolicy that states their allowed traffic (rules, not only the default deny).",
  severity: 'medium',
  checklist: ['infra-network-policies'],
  references: ['Kubescape C-0260 (missing network policy)', 'AKS baseline'],
  remediationSteps:
    "Add a NetworkPolicy whose podSelector matches the workload's pod labels, with the ingress and egress it needs (gateway → http port, Prometheus → metrics port, egress to DNS, Postgres, Redis).",
  // Every chart's pods state their allowed traffic too: no platform namespace is exempt.
  namespaceScope: SYSTEM_ONLY,
  subjects: isWorkload,
  validate: (resources, _config, report) => {
    const objects = kubernetesObjects(resources);
    const policies = objectsOfKind(objects, 'NetworkPolicy', 'networking.k8s.io').filter((policy) => {
      const ingress = asArray(at(policy.resource.props, 'spec', 'ingress'))?.length ?? 0;
      const egress = asArray(at(policy.resource.props, 'spec', 'egress'))?.length ?? 0;
      return ingress + egress > 0 || isUnknown(at(policy.resource.props, 'spec'));
    });
    for (const { object, template } of workloadsOf(objects)) {
      const verdicts = policies
        .filter((policy) => policy.namespace === template.namespace)
        .map((policy) => selectorMatches(at(policy.resource.props, 'spec', 'podSelector'), template.labels));
      if (verdicts.some((verdict) => verdict === true || isUnknown(verdict))) continue;
      report(
        `${template.kind} ${template.namespace}/${template.name} is selected by no NetworkPolicy that allows its traffic.`,
        object.resource.urn,
      );
    }
  },
});
