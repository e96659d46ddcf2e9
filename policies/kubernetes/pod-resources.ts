import { containersOf } from '../lib/kubernetes';
import { definePodPolicy } from '../lib/pod-policy';
import { at, isUnknown } from '../lib/values';

interface ResourcesConfig {
  requireCpuLimit: boolean;
}

export const podResources = definePodPolicy<ResourcesConfig>({
  name: 'kubernetes-pod-resources',
  description: 'Containers declare CPU and memory requests and limits, so one pod cannot starve the node.',
  severity: 'medium',
  checklist: ['infra-pod-security'],
  references: [
    'Checkov CKV_K8S_10-13',
    'kube-score container-resources',
    'Polaris cpuRequestsMissing',
    'Kubescape C-0050',
  ],
  remediationSteps: 'Set `resources.requests.{cpu,memory}` and `resources.limits.{cpu,memory}` on every container.',
  config: {
    requireCpuLimit: {
      type: 'boolean',
      description: 'Require a CPU limit (some teams prefer requests only, to avoid throttling).',
      default: true,
    },
  },
  validatePod: ({ spec }, config, report) => {
    for (const { container, name, role } of containersOf(spec)) {
      if (role === 'ephemeralContainer') continue;
      const resources = at(container, 'resources');
      if (isUnknown(resources)) continue;
      const required: Array<[string, string]> = [
        ['requests', 'cpu'],
        ['requests', 'memory'],
        ['limits', 'memory'],
      ];
      if (config.requireCpuLimit) required.push(['limits', 'cpu']);
      const missing = required.filter(([kind, resource]) => at(resources, kind, resource) === undefined);
      if (missing.length > 0) {
        report(`container ${name} lacks ${missing.map(([kind, resource]) => `${kind}.${resource}`).join(', ')}.`);
      }
    }
  },
});
