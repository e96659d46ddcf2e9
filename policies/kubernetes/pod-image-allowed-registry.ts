import { stringListConfig } from '../lib/define';
import { globMatches, parseImageReference } from '../lib/images';
import { containersOf } from '../lib/kubernetes';
import { definePodPolicy } from '../lib/pod-policy';
import { asString, isUnknown } from '../lib/values';

export const podImageAllowedRegistry = definePodPolicy<{ allowedRegistries: string[] }>({
  name: 'kubernetes-pod-image-allowed-registry',
  description: 'Images come only from allowed registries (our ACR, where Defender scans them, and Microsoft’s).',
  severity: 'high',
  checklist: ['infra-image-scanning'],
  references: ['AKS baseline (allowed images)', 'Azure Policy "allowed container images"', 'Kubescape C-0078'],
  remediationSteps:
    'Import third-party images into the project registry (`az acr import`), or add the registry to allowedRegistries in the pack config.',
  config: {
    allowedRegistries: stringListConfig('Registry host patterns ("*" matches any run of characters).', [
      '*.azurecr.io',
      'mcr.microsoft.com',
    ]),
  },
  validatePod: ({ spec }, config, report) => {
    for (const { container, name } of containersOf(spec)) {
      if (isUnknown(container.image)) continue;
      const image = asString(container.image);
      if (!image) continue;
      const { registry } = parseImageReference(image);
      if (!config.allowedRegistries.some((pattern) => globMatches(pattern, registry))) {
        report(
          `container ${name} image ${image} comes from ${registry}, not an allowed registry (${config.allowedRegistries.join(', ')}).`,
        );
      }
    }
  },
});
