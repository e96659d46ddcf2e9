import { defineResourcePolicy, stringListConfig } from '../lib/define';
import { isKind, objectName } from '../lib/kubernetes';
import { asString, at, isUnknown } from '../lib/values';

export const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';

export const namespacePodSecurityRestricted = defineResourcePolicy<{ exemptNamespaces: string[] }>({
  name: 'kubernetes-namespace-pod-security-restricted',
  description: 'Namespaces enforce the Pod Security Standard "restricted" through the pod-security admission labels.',
  severity: 'high',
  checklist: ['infra-pod-security'],
  references: ['Pod Security Standards', 'Pod Security Admission', 'Kubescape'],
  remediationSteps: `Label the namespace \`${ENFORCE_LABEL}: restricted\` (plus audit and warn).`,
  config: {
    exemptNamespaces: stringListConfig('Namespaces that may run a weaker level (system add-ons).', [
      'kube-system',
      'kube-public',
      'kube-node-lease',
      'gatekeeper-system',
    ]),
  },
  appliesTo: (type) => isKind(type, 'Namespace', ''),
  validate: ({ name, props }, config, report) => {
    const namespace = objectName(props, name);
    if (isUnknown(namespace) || config.exemptNamespaces.includes(namespace)) return;
    const level = at(props, 'metadata', 'labels', ENFORCE_LABEL);
    if (isUnknown(level)) return;
    if (asString(level) !== 'restricted') {
      report(
        `Namespace ${namespace} enforces ${asString(level) ?? 'no'} pod security level: label it ${ENFORCE_LABEL}=restricted.`,
      );
    }
  },
});
