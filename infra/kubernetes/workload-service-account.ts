import { ServiceAccount } from '@pulumi/kubernetes/core/v1';
import type * as pulumi from '@pulumi/pulumi';

/** The annotation the workload identity webhook reads: which Entra identity the pods of this account act as. */
export const WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION = 'azure.workload.identity/client-id';

export interface WorkloadServiceAccountArgs {
  name: string;
  namespace: pulumi.Input<string>;
  labels: Record<string, string>;
  /** The user-assigned identity's client id, federated with this service account. */
  clientId: pulumi.Input<string>;
}

/**
 * A service account bound to one Entra identity through workload identity. No Kubernetes API token is mounted: none
 * of our pods calls the API with it, and the identity webhook projects the token Entra trusts on its own
 * (AZURE_FEDERATED_TOKEN_FILE).
 */
export function workloadServiceAccount(
  resourceName: string,
  args: WorkloadServiceAccountArgs,
  opts: pulumi.CustomResourceOptions,
): ServiceAccount {
  return new ServiceAccount(
    resourceName,
    {
      metadata: {
        name: args.name,
        namespace: args.namespace,
        labels: args.labels,
        annotations: { [WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION]: args.clientId },
      },
      automountServiceAccountToken: false,
    },
    opts,
  );
}
