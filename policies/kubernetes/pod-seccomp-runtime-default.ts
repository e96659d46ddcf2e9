import { containersOf } from '../lib/kubernetes';
import { definePodPolicy } from '../lib/pod-policy';
import { asString, at, isUnknown } from '../lib/values';

const ACCEPTED = new Set(['RuntimeDefault', 'Localhost']);

export const podSeccompRuntimeDefault = definePodPolicy({
  name: 'kubernetes-pod-seccomp-runtime-default',
  description: 'Pods run with the RuntimeDefault (or a Localhost) seccomp profile.',
  severity: 'medium',
  checklist: ['infra-pod-security'],
  references: ['Pod Security Standards (restricted)', 'Checkov CKV_K8S_31', 'Kubescape C-0210'],
  remediationSteps: "Set `securityContext.seccompProfile: { type: 'RuntimeDefault' }` on the pod.",
  validatePod: ({ spec }, _config, report) => {
    const podProfile = at(spec, 'securityContext', 'seccompProfile', 'type');
    if (isUnknown(podProfile)) return;
    if (podProfile === 'Unconfined') report('the pod seccomp profile is Unconfined.');
    for (const { container, name } of containersOf(spec)) {
      const profile = at(container, 'securityContext', 'seccompProfile', 'type');
      if (isUnknown(profile)) continue;
      const effective = asString(profile) ?? asString(podProfile);
      if (!effective || !ACCEPTED.has(effective)) {
        report(`container ${name} has no RuntimeDefault seccomp profile (${effective ?? 'unset'}).`);
      }
    }
  },
});
