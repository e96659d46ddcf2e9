import { containersOf } from '../lib/kubernetes';
import { definePodPolicy } from '../lib/pod-policy';
import { at } from '../lib/values';

export const podNoPrivileged = definePodPolicy({
  name: 'kubernetes-pod-no-privileged',
  description: 'No container runs privileged (full access to the node).',
  severity: 'critical',
  checklist: ['infra-pod-security'],
  references: ['Pod Security Standards (baseline)', 'Checkov CKV_K8S_16', 'kube-score', 'Kubescape C-0057'],
  remediationSteps:
    'Remove `securityContext.privileged: true`; grant a specific capability instead if one is really needed.',
  validatePod: ({ spec }, _config, report) => {
    for (const { container, name } of containersOf(spec)) {
      if (at(container, 'securityContext', 'privileged') === true) report(`container ${name} is privileged.`);
    }
  },
});
