import { isServingWorkload, mainContainersOf } from '../lib/kubernetes';
import { definePodPolicy } from '../lib/pod-policy';
import { isUnknown } from '../lib/values';

export const podProbes = definePodPolicy({
  name: 'kubernetes-pod-probes',
  description: 'Serving containers declare a liveness and a readiness probe.',
  severity: 'medium',
  checklist: ['mon-metrics'],
  references: ['kube-score container-probes', 'Polaris livenessProbeMissing', 'Checkov CKV_K8S_8', 'Checkov CKV_K8S_9'],
  remediationSteps: `Add \`livenessProbe\` (process alive: /health) and \`readinessProbe\` (dependencies reachable: /ready) to every container.`,
  appliesTo: isServingWorkload,
  validatePod: ({ spec }, _config, report) => {
    for (const { container, name } of mainContainersOf(spec)) {
      if (!isUnknown(container.livenessProbe) && container.livenessProbe === undefined) {
        report(`container ${name} has no liveness probe.`);
      }
      if (!isUnknown(container.readinessProbe) && container.readinessProbe === undefined) {
        report(`container ${name} has no readiness probe.`);
      }
    }
  },
});
