import { defineStackPolicy } from '../lib/define';
import { isKindOf, isWorkload } from '../lib/kubernetes';
import { SYSTEM_ONLY } from '../lib/namespace-scope';
import { type KubernetesObject, kubernetesObjects, objectsOfKind, workloadsOf } from '../lib/stack';
import { asArray, asRecord, at, isUnknown, stringList } from '../lib/values';

/** A NetworkPolicy that selects every pod and allows nothing in the given directions. */
export function isDefaultDeny(policy: KubernetesObject, requireEgress: boolean): boolean | 'unknown' {
  const spec = at(policy.resource.props, 'spec');
  if (isUnknown(spec)) return 'unknown';
  const selector = asRecord(at(spec, 'podSelector')) ?? {};
  const selectsAll =
    Object.keys(asRecord(selector.matchLabels) ?? {}).length === 0 &&
    (asArray(selector.matchExpressions)?.length ?? 0) === 0;
  const types = stringList(at(spec, 'policyTypes'));
  if (isUnknown(types)) return 'unknown';
  const directions = types ?? ['Ingress'];
  const deniesIngress = directions.includes('Ingress') && (asArray(at(spec, 'ingress'))?.length ?? 0) === 0;
  const deniesEgress = directions.includes('Egress') && (asArray(at(spec, 'egress'))?.length ?? 0) === 0;
  return selectsAll && deniesIngress && (!requireEgress || deniesEgress);
}

export const networkPolicyDefaultDeny = defineStackPolicy<{ requireEgress: boolean }>({
  name: 'kubernetes-networkpolicy-default-deny',
  description:
    'Every namespace the stack declares or deploys into has a default-deny NetworkPolicy (all pods, ingress and egress), so only explicitly allowed traffic flows.',
  severity: 'high',
  checklist: ['infra-network-policies', 'net-private'],
  references: ['AKS baseline (network policies)', 'Kubescape C-0260', 'NSA/CISA Kubernetes hardening'],
  remediationSteps:
    "Add a NetworkPolicy per namespace with `podSelector: {}`, `policyTypes: ['Ingress', 'Egress']` and no rules; then allow each flow explicitly.",
  config: {
    requireEgress: { type: 'boolean', description: 'Require the default deny to cover egress too.', default: true },
  },
  // Platform namespaces (gateway, monitoring, tracing) get their default deny too: isolation applies to every chart.
  namespaceScope: SYSTEM_ONLY,
  subjects: (type) => isWorkload(type) || isKindOf({ kind: 'Namespace', group: '' })(type),
  validate: (resources, config, report) => {
    const objects = kubernetesObjects(resources);
    const namespaces = new Map<string, string | undefined>();
    for (const namespace of objectsOfKind(objects, 'Namespace', ''))
      namespaces.set(namespace.name, namespace.resource.urn);
    for (const { template, object } of workloadsOf(objects)) {
      if (!namespaces.has(template.namespace)) namespaces.set(template.namespace, object.resource.urn);
    }
    const policies = objectsOfKind(objects, 'NetworkPolicy', 'networking.k8s.io');
    for (const [namespace, urn] of namespaces) {
      const verdicts = policies
        .filter((policy) => policy.namespace === namespace)
        .map((policy) => isDefaultDeny(policy, config.requireEgress));
      if (verdicts.some((verdict) => verdict === true || verdict === 'unknown')) continue;
      report(
        `Namespace ${namespace} has no default-deny NetworkPolicy: every pod can reach and be reached by any other.`,
        urn,
      );
    }
  },
});
