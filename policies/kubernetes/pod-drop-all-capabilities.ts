import { stringListConfig } from '../lib/define';
import { containersOf } from '../lib/kubernetes';
import { definePodPolicy } from '../lib/pod-policy';
import { at, isUnknown, stringList } from '../lib/values';

export const podDropAllCapabilities = definePodPolicy<{ allowedAddedCapabilities: string[] }>({
  name: 'kubernetes-pod-drop-all-capabilities',
  description: 'Containers drop ALL Linux capabilities and add back at most NET_BIND_SERVICE.',
  severity: 'high',
  checklist: ['infra-pod-security'],
  references: ['Pod Security Standards (restricted)', 'Checkov CKV_K8S_28', 'Checkov CKV_K8S_37', 'Kubescape C-0046'],
  remediationSteps: "Set `securityContext.capabilities: { drop: ['ALL'] }` on every container.",
  config: {
    allowedAddedCapabilities: stringListConfig('Capabilities a container may add back.', ['NET_BIND_SERVICE']),
  },
  validatePod: ({ spec }, config, report) => {
    for (const { container, name } of containersOf(spec)) {
      const drop = stringList(at(container, 'securityContext', 'capabilities', 'drop'));
      const add = stringList(at(container, 'securityContext', 'capabilities', 'add'));
      if (!isUnknown(drop) && !drop?.some((cap) => cap.toUpperCase() === 'ALL')) {
        report(`container ${name} does not drop ALL capabilities.`);
      }
      if (!isUnknown(add)) {
        const extra = (add ?? []).filter((cap) => !config.allowedAddedCapabilities.includes(cap.toUpperCase()));
        if (extra.length > 0) report(`container ${name} adds capabilities ${extra.join(', ')}.`);
      }
    }
  },
});
