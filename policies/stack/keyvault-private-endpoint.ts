import { AZURE_TYPES } from '../lib/azure';
import { defineStackPolicy, type StackResource } from '../lib/define';
import { refersTo } from '../lib/stack';
import { asArray, asRecord, at, isUnknown } from '../lib/values';

/** Whether a private endpoint connects to the target, with the given sub-resource (group id). */
export function privateEndpointReaches(
  endpoint: StackResource,
  target: StackResource,
  armSegment: string,
  nameProperty: string,
): boolean | 'unknown' {
  const connections = [
    ...(asArray(endpoint.props.privateLinkServiceConnections) ?? []),
    ...(asArray(endpoint.props.manualPrivateLinkServiceConnections) ?? []),
  ];
  if (isUnknown(endpoint.props.privateLinkServiceConnections)) return 'unknown';
  const ids = connections.map((connection) => at(asRecord(connection), 'privateLinkServiceId'));
  const verdict = refersTo(endpoint, 'privateLinkServiceConnections', ids, target, armSegment, nameProperty);
  if (verdict === true) return true;
  if (isUnknown(verdict)) return 'unknown';
  // Without ids to compare (e.g. both unknown under mocks), a dependency on the target decides.
  return endpoint.dependencyUrns.includes(target.urn);
}

export function targetsWithoutPrivateEndpoint(
  resources: readonly StackResource[],
  targetType: string,
  armSegment: string,
  nameProperty: string,
): StackResource[] {
  const endpoints = resources.filter((resource) => resource.type === AZURE_TYPES.privateEndpoint);
  return resources
    .filter((resource) => resource.type === targetType)
    .filter((target) => {
      const verdicts = endpoints.map((endpoint) => privateEndpointReaches(endpoint, target, armSegment, nameProperty));
      return !verdicts.some((verdict) => verdict === true || verdict === 'unknown');
    });
}

export const keyVaultPrivateEndpoint = defineStackPolicy({
  name: 'azure-keyvault-private-endpoint',
  description: 'Every Key Vault has a private endpoint in the virtual network, so the cluster reaches it privately.',
  severity: 'high',
  checklist: ['net-private', 'infra-secrets-store'],
  references: ['AKS baseline', 'Azure security benchmark NS-2'],
  remediationSteps:
    "Add a `network.PrivateEndpoint` with `privateLinkServiceConnections: [{ privateLinkServiceId: vault.id, groupIds: ['vault'] }]` and the privatelink.vaultcore.azure.net DNS zone.",
  subjects: (type) => type === AZURE_TYPES.vault,
  validate: (resources, _config, report) => {
    for (const vault of targetsWithoutPrivateEndpoint(resources, AZURE_TYPES.vault, 'vaults', 'vaultName')) {
      report(`Key Vault ${vault.name} has no private endpoint.`, vault.urn);
    }
  },
});
