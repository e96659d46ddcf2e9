import { containersOf } from '../lib/kubernetes';
import { definePodPolicy } from '../lib/pod-policy';
import { at, isUnknown } from '../lib/values';

export const podRunAsNonRoot = definePodPolicy({
  name: 'kubernetes-pod-run-as-non-root',
  description: 'Containers run as a non-root user: runAsNonRoot true and never uid 0.',
  severity: 'high',
  checklist: ['infra-pod-security'],
  references: ['Pod Security Standards (restricted)', 'Checkov CKV_K8S_23', 'kube-score', 'Polaris runAsRootAllowed'],
  remediationSteps:
    'Set `securityContext.runAsNonRoot: true` and a non-zero `runAsUser` on the pod (or every container); build the image with a numeric USER.',
  validatePod: ({ spec }, _config, report) => {
    const podNonRoot = at(spec, 'securityContext', 'runAsNonRoot');
    const podUser = at(spec, 'securityContext', 'runAsUser');
    if (podUser === 0) report('the pod runs as uid 0 (root): set securityContext.runAsUser to a non-zero uid.');
    for (const { container, name } of containersOf(spec)) {
      const nonRoot = at(container, 'securityContext', 'runAsNonRoot');
      const user = at(container, 'securityContext', 'runAsUser');
      if (isUnknown(nonRoot) || isUnknown(podNonRoot)) continue;
      if (user === 0) report(`container ${name} runs as uid 0 (root).`);
      const effective = nonRoot ?? podNonRoot;
      if (effective !== true) report(`container ${name} may run as root: set runAsNonRoot to true.`);
    }
  },
});
