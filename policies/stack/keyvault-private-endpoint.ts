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
  resources?: readonly StackResource[],
): boolean | 'unknown' {
  const connections = [
    ...(asArray(endpoint.props.privateLinkServiceConnections) ?? []),
    ...(asArray(endpoint.props.manualPrivateLinkServiceConnections) ?? []),
  ];
  const ids = isUnknown(endpoint.props.privateLinkServiceConnections)
    ? [endpoint.props.privateLinkServiceConnections]
    : connections.map((connection) => at(asRecord(connection), 'privateLinkServiceId'));
  const verdict = refersTo(endpoint, 'privateLinkServiceConnections', ids, target, armSegment, nameProperty, resources);
  if (verdict === true) return true;
  if (isUnknown(verdict)) return 'unknown';
  // Without ids to compare and without a record of the property's dependencies, a dependency on the target decides.
  if (endpoint.propertyDependencyUrns.privateLinkServiceConnections !== undefined) return false;
  return endpoint.dependencyUrns.includes(target.urn);
}

/** What a private endpoint must reach: resources of a type, named in ARM ids by a segment and a name property. */
export interface EndpointTarget {
  targetType: string;
  armSegment: string;
  nameProperty: string;
}

export const KEYVAULT_ENDPOINT_TARGET: EndpointTarget = {
  targetType: AZURE_TYPES.vault,
  armSegment: 'vaults',
  nameProperty: 'vaultName',
};

function endpointVerdicts(
  resources: readonly StackResource[],
  { targetType, armSegment, nameProperty }: EndpointTarget,
): Array<{ target: StackResource; verdict: boolean | 'unknown' }> {
  const endpoints = resources.filter((resource) => resource.type === AZURE_TYPES.privateEndpoint);
  return resources
    .filter((resource) => resource.type === targetType)
    .map((target) => {
      const verdicts = endpoints.map((endpoint) =>
        privateEndpointReaches(endpoint, target, armSegment, nameProperty, resources),
      );
      const verdict = verdicts.includes(true) ? true : verdicts.includes('unknown') ? 'unknown' : false;
      return { target, verdict };
    });
}

/** The targets no private endpoint reaches (undecided ones excluded: see undecidedPrivateEndpoints). */
export function targetsWithoutPrivateEndpoint(
  resources: readonly StackResource[],
  target: EndpointTarget,
): StackResource[] {
  return endpointVerdicts(resources, target)
    .filter(({ verdict }) => verdict === false)
    .map(({ target }) => target);
}

/** The targets whose private endpoint cannot be decided from what the engine gives (preview). */
export function undecidedPrivateEndpoints(
  resources: readonly StackResource[],
  target: EndpointTarget,
): StackResource[] {
  return endpointVerdicts(resources, target)
    .filter(({ verdict }) => verdict === 'unknown')
    .map(({ target }) => target);
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
    for (const vault of targetsWithoutPrivateEndpoint(resources, KEYVAULT_ENDPOINT_TARGET)) {
      report(`Key Vault ${vault.name} has no private endpoint.`, vault.urn);
    }
  },
});
