import { stringListConfig } from '../lib/define';
import { definePodPolicy } from '../lib/pod-policy';
import { isUnknown } from '../lib/values';

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
  validatePod: ({ spec, template }, config, report) => {
    if (config.exemptWorkloads.includes(`${template.namespace}/${template.name}`)) return;
    const automount = spec.automountServiceAccountToken;
    if (!isUnknown(automount) && automount !== false) {
      report('the pod mounts a Kubernetes API token: set automountServiceAccountToken to false.');
    }
  },
});
