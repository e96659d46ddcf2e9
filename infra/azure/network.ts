import {
  NatGateway,
  NetworkSecurityGroup,
  PublicIPAddress,
  Subnet,
  VirtualNetwork,
} from '@pulumi/azure-native/network';
import { PrivateZone, VirtualNetworkLink } from '@pulumi/azure-native/privatedns';
import * as pulumi from '@pulumi/pulumi';
import type { NetworkProfile } from '../../stacks';
import type { TagMap } from './tags';

export interface NetworkArgs {
  resourceGroupName: pulumi.Input<string>;
  location: string;
  vnetName: string;
  profile: NetworkProfile;
  /** The Postgres server's name: its private DNS zone must be `<anything>.postgres.database.azure.com`. */
  postgresDnsZoneName: pulumi.Input<string>;
  /** Private endpoints for the registry exist only when the profile closes its public access. */
  registryPrivateDnsZone: boolean;
  /**
   * A subnet for self-hosted deployment runners, with its own NAT gateway for egress (GitHub, npm, Azure APIs): the
   * only place a private cluster's API server, a private registry and private Key Vault answer a deployment.
   */
  runnerSubnet: boolean;
  tags: TagMap;
}

export interface PrivateDnsZoneIds {
  keyVault: pulumi.Output<string>;
  redis: pulumi.Output<string>;
  postgres: pulumi.Output<string>;
  registry?: pulumi.Output<string>;
}

/** Private DNS zones of the private-link services (public cloud names). */
export const PRIVATE_DNS_ZONES = {
  keyVault: 'privatelink.vaultcore.azure.net',
  redis: 'privatelink.redis.azure.net',
  registry: 'privatelink.azurecr.io',
} as const;

/** The last inbound rule of the NSGs that serve only the VNet, or nothing at all. */
const DENY_ALL_INBOUND = {
  name: 'deny-all-inbound',
  priority: 4096,
  direction: 'Inbound',
  access: 'Deny',
  protocol: '*',
  sourceAddressPrefix: '*',
  sourcePortRange: '*',
  destinationAddressPrefix: '*',
  destinationPortRange: '*',
};

/**
 * The VNet: node subnets (system, user), a subnet for private endpoints, and the subnet delegated to
 * Postgres Flexible Server; an NSG on each; private DNS zones linked to the VNet so names resolve privately.
 * Pods use Azure CNI overlay, so they take no VNet addresses.
 */
export class Network extends pulumi.ComponentResource {
  readonly vnetId: pulumi.Output<string>;
  readonly systemNodesSubnetId: pulumi.Output<string>;
  readonly userNodesSubnetId: pulumi.Output<string>;
  readonly privateEndpointsSubnetId: pulumi.Output<string>;
  readonly postgresSubnetId: pulumi.Output<string>;
  /** Set when `runnerSubnet` was asked for. */
  readonly runnersSubnetId?: pulumi.Output<string>;
  readonly privateDnsZoneIds: PrivateDnsZoneIds;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super('secure-mcp:azure:Network', name, {}, opts);
    const common = { resourceGroupName: args.resourceGroupName, location: args.location, tags: args.tags };

    const vnet = new VirtualNetwork(
      `${name}-vnet`,
      {
        ...common,
        virtualNetworkName: args.vnetName,
        addressSpace: { addressPrefixes: [args.profile.addressSpace] },
      },
      // Subnets are separate resources; declaring none inline must not make the VNet delete them.
      { parent: this, ignoreChanges: ['subnets'] },
    );

    // Nodes: the gateway's public load balancer answers on 443 only; everything else from the Internet is denied
    // by the default rules. Intra-VNet traffic is allowed by default and narrowed by Kubernetes network policies.
    const nodesNsg = new NetworkSecurityGroup(
      `${name}-nodes-nsg`,
      {
        ...common,
        securityRules: [
          {
            name: 'allow-https-from-internet-to-gateway',
            priority: 100,
            direction: 'Inbound',
            access: 'Allow',
            protocol: 'Tcp',
            sourceAddressPrefix: 'Internet',
            sourcePortRange: '*',
            destinationAddressPrefix: '*',
            destinationPortRange: '443',
          },
          {
            name: 'deny-all-other-internet-inbound',
            priority: 4000,
            direction: 'Inbound',
            access: 'Deny',
            protocol: '*',
            sourceAddressPrefix: 'Internet',
            sourcePortRange: '*',
            destinationAddressPrefix: '*',
            destinationPortRange: '*',
          },
        ],
      },
      { parent: this },
    );

