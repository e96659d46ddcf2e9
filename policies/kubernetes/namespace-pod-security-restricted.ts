import { defineResourcePolicy } from '../lib/define';
import { isKind, objectName } from '../lib/kubernetes';
import { asString, at, isUnknown } from '../lib/values';
import { CLUSTER_NAMESPACES } from '../vendor/contract';

export const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';

export const namespacePodSecurityRestricted = defineResourcePolicy({
  name: 'kubernetes-namespace-pod-security-restricted',
  description: 'Namespaces enforce the Pod Security Standard "restricted" through the pod-security admission labels.',
  severity: 'high',
  checklist: ['infra-pod-security'],
  references: ['Pod Security Standards', 'Pod Security Admission', 'Kubescape'],
  remediationSteps: `Label the namespace \`${ENFORCE_LABEL}: restricted\` (plus audit and warn).`,
  namespaceScope: {
    exempt: [CLUSTER_NAMESPACES.monitoring],
    reason:
      'node-exporter (kube-prometheus-stack) needs hostNetwork, hostPID, hostPath and a host port, which only the privileged level admits (the pod policies still judge every other pod there).',
  },
  appliesTo: (type) => isKind(type, 'Namespace', ''),
  validate: ({ name, props }, _config, report) => {
    const namespace = objectName(props, name);
    if (isUnknown(namespace)) return;
    const level = at(props, 'metadata', 'labels', ENFORCE_LABEL);
    if (isUnknown(level)) return;
    if (asString(level) !== 'restricted') {
      report(
        `Namespace ${namespace} enforces ${asString(level) ?? 'no'} pod security level: label it ${ENFORCE_LABEL}=restricted.`,
      );
    }
  },
});
