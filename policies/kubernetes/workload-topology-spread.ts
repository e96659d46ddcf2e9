import { isServingWorkload } from '../lib/kubernetes';
import { definePodPolicy } from '../lib/pod-policy';
import { asArray, at, isUnknown } from '../lib/values';

export const workloadTopologySpread = definePodPolicy({
  name: 'kubernetes-workload-topology-spread',
  description:
    'Replicated workloads spread their pods across zones or nodes (topology spread constraints or pod anti-affinity).',
  severity: 'medium',
  checklist: [],
  references: [
    'AKS baseline (zones)',
    'kube-score deployment-has-host-podantiaffinity',
    'Polaris topologySpreadConstraint',
  ],
  remediationSteps:
    'Add `topologySpreadConstraints` on topology.kubernetes.io/zone and kubernetes.io/hostname, or a preferred podAntiAffinity.',
  appliesTo: isServingWorkload,
  validatePod: ({ spec, resource }, _config, report) => {
    const replicas = at(resource.props, 'spec', 'replicas');
    if (replicas === 1 || replicas === 0) return;
    const spread = spec.topologySpreadConstraints;
    const antiAffinity = at(spec, 'affinity', 'podAntiAffinity');
    if (isUnknown(spread) || isUnknown(antiAffinity)) return;
    if ((asArray(spread)?.length ?? 0) === 0 && antiAffinity === undefined) {
      report('the pods are not spread: add topologySpreadConstraints or podAntiAffinity.');
    }
  },
});
