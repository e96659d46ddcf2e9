import { defineResourcePolicy, stringListConfig } from '../lib/define';
import { isKind, namespaceOf, objectName } from '../lib/kubernetes';
import { isUnknown } from '../lib/values';
import { CLUSTER_NAMESPACES } from '../vendor/contract';

export const serviceAccountNoAutomount = defineResourcePolicy<{ exemptServiceAccounts: string[] }>({
  name: 'kubernetes-serviceaccount-no-automount',
  description: 'Service accounts do not mount an API token into pods by default.',
  severity: 'medium',
  checklist: ['infra-k8s-rbac'],
  references: ['Checkov CKV_K8S_38', 'CIS Kubernetes 5.1.6', 'Kubescape C-0034'],
  remediationSteps:
    'Set `automountServiceAccountToken: false` on the ServiceAccount; opt in per pod where the API is needed.',
  config: {
    exemptServiceAccounts: stringListConfig('namespace/name of service accounts of controllers that call the API.', []),
  },
  namespaceScope: {
    exempt: [CLUSTER_NAMESPACES.gateway, CLUSTER_NAMESPACES.monitoring],
    reason: [
      "the Kong chart's ServiceAccount has no automountServiceAccountToken field (its pods opt out and mount a projected token into the controller only);",
      'prometheus-operator, kube-state-metrics and Prometheus call the API with their ServiceAccount tokens.',
      'Not tracing: the Jaeger chart sets the field from jaeger.serviceAccount.automountServiceAccountToken.',
    ].join(' '),
  },
  appliesTo: (type) => isKind(type, 'ServiceAccount', ''),
  validate: ({ name, props }, config, report) => {
    const namespace = namespaceOf(props);
    const accountName = objectName(props, name);
    if (isUnknown(namespace) || isUnknown(accountName)) return;
    if (config.exemptServiceAccounts.includes(`${namespace}/${accountName}`)) return;
    if (isUnknown(props.automountServiceAccountToken)) return;
    if (props.automountServiceAccountToken !== false) {
      report(
        `ServiceAccount ${namespace}/${accountName} mounts its token by default: set automountServiceAccountToken to false.`,
      );
    }
  },
});
