/**
 * The namespace scope of the Kubernetes policies. Every policy that judges workloads (pods, their service accounts,
 * autoscalers, disruption budgets, network policies, the namespaces themselves) carries one config property,
 * `exemptNamespaces`: objects in those namespaces are not judged. Its default is chosen per policy by what the control
 * protects against: the system namespaces everywhere, plus a platform namespace (CLUSTER_NAMESPACES) only where a
 * third-party chart deployed there cannot meet the control, with the reason declared beside it. The service's own
 * namespace is never exempt by default (defining such a policy throws).
 *
 * A namespace not known yet (preview) is never exempt: the object is judged, as it was before scoping.
 */
import { CLUSTER_NAMESPACES } from '../vendor/contract';
import { isKind, namespaceOf, objectName, parseKubernetesType } from './kubernetes';
import { isUnknown, type PropertyBag, type Unknown } from './values';

/** Namespaces AKS and its add-ons manage (Azure Policy's Gatekeeper included): no policy judges them by default. */
export const SYSTEM_NAMESPACES: readonly string[] = [
  'kube-system',
  'kube-public',
  'kube-node-lease',
  'gatekeeper-system',
];

/** What a policy declares: the namespaces it exempts beyond the system ones, and why. */
export interface NamespaceScope {
  /** Platform namespaces exempt by default besides SYSTEM_NAMESPACES; empty for "system namespaces only". */
  exempt: readonly string[];
  /** Why the chart(s) in those namespaces cannot meet this control; required when `exempt` is not empty. */
  reason?: string;
}

/** The config property every namespace-scoped policy carries. */
export interface NamespaceScopeConfig {
  exemptNamespaces: string[];
}

/** The scope of a policy as the pack exposes it (docs, tests): its default exemptions and their reason. */
export interface NamespaceScopeMetadata {
  defaults: readonly string[];
  reason?: string;
}

/** The system namespaces only: the default of every scoped policy that names no platform namespace. */
export const SYSTEM_ONLY: NamespaceScope = { exempt: [] };

/**
 * The scope of the replica controls (replicas, autoscaler minimum, disruption budget), which must agree: the
 * monitoring and tracing add-ons run one replica (prometheus-operator, kube-state-metrics and Grafana are
 * single-instance; Jaeger's in-memory store cannot be split across replicas) and are off the request path, so one pod
 * is no outage of the service, and a budget on one replica either blocks node drains (minAvailable 1) or protects
 * nothing (maxUnavailable 1). Not the gateway: Kong carries every request.
 */
export const SINGLE_REPLICA_ADD_ONS: NamespaceScope = {
  exempt: [CLUSTER_NAMESPACES.monitoring, CLUSTER_NAMESPACES.tracing],
  reason:
    'single-replica add-ons off the request path (prometheus-operator, kube-state-metrics, Grafana; Jaeger with its in-memory store cannot be split across replicas).',
};

export function scopeMetadataOf(policyName: string, scope: NamespaceScope): NamespaceScopeMetadata {
  if (scope.exempt.includes(CLUSTER_NAMESPACES.service)) {
    throw new Error(
      `${policyName}: the service namespace '${CLUSTER_NAMESPACES.service}' is held to every rule and cannot be exempt by default`,
    );
  }
  if (scope.exempt.length > 0 && !scope.reason) {
    throw new Error(`${policyName}: exempting ${scope.exempt.join(', ')} by default needs a reason`);
  }
  const defaults = [...new Set([...SYSTEM_NAMESPACES, ...scope.exempt])];
  return { defaults, ...(scope.reason ? { reason: scope.reason } : {}) };
}

/** The JSON schema of `exemptNamespaces` (the engine validates the pack config against it), with its default. */
export function exemptNamespacesSchema(metadata: NamespaceScopeMetadata) {
  const platform = metadata.defaults.filter((namespace) => !SYSTEM_NAMESPACES.includes(namespace));
  const why = platform.length > 0 ? ` Also ${platform.join(', ')} by default: ${metadata.reason}` : '';
  return {
    type: 'array' as const,
    items: { type: 'string' as const },
    description: `Namespaces whose objects this policy does not judge (default: the system namespaces).${why}`,
    default: [...metadata.defaults],
  };
}

/**
 * The namespace an object belongs to for scoping: a Namespace object's own name, else metadata.namespace ('default'
 * when absent, as the API server reads it); undefined for objects other than Kubernetes ones.
 */
export function scopeNamespaceOf(type: string, props: PropertyBag, resourceName: string): string | Unknown | undefined {
  if (!parseKubernetesType(type)) return undefined;
  return isKind(type, 'Namespace', '') ? objectName(props, resourceName) : namespaceOf(props);
}

/** Whether the configured scope exempts this namespace; unknown and non-Kubernetes (undefined) never are. */
export function isExemptNamespace(config: NamespaceScopeConfig, namespace: string | Unknown | undefined): boolean {
  if (namespace === undefined || isUnknown(namespace)) return false;
  return (config.exemptNamespaces ?? []).includes(namespace);
}
