import { containersOf } from '../lib/kubernetes';
import { definePodPolicy } from '../lib/pod-policy';
import { at, isUnknown } from '../lib/values';

export const podReadOnlyRootFilesystem = definePodPolicy({
  name: 'kubernetes-pod-read-only-root-filesystem',
  description: 'Containers run with a read-only root filesystem (writable emptyDir volumes where needed).',
  severity: 'medium',
  checklist: ['infra-pod-security'],
  references: ['Checkov CKV_K8S_22', 'kube-score', 'Polaris notReadOnlyRootFilesystem', 'Kubescape C-0017'],
  remediationSteps:
    'Set `securityContext.readOnlyRootFilesystem: true`; mount an emptyDir at /tmp if the process writes there.',
  validatePod: ({ spec }, _config, report) => {
    for (const { container, name, role } of containersOf(spec)) {
      if (role === 'ephemeralContainer') continue;
      const value = at(container, 'securityContext', 'readOnlyRootFilesystem');
      if (!isUnknown(value) && value !== true) report(`container ${name} has a writable root filesystem.`);
    }
  },
});
