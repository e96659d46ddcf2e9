import { definePodPolicy } from '../lib/pod-policy';
import { asString, isUnknown } from '../lib/values';

export const podDedicatedServiceAccount = definePodPolicy({
  name: 'kubernetes-pod-dedicated-service-account',
  description: 'Pods run under their own service account, never the namespace default one.',
  severity: 'medium',
  checklist: ['infra-k8s-rbac', 'auth-rbac'],
  references: ['Kubescape C-0189', 'CIS Kubernetes 5.1.5', 'Polaris'],
  remediationSteps: 'Create a ServiceAccount per workload and set `serviceAccountName`.',
  validatePod: ({ spec }, _config, report) => {
    const account = spec.serviceAccountName ?? spec.serviceAccount;
    if (isUnknown(account)) return;
    const name = asString(account);
    if (!name || name === 'default') report('the pod runs under the default service account: set serviceAccountName.');
  },
});
