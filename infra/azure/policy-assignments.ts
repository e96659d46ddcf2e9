import { PolicyAssignment } from '@pulumi/azure-native/authorization';
import * as pulumi from '@pulumi/pulumi';

/**
 * Built-in Azure Policy ids (identical in every tenant), as published in Azure/azure-policy:
 * - built-in-policies/policySetDefinitions/Kubernetes/Kubernetes_PSPRestrictedStandard.json: "Kubernetes cluster pod
 *   security restricted standards for Linux-based workloads" (initiative 2.5.0; parameters effect, excludedNamespaces,
 *   namespaces, allowedCapabilities, requiredDropCapabilities). The AKS baseline assigns the same initiative.
 * - built-in-policies/policyDefinitions/Kubernetes/ContainerAllowedImages.json: "Kubernetes cluster containers should
 *   only use allowed images" (8.0.0; parameters effect, excludedNamespaces, namespaces, labelSelector,
 *   allowedContainerImagesRegex, excludedContainers).
 */
export const BUILT_IN_POLICIES = {
  podSecurityRestrictedInitiative:
    '/providers/Microsoft.Authorization/policySetDefinitions/42b8ef37-b724-4e24-bbc8-7a7708edfe00',
  allowedContainerImages: '/providers/Microsoft.Authorization/policyDefinitions/febd0533-8e55-448f-b837-bd0e06f16469',
} as const;

/** Both definitions list these (lower and capitalised forms) as the effect's allowed values. */
export type KubernetesPolicyEffect = 'Audit' | 'Deny';

/**
 * Namespaces AKS and its add-ons manage: the definitions' own default exclusions (kube-system, gatekeeper-system,
 * azure-arc, azure-extensions-usage-system), which an explicit `excludedNamespaces` replaces, so they are repeated.
 */
export const POLICY_SYSTEM_NAMESPACES: readonly string[] = [
  'kube-system',
  'gatekeeper-system',
  'azure-arc',
  'azure-extensions-usage-system',
];

export interface ClusterPolicyArgs {
  clusterId: pulumi.Input<string>;
  /** Audit records violations; Deny makes Gatekeeper refuse the object at admission. */
  effect: KubernetesPolicyEffect;
  /** The registry every image must come from (`<name>.azurecr.io`); charts' images are imported there too. */
  registryLoginServer: pulumi.Input<string>;
  /**
   * Platform namespaces whose pods cannot meet the restricted standard, with the reason (node-exporter's host
   * access in the monitoring namespace). They stay under the allowed-images policy.
   */
  podSecurityExemptions: { namespaces: readonly string[]; reason: string };
}

/** The regex the allowed-images policy matches each image against: the stack's registry, any repository in it. */
export function allowedImagesRegex(loginServer: string): string {
  return `^${loginServer.replace(/[.\\^$|?*+()[\]{}-]/g, (c) => `\\${c}`)}/.+$`;
}

/**
 * Azure Policy for Kubernetes on the cluster (the add-on is on in every profile): the pod security restricted
 * initiative and the allowed-images policy, scoped to the cluster so nothing else in the subscription is judged.
 * They repeat, inside the cluster and for whatever is applied outside Pulumi (kubectl, a compromised pipeline), what
 * the CrossGuard pack checks before `pulumi up`.
 */
export class ClusterPolicy extends pulumi.ComponentResource {
  readonly assignments: PolicyAssignment[];

  constructor(name: string, args: ClusterPolicyArgs, opts?: pulumi.ComponentResourceOptions) {
    super('secure-mcp:azure:ClusterPolicy', name, {}, opts);

    const podSecurity = new PolicyAssignment(
      `${name}-pod-security-restricted`,
      {
        // ARM's pattern (policyAssignments.json, 2025-01-01): none of <>*%&:\?.+/ and no trailing space.
        policyAssignmentName: 'pod-security-restricted',
        displayName: 'Kubernetes cluster pod security restricted standards for Linux-based workloads',
        description: `Restricted pod security standard, ${args.effect.toLowerCase()}. Exempt besides the system namespaces: ${args.podSecurityExemptions.namespaces.join(', ') || 'none'} (${args.podSecurityExemptions.reason}).`,
        scope: args.clusterId,
        policyDefinitionId: BUILT_IN_POLICIES.podSecurityRestrictedInitiative,
        enforcementMode: 'Default',
        parameters: {
          effect: { value: args.effect },
          excludedNamespaces: {
            value: [...POLICY_SYSTEM_NAMESPACES, ...args.podSecurityExemptions.namespaces],
          },
        },
      },
      { parent: this },
    );

    const allowedImages = new PolicyAssignment(
      `${name}-allowed-images`,
      {
        policyAssignmentName: 'allowed-container-images',
        displayName: 'Kubernetes cluster containers should only use allowed images',
        description: `Only images from the stack's registry, ${args.effect.toLowerCase()}.`,
        scope: args.clusterId,
        policyDefinitionId: BUILT_IN_POLICIES.allowedContainerImages,
        enforcementMode: 'Default',
        parameters: {
          effect: { value: args.effect },
          excludedNamespaces: { value: [...POLICY_SYSTEM_NAMESPACES] },
          allowedContainerImagesRegex: { value: pulumi.output(args.registryLoginServer).apply(allowedImagesRegex) },
        },
      },
      { parent: this },
    );

    this.assignments = [podSecurity, allowedImages];
    this.registerOutputs({});
  }
}
