import type { TokenCredential } from '@azure/identity';

/**
 * The pod's identity in Azure: on AKS the workload identity webhook sets AZURE_CLIENT_ID, AZURE_TENANT_ID and
 * AZURE_FEDERATED_TOKEN_FILE, which DefaultAzureCredential turns into a WorkloadIdentityCredential.
 * The Azure SDK (8 MB of heap, a fifth of the server's) is loaded on the first token asked, so a server that
 * authenticates with passwords never carries it.
 */
export function workloadIdentityCredential(): TokenCredential {
  let credential: Promise<TokenCredential> | undefined;
  return {
    async getToken(scopes, options) {
      credential ??= import('@azure/identity').then(({ DefaultAzureCredential }) => new DefaultAzureCredential());
      return (await credential).getToken(scopes, options);
    },
  };
}
