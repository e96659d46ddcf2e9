import { defineResourcePolicy } from '../lib/define';
import { isKind } from '../lib/kubernetes';
import { asArray, at } from '../lib/values';

export const serviceNoExternalIps = defineResourcePolicy({
  name: 'kubernetes-service-no-external-ips',
  description: 'Services set no externalIPs (CVE-2020-8554: traffic interception inside the cluster).',
  severity: 'high',
  checklist: ['net-private'],
  references: ['CVE-2020-8554', 'Kubescape C-0256'],
  remediationSteps: 'Remove `spec.externalIPs`.',
  appliesTo: (type) => isKind(type, 'Service', ''),
  validate: ({ props }, _config, report) => {
    if ((asArray(at(props, 'spec', 'externalIPs'))?.length ?? 0) > 0) report('The Service sets externalIPs.');
  },
});
