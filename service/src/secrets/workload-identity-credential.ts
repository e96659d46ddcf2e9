import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';

/**
 * The pod's identity in Azure: on AKS the workload identity webhook sets AZURE_CLIENT_ID, AZURE_TENANT_ID and
 * AZURE_FEDERATED_TOKEN_FILE, which DefaultAzureCredential turns into a WorkloadIdentityCredential.
 */
export function workloadIdentityCredential(): TokenCredential {
  return new DefaultAzureCredential();
}
