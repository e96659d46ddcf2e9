import { stringListConfig } from '../lib/define';
import { definePodPolicy } from '../lib/pod-policy';
import { isUnknown } from '../lib/values';
import { CLUSTER_NAMESPACES } from '../vendor/contract';

export const podNoServiceAccountToken = definePodPolicy<{ exemptWorkloads: string[] }>({
  name: 'kubernetes-pod-no-service-account-token',
  description:
    'Pods do not mount a Kubernetes API token unless they call the API (workload identity projects its own Entra token).',
  severity: 'medium',
  checklist: ['infra-k8s-rbac', 'infra-pod-security'],
  references: ['Checkov CKV_K8S_38', 'Kubescape C-0034', 'CIS Kubernetes 5.1.6'],
  remediationSteps: 'Set `automountServiceAccountToken: false` on the pod spec (and on its ServiceAccount).',
  config: {
    exemptWorkloads: stringListConfig('namespace/name of workloads that call the Kubernetes API.', []),
  },
  namespaceScope: {
    exempt: [CLUSTER_NAMESPACES.gateway, CLUSTER_NAMESPACES.monitoring, CLUSTER_NAMESPACES.tracing],
    reason: [
      `in ${CLUSTER_NAMESPACES.gateway} and ${CLUSTER_NAMESPACES.monitoring}, controllers call the Kubernetes API: the Kong ingress controller`,
      '(Ingresses, Services, Kong resources); prometheus-operator, kube-state-metrics, Prometheus service discovery and',
      'the Grafana sidecars.',
      'The Jaeger chart has no pod-level setting at all: it opts out on its ServiceAccount',
      '(jaeger.serviceAccount.automountServiceAccountToken: false), which kubernetes-serviceaccount-no-automount still enforces in tracing.',
    ].join(' '),
  },
  validatePod: ({ spec, template }, config, report) => {
    if (config.exemptWorkloads.includes(`${template.namespace}/${template.name}`)) return;
    const automount = spec.automountServiceAccountToken;
    if (!isUnknown(automount) && automount !== false) {
      report('the pod mounts a Kubernetes API token: set automountServiceAccountToken to false.');
    }
  },
});
