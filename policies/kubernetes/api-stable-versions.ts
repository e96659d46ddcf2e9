import { defineResourcePolicy } from '../lib/define';
import { parseKubernetesType } from '../lib/kubernetes';

/** group/kind pairs that have a stable (GA) API version, with that version. */
const STABLE: Record<string, string> = {
  'apps/Deployment': 'apps/v1',
  'apps/StatefulSet': 'apps/v1',
  'apps/DaemonSet': 'apps/v1',
  'apps/ReplicaSet': 'apps/v1',
  'extensions/Deployment': 'apps/v1',
  'extensions/DaemonSet': 'apps/v1',
  'extensions/ReplicaSet': 'apps/v1',
  'extensions/Ingress': 'networking.k8s.io/v1',
  'extensions/NetworkPolicy': 'networking.k8s.io/v1',
  'extensions/PodSecurityPolicy': 'removed (use Pod Security Admission)',
  'networking.k8s.io/Ingress': 'networking.k8s.io/v1',
  'networking.k8s.io/IngressClass': 'networking.k8s.io/v1',
  'policy/PodDisruptionBudget': 'policy/v1',
  'policy/PodSecurityPolicy': 'removed (use Pod Security Admission)',
  'autoscaling/HorizontalPodAutoscaler': 'autoscaling/v2',
  'batch/CronJob': 'batch/v1',
  'rbac.authorization.k8s.io/Role': 'rbac.authorization.k8s.io/v1',
  'rbac.authorization.k8s.io/ClusterRole': 'rbac.authorization.k8s.io/v1',
  'rbac.authorization.k8s.io/RoleBinding': 'rbac.authorization.k8s.io/v1',
  'rbac.authorization.k8s.io/ClusterRoleBinding': 'rbac.authorization.k8s.io/v1',
  'storage.k8s.io/StorageClass': 'storage.k8s.io/v1',
  'storage.k8s.io/CSIDriver': 'storage.k8s.io/v1',
  'apiextensions.k8s.io/CustomResourceDefinition': 'apiextensions.k8s.io/v1',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration': 'admissionregistration.k8s.io/v1',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration': 'admissionregistration.k8s.io/v1',
  'scheduling.k8s.io/PriorityClass': 'scheduling.k8s.io/v1',
  'coordination.k8s.io/Lease': 'coordination.k8s.io/v1',
  'discovery.k8s.io/EndpointSlice': 'discovery.k8s.io/v1',
  'secrets-store.csi.x-k8s.io/SecretProviderClass': 'secrets-store.csi.x-k8s.io/v1',
};

const PRE_RELEASE = /^v\d+(alpha|beta)\d*$/;

export const apiStableVersions = defineResourcePolicy({
  name: 'kubernetes-api-stable-versions',
  description:
    'Objects use the stable API version where one exists, never an alpha/beta one (removed in later releases).',
  severity: 'low',
  checklist: ['infra-security-updates'],
  references: ['Kubernetes deprecation policy', 'Polaris deprecatedApiVersion', 'kube-score'],
  remediationSteps: 'Move the object to the stable apiVersion named in the message.',
  appliesTo: (type) => parseKubernetesType(type) !== undefined,
  validate: ({ type }, _config, report) => {
    const parsed = parseKubernetesType(type);
    if (!parsed) return;
    const extensionsGroup = parsed.group === 'extensions';
    if (!PRE_RELEASE.test(parsed.version) && !extensionsGroup) return;
    const stable = STABLE[`${parsed.group}/${parsed.kind}`];
    if (stable) report(`${parsed.kind} uses ${parsed.group}/${parsed.version}: use ${stable}.`);
  },
});
