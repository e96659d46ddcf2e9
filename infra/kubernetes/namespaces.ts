import { Namespace } from '@pulumi/kubernetes/core/v1';
import * as pulumi from '@pulumi/pulumi';
import { CLUSTER_NAMESPACES } from '../../service/src/contract';

export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';
export type ClusterNamespaceKey = keyof typeof CLUSTER_NAMESPACES;

/**
 * The Pod Security Standard each namespace enforces, and why. Audit and warn are always `restricted`, so anything
 * weaker than restricted that runs is at least visible in the audit log and in `kubectl` warnings.
 */
export const NAMESPACE_POD_SECURITY: Readonly<Record<ClusterNamespaceKey, { level: PodSecurityLevel; why: string }>> = {
  service: { level: 'restricted', why: 'The MCP server needs nothing beyond the restricted profile.' },
  gateway: {
    level: 'restricted',
    why: 'Kong runs as non-root with a read-only root filesystem, no capabilities and RuntimeDefault seccomp.',
  },
  monitoring: {
    level: 'privileged',
    why: 'node-exporter reads the node (hostNetwork, hostPID, hostPath /proc, /sys and /), which even baseline forbids.',
  },
  tracing: { level: 'restricted', why: 'Jaeger needs nothing beyond the restricted profile.' },
  certificates: {
    level: 'restricted',
    why: 'cert-manager runs as non-root, read-only, without capabilities; its solver pods (in the service namespace) too.',
  },
};

export interface NamespacesArgs {
  labels: Record<string, string>;
}

/** Every namespace the layer deploys into, each labelled with its Pod Security admission level. */
export class Namespaces extends pulumi.ComponentResource {
  /** The namespace objects by key; dependents take `names[key]` so they wait for the namespace. */
  readonly names: Readonly<Record<ClusterNamespaceKey, pulumi.Output<string>>>;
  readonly resources: readonly Namespace[];

  constructor(name: string, args: NamespacesArgs, opts?: pulumi.ComponentResourceOptions) {
    super('secure-mcp:kubernetes:Namespaces', name, {}, opts);
    const names = {} as Record<ClusterNamespaceKey, pulumi.Output<string>>;
    const resources: Namespace[] = [];
    for (const key of Object.keys(CLUSTER_NAMESPACES) as ClusterNamespaceKey[]) {
      const level = NAMESPACE_POD_SECURITY[key].level;
      const namespace = new Namespace(
        `${name}-${key}`,
        {
          metadata: {
            name: CLUSTER_NAMESPACES[key],
            labels: {
              ...args.labels,
              'pod-security.kubernetes.io/enforce': level,
              'pod-security.kubernetes.io/enforce-version': 'latest',
              'pod-security.kubernetes.io/audit': 'restricted',
              'pod-security.kubernetes.io/warn': 'restricted',
            },
          },
        },
        { parent: this },
      );
      names[key] = namespace.metadata.name;
      resources.push(namespace);
    }
    this.names = names;
    this.resources = resources;
    this.registerOutputs({});
  }
}
