import { PrivateDnsZoneGroup, PrivateEndpoint } from '@pulumi/azure-native/network';
import type * as pulumi from '@pulumi/pulumi';
import type { TagMap } from './tags';

export interface PrivateEndpointArgs {
  resourceGroupName: pulumi.Input<string>;
  location: string;
  subnetId: pulumi.Input<string>;
  targetResourceId: pulumi.Input<string>;
  /** The private-link sub-resource (`vault`, `redisEnterprise`, `registry`). */
  groupId: string;
  privateDnsZoneId: pulumi.Input<string>;
  tags: TagMap;
}

/** A private endpoint whose A record is maintained in the matching private DNS zone. */
export function createPrivateEndpoint(
  name: string,
  args: PrivateEndpointArgs,
  opts: pulumi.CustomResourceOptions,
): PrivateEndpoint {
  const endpoint = new PrivateEndpoint(
    name,
    {
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      subnet: { id: args.subnetId },
      privateLinkServiceConnections: [{ name, privateLinkServiceId: args.targetResourceId, groupIds: [args.groupId] }],
      tags: args.tags,
    },
    opts,
  );
  new PrivateDnsZoneGroup(
    `${name}-dns`,
    {
      resourceGroupName: args.resourceGroupName,
      privateEndpointName: endpoint.name,
      privateDnsZoneConfigs: [{ name: args.groupId, privateDnsZoneId: args.privateDnsZoneId }],
    },
    { ...opts, parent: opts.parent ?? endpoint },
  );
  return endpoint;
}
