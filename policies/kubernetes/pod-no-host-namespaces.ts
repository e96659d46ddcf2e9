import { definePodPolicy } from '../lib/pod-policy';
import { CLUSTER_NAMESPACES } from '../vendor/contract';

const HOST_NAMESPACES = ['hostNetwork', 'hostPID', 'hostIPC', 'hostUsers'] as const;

export const podNoHostNamespaces = definePodPolicy({
  name: 'kubernetes-pod-no-host-namespaces',
  description: "Pods do not share the node's network, PID or IPC namespaces.",
  severity: 'critical',
  checklist: ['infra-pod-security', 'infra-network-policies'],
  references: ['Pod Security Standards (baseline)', 'Checkov CKV_K8S_17', 'Checkov CKV_K8S_18', 'Checkov CKV_K8S_19'],
  remediationSteps: 'Remove hostNetwork, hostPID and hostIPC from the pod spec.',
  namespaceScope: {
    exempt: [CLUSTER_NAMESPACES.monitoring],
    reason:
      "node-exporter (kube-prometheus-stack) reads the node's metrics from the node's network and PID namespaces (hostNetwork, hostPID).",
  },
  validatePod: ({ spec }, _config, report) => {
    for (const field of HOST_NAMESPACES) {
      // hostUsers defaults to true and false is the safe value (user namespaces); only the others are refused when true.
      if (field !== 'hostUsers' && spec[field] === true)
        report(`${field} is true: the pod shares the node's namespace.`);
    }
  },
});
