import { FederatedIdentityCredential } from '@pulumi/azure-native/managedidentity';
import * as pulumi from '@pulumi/pulumi';

export interface WorkloadIdentityArgs {
  resourceGroupName: pulumi.Input<string>;
  /** The user-assigned identity's resource name. */
  identityName: pulumi.Input<string>;
  oidcIssuerUrl: pulumi.Input<string>;
  namespace: string;
  serviceAccount: string;
}

/** The audience AKS workload identity uses for the token exchange. */
export const WORKLOAD_IDENTITY_AUDIENCE = 'api://AzureADTokenExchange';

/**
 * Federates the workload identity with exactly one Kubernetes service account of this cluster: only a pod
 * running as `system:serviceaccount:<namespace>:<serviceAccount>` can obtain the identity's Entra tokens.
 */
export class WorkloadIdentity extends pulumi.ComponentResource {
  readonly subject: string;

  constructor(name: string, args: WorkloadIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super('secure-mcp:azure:WorkloadIdentity', name, {}, opts);
    this.subject = `system:serviceaccount:${args.namespace}:${args.serviceAccount}`;
    new FederatedIdentityCredential(
      `${name}-federation`,
      {
        resourceGroupName: args.resourceGroupName,
        resourceName: args.identityName,
        federatedIdentityCredentialResourceName: `${args.namespace}-${args.serviceAccount}`,
        issuer: args.oidcIssuerUrl,
        subject: this.subject,
        audiences: [WORKLOAD_IDENTITY_AUDIENCE],
      },
      { parent: this },
    );
    this.registerOutputs({ subject: this.subject });
  }
}
