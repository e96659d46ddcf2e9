import { containersOf } from '../lib/kubernetes';
import { definePodPolicy } from '../lib/pod-policy';
import { asArray, asNumber, asRecord } from '../lib/values';
import { CLUSTER_NAMESPACES } from '../vendor/contract';

export const podNoHostPorts = definePodPolicy({
  name: 'kubernetes-pod-no-host-ports',
  description: "Containers do not bind ports on the node's network (hostPort bypasses Services and NetworkPolicy).",
  severity: 'high',
  checklist: ['infra-pod-security', 'infra-network-policies'],
  references: ['Pod Security Standards (baseline)', 'Checkov CKV_K8S_26', 'Polaris hostPortSet'],
  remediationSteps: 'Remove `hostPort` from container ports; expose the pod through a ClusterIP Service.',
  namespaceScope: {
    exempt: [CLUSTER_NAMESPACES.monitoring],
    reason:
      "node-exporter (kube-prometheus-stack) serves its metrics on the node's network (hostNetwork makes its port 9100 a host port).",
  },
  validatePod: ({ spec }, _config, report) => {
    for (const { container, name } of containersOf(spec)) {
      for (const item of asArray(container.ports) ?? []) {
        const hostPort = asNumber(asRecord(item)?.hostPort);
        if (hostPort !== undefined && hostPort !== 0) report(`container ${name} binds host port ${hostPort}.`);
      }
    }
  },
});
