import { containersOf } from '../lib/kubernetes';
import { definePodPolicy } from '../lib/pod-policy';
import { at, isUnknown } from '../lib/values';

export const podNoPrivilegeEscalation = definePodPolicy({
  name: 'kubernetes-pod-no-privilege-escalation',
  description:
    'Containers cannot gain more privileges than their parent process (setuid binaries): allowPrivilegeEscalation false.',
  severity: 'high',
  checklist: ['infra-pod-security'],
  references: ['Pod Security Standards (restricted)', 'Checkov CKV_K8S_20', 'Polaris privilegeEscalationAllowed'],
  remediationSteps: 'Set `securityContext.allowPrivilegeEscalation: false` on every container.',
  validatePod: ({ spec }, _config, report) => {
    for (const { container, name } of containersOf(spec)) {
      const value = at(container, 'securityContext', 'allowPrivilegeEscalation');
      if (!isUnknown(value) && value !== false) {
        report(`container ${name} allows privilege escalation: set allowPrivilegeEscalation to false.`);
      }
    }
  },
});