    // Private endpoints and Postgres only ever serve the VNet.
    const privateOnlyRules = (prefix: string) => [
      {
        name: 'allow-vnet-inbound',
        priority: 100,
        direction: 'Inbound',
        access: 'Allow',
        protocol: 'Tcp',
        sourceAddressPrefix: 'VirtualNetwork',
        sourcePortRange: '*',
        destinationAddressPrefix: prefix,
        destinationPortRange: '*',
      },
      DENY_ALL_INBOUND,
    ];
    const privateEndpointsNsg = new NetworkSecurityGroup(
      `${name}-private-endpoints-nsg`,
      { ...common, securityRules: privateOnlyRules(args.profile.subnets.privateEndpoints) },
      { parent: this },
    );
    const postgresNsg = new NetworkSecurityGroup(
      `${name}-postgres-nsg`,
      { ...common, securityRules: privateOnlyRules(args.profile.subnets.postgres) },
      { parent: this },
    );

    const subnet = (
      key: string,
      addressPrefix: string,
      nsg: NetworkSecurityGroup,
      extra: Partial<ConstructorParameters<typeof Subnet>[1]> = {},
      dependsOn: pulumi.Resource[] = [],
    ) =>
      new Subnet(
        `${name}-${key}`,
        {
          resourceGroupName: args.resourceGroupName,
          virtualNetworkName: vnet.name,
          subnetName: `snet-${key}`,
          addressPrefix,
          networkSecurityGroup: { id: nsg.id },
          // No implicit outbound Internet IP: egress goes through the cluster's load balancer only.
          defaultOutboundAccess: false,
          ...extra,
        },
        // Subnets of one VNet are updated one at a time by ARM; chaining avoids "AnotherOperationInProgress".
        { parent: this, dependsOn },
      );

    const systemNodes = subnet('system-nodes', args.profile.subnets.systemNodes, nodesNsg);
    const userNodes = subnet('user-nodes', args.profile.subnets.userNodes, nodesNsg, {}, [systemNodes]);
    const privateEndpoints = subnet(
      'private-endpoints',
      args.profile.subnets.privateEndpoints,
      privateEndpointsNsg,
      { privateEndpointNetworkPolicies: 'Enabled' },
      [userNodes],
    );
    const postgres = subnet(
      'postgres',
      args.profile.subnets.postgres,
      postgresNsg,
      {
        delegations: [{ name: 'postgres-flexible-server', serviceName: 'Microsoft.DBforPostgreSQL/flexibleServers' }],
      },
      [privateEndpoints],
    );

    if (args.runnerSubnet) {
      // Runners accept no inbound connection at all: they poll their CI service outbound.
      const runnersNsg = new NetworkSecurityGroup(
        `${name}-runners-nsg`,
        {
          ...common,
          securityRules: [DENY_ALL_INBOUND],
        },
        { parent: this },
      );
      const egressIp = new PublicIPAddress(
        `${name}-runners-egress-ip`,
        {
          ...common,
          sku: { name: 'Standard', tier: 'Regional' },
          publicIPAllocationMethod: 'Static',
          publicIPAddressVersion: 'IPv4',
        },
        { parent: this },
      );
      const natGateway = new NatGateway(
        `${name}-runners-nat`,
        { ...common, sku: { name: 'Standard' }, publicIpAddresses: [{ id: egressIp.id }], idleTimeoutInMinutes: 10 },
        { parent: this },
      );
      this.runnersSubnetId = subnet(
        'runners',
        args.profile.subnets.runners,
        runnersNsg,
        { natGateway: { id: natGateway.id } },
        [postgres],
      ).id;
    }

    const zone = (key: string, zoneName: pulumi.Input<string>) => {
      const privateZone = new PrivateZone(
        `${name}-dns-${key}`,
        { resourceGroupName: args.resourceGroupName, privateZoneName: zoneName, location: 'global', tags: args.tags },
        { parent: this },
      );
      const link = new VirtualNetworkLink(
        `${name}-dns-${key}-link`,
        {
          resourceGroupName: args.resourceGroupName,
          privateZoneName: privateZone.name,
          location: 'global',
          virtualNetwork: { id: vnet.id },
          // Records come from private endpoints' zone groups, never from VM auto-registration.
          registrationEnabled: false,
          tags: args.tags,
        },
        { parent: privateZone },
      );
      // The id output also carries the link as a dependency: consumers (Postgres above all) must not start before
      // the zone resolves inside the VNet.
      return pulumi.all([privateZone.id, link.id]).apply(([zoneId]) => zoneId);
    };

    this.vnetId = vnet.id;
    this.systemNodesSubnetId = systemNodes.id;
    this.userNodesSubnetId = userNodes.id;
    this.privateEndpointsSubnetId = privateEndpoints.id;
    this.postgresSubnetId = postgres.id;
    this.privateDnsZoneIds = {
      keyVault: zone('keyvault', PRIVATE_DNS_ZONES.keyVault),
      redis: zone('redis', PRIVATE_DNS_ZONES.redis),
      postgres: zone('postgres', args.postgresDnsZoneName),
      ...(args.registryPrivateDnsZone ? { registry: zone('registry', PRIVATE_DNS_ZONES.registry) } : {}),
    };
    this.registerOutputs({ vnetId: this.vnetId });
  }
}
