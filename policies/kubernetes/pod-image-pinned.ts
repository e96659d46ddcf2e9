import { stringListConfig } from '../lib/define';
import { parseImageReference } from '../lib/images';
import { containersOf } from '../lib/kubernetes';
import { definePodPolicy } from '../lib/pod-policy';
import { asString, isUnknown } from '../lib/values';

interface ImagePinnedConfig {
  mutableTags: string[];
  requireDigest: boolean;
}

export const podImagePinned = definePodPolicy<ImagePinnedConfig>({
  name: 'kubernetes-pod-image-pinned',
  description: 'Images are pinned: a digest or an immutable version tag, never latest or another moving tag.',
  severity: 'high',
  checklist: ['infra-image-scanning'],
  references: ['Checkov CKV_K8S_14', 'Checkov CKV_K8S_43', 'kube-score container-image-tag', 'Polaris tagNotSpecified'],
  remediationSteps:
    'Reference the image by digest (`registry/app@sha256:...`) or by a release tag the registry keeps immutable (ACR tag locking).',
  config: {
    mutableTags: stringListConfig('Tags that move and so never pin an image.', [
      'latest',
      'stable',
      'main',
      'master',
      'dev',
      'develop',
      'edge',
      'nightly',
    ]),
    requireDigest: { type: 'boolean', description: 'Accept only digests, no tags.', default: false },
  },
  validatePod: ({ spec }, config, report) => {
    for (const { container, name } of containersOf(spec)) {
      if (isUnknown(container.image)) continue;
      const image = asString(container.image);
      if (!image) {
        report(`container ${name} has no image.`);
        continue;
      }
      const reference = parseImageReference(image);
      if (reference.digest) continue;
      if (config.requireDigest) {
        report(`container ${name} image ${image} is not pinned by digest.`);
      } else if (!reference.tag) {
        report(`container ${name} image ${image} has no tag (means latest): pin a version or a digest.`);
      } else if (config.mutableTags.includes(reference.tag.toLowerCase())) {
        report(`container ${name} image ${image} uses the moving tag '${reference.tag}': pin a version or a digest.`);
      }
    }
  },
});
