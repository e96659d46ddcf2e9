import { definePodPolicy } from '../lib/pod-policy';
import { asArray, asRecord, asString } from '../lib/values';
import { CLUSTER_NAMESPACES } from '../vendor/contract';

export const podNoHostPath = definePodPolicy({
  name: 'kubernetes-pod-no-host-path',
  description: "Pods mount no hostPath volumes (the node's filesystem).",
  severity: 'high',
  checklist: ['infra-pod-security'],
  references: ['Pod Security Standards (baseline)', 'Kubescape C-0048', 'Checkov CKV_K8S (hostPath)'],
  remediationSteps: 'Replace hostPath volumes by emptyDir, a PersistentVolumeClaim or a CSI volume.',
  namespaceScope: {
    exempt: [CLUSTER_NAMESPACES.monitoring],
    reason:
      "node-exporter (kube-prometheus-stack) mounts the node's /proc, /sys and / (read-only) to read its metrics.",
  },
  validatePod: ({ spec }, _config, report) => {
    for (const item of asArray(spec.volumes) ?? []) {
      const volume = asRecord(item);
      if (volume?.hostPath !== undefined) report(`volume ${asString(volume.name) ?? ''} is a hostPath mount.`);
    }
  },
});
