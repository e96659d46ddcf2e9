import {
  NatGateway,
  NetworkSecurityGroup,
  PublicIPAddress,
  RouteTable,
  Subnet,
  VirtualNetwork,
} from '@pulumi/azure-native/network';
import { PrivateZone, VirtualNetworkLink } from '@pulumi/azure-native/privatedns';
import * as pulumi from '@pulumi/pulumi';
import type { EdgeProfile, NetworkProfile } from '../../stacks';
import { EgressFirewall } from './firewall';
import type { EgressRuleInputs } from './firewall-rules';
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
  /** The edge and egress choices of the profile (WAF subnet, firewall). */
  edge: EdgeProfile;
  /** Zones of the firewall and the egress IPs (the cluster's zones). */
  availabilityZones: string[];
  /** Names the firewall lets the nodes reach beyond AKS's own (see firewall-rules.ts). */
  egressRules: Omit<EgressRuleInputs, 'sourcePrefixes'>;
  tags: TagMap;
}

/** How the nodes reach the Internet; the cluster's `networkProfile.outboundType` must say the same. */
export type OutboundType = 'userAssignedNATGateway' | 'userDefinedRouting';

/** Ports Kong's load balancer serves: 443 for MCP, 80 for the ACME HTTP-01 challenge (and a 426 for the rest). */
export const GATEWAY_PUBLIC_PORTS = ['80', '443'];
/** Application Gateway v2's control plane (GatewayManager) reaches its instances on these ports. */
export const APP_GATEWAY_MANAGEMENT_PORTS = '65200-65535';

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
  /** Where Kong's internal load balancer takes its frontend IP. */
  readonly ingressSubnetId: pulumi.Output<string>;
  /** The WAF's subnet: set when the profile has a WAF. */
  readonly edgeSubnetId?: pulumi.Output<string>;
  readonly outboundType: OutboundType;
  /** The route table 0.0.0.0/0 → firewall on the node subnets (prod): the cluster identity must be able to join it. */
  readonly routeTableId?: pulumi.Output<string>;
  readonly privateDnsZoneIds: PrivateDnsZoneIds;
  /** Every NSG of the VNet by a short key, for their diagnostic settings (infra/azure/network-monitoring.ts). */
  readonly networkSecurityGroupIds: Record<string, pulumi.Output<string>> = {};

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

    const { subnets } = args.profile;
    const waf = args.edge.waf !== undefined;
    // Nodes: Kong's load balancer answers on 443 (MCP) and 80 (ACME HTTP-01) only: from the Internet when it is
    // public, from the WAF's subnet alone when a WAF is the edge. Everything else from the Internet is denied; intra-VNet
    // traffic is allowed by default and narrowed by Kubernetes network policies.
    const nodesNsg = new NetworkSecurityGroup(
      `${name}-nodes-nsg`,
      {
        ...common,
        securityRules: [
          waf
            ? {
                name: 'allow-waf-to-gateway',
                priority: 100,
                direction: 'Inbound',
                access: 'Allow',
                protocol: 'Tcp',
                sourceAddressPrefix: subnets.edge,
                sourcePortRange: '*',
                destinationAddressPrefix: subnets.ingress,
                destinationPortRanges: GATEWAY_PUBLIC_PORTS,
              }
            : {
                name: 'allow-internet-to-gateway',
                priority: 100,
                direction: 'Inbound',
                access: 'Allow',
                protocol: 'Tcp',
                sourceAddressPrefix: 'Internet',
                sourcePortRange: '*',
                destinationAddressPrefix: '*',
                destinationPortRanges: GATEWAY_PUBLIC_PORTS,
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
      nsg: NetworkSecurityGroup | undefined,
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
          ...(nsg ? { networkSecurityGroup: { id: nsg.id } } : {}),
          // No implicit outbound Internet IP: egress goes through the NAT gateway (and, in prod, the firewall) only.
          defaultOutboundAccess: false,
          ...extra,
        },
        // Subnets of one VNet are updated one at a time by ARM; chaining avoids "AnotherOperationInProgress".
        { parent: this, dependsOn },
      );

    // Egress: a NAT gateway in every profile (static IPs, no SNAT port exhaustion, no load-balancer outbound rules).
    // Without a firewall it serves the node subnets; with one it serves the firewall's subnet, and the nodes route
    // 0.0.0.0/0 to the firewall.
    const zones = args.availabilityZones.length > 0 ? { zones: args.availabilityZones } : {};
    const egressIp = new PublicIPAddress(
      `${name}-egress-ip`,
      {
        ...common,
        sku: { name: 'Standard', tier: 'Regional' },
        publicIPAllocationMethod: 'Static',
        publicIPAddressVersion: 'IPv4',
        ...zones,
      },
      { parent: this },
    );
    // A NAT gateway is zonal or regional, never zone-redundant: regional (no zone) survives a zone loss.
    const egressNat = new NatGateway(
      `${name}-egress-nat`,
      { ...common, sku: { name: 'Standard' }, publicIpAddresses: [{ id: egressIp.id }], idleTimeoutInMinutes: 10 },
      { parent: this },
    );

    let nodeEgress: Partial<ConstructorParameters<typeof Subnet>[1]> = { natGateway: { id: egressNat.id } };
    let firstDependency: pulumi.Resource[] = [];
    if (args.edge.egressFirewall) {
      // The name is ARM's rule for the firewall's subnet; it takes no NSG.
      const firewallSubnet = new Subnet(
        `${name}-firewall`,
        {
          resourceGroupName: args.resourceGroupName,
          virtualNetworkName: vnet.name,
          subnetName: 'AzureFirewallSubnet',
          addressPrefix: subnets.firewall,
          natGateway: { id: egressNat.id },
          defaultOutboundAccess: false,
        },
        { parent: this },
      );
      const firewall = new EgressFirewall(
        `${name}-egress-firewall`,
        {
          resourceGroupName: args.resourceGroupName,
          location: args.location,
          namePrefix: args.vnetName.replace(/^vnet-/, ''),
          subnetId: firewallSubnet.id,
          availabilityZones: args.availabilityZones,
          rules: { ...args.egressRules, sourcePrefixes: [subnets.systemNodes, subnets.userNodes] },
          tags: args.tags,
        },
        { parent: this },
      );
      const routeTable = new RouteTable(
        `${name}-egress-routes`,
        {
          ...common,
          routes: [
            {
              name: 'internet-via-firewall',
              addressPrefix: '0.0.0.0/0',
              nextHopType: 'VirtualAppliance',
              nextHopIpAddress: firewall.privateIp,
            },
          ],
          // Nothing learned from a gateway may bypass the firewall.
          disableBgpRoutePropagation: true,
        },
        { parent: this },
      );
      this.routeTableId = routeTable.id;
      nodeEgress = { routeTable: { id: routeTable.id } };
      firstDependency = [firewallSubnet];
      this.outboundType = 'userDefinedRouting';
    } else {
      this.outboundType = 'userAssignedNATGateway';
    }

    const systemNodes = subnet('system-nodes', subnets.systemNodes, nodesNsg, nodeEgress, firstDependency);
    const userNodes = subnet('user-nodes', subnets.userNodes, nodesNsg, nodeEgress, [systemNodes]);
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

    let runners: Subnet | undefined;
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
      this.networkSecurityGroupIds.runners = runnersNsg.id;
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
      runners = subnet('runners', args.profile.subnets.runners, runnersNsg, { natGateway: { id: natGateway.id } }, [
        postgres,
      ]);
      this.runnersSubnetId = runners.id;
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

    // Kong's internal load balancer takes its fixed frontend IP here; the nodes' NSG guards the traffic to it.
    const ingress = subnet('ingress', subnets.ingress, nodesNsg, {}, [runners ?? postgres]);
    this.ingressSubnetId = ingress.id;
    if (waf) {
      // Application Gateway v2's subnet: the Internet on 80/443, its control plane, Azure's probes; nothing else.
      const edgeNsg = new NetworkSecurityGroup(
        `${name}-edge-nsg`,
        {
          ...common,
          securityRules: [
            {
              name: 'allow-internet-to-waf',
              priority: 100,
              direction: 'Inbound',
              access: 'Allow',
              protocol: 'Tcp',
              sourceAddressPrefix: 'Internet',
              sourcePortRange: '*',
              destinationAddressPrefix: subnets.edge,
              destinationPortRanges: GATEWAY_PUBLIC_PORTS,
            },
            {
              name: 'allow-gateway-manager',
              priority: 110,
              direction: 'Inbound',
              access: 'Allow',
              protocol: 'Tcp',
              sourceAddressPrefix: 'GatewayManager',
              sourcePortRange: '*',
              destinationAddressPrefix: '*',
              destinationPortRange: APP_GATEWAY_MANAGEMENT_PORTS,
            },
            {
              name: 'allow-azure-load-balancer',
              priority: 120,
              direction: 'Inbound',
              access: 'Allow',
              protocol: '*',
              sourceAddressPrefix: 'AzureLoadBalancer',
              sourcePortRange: '*',
              destinationAddressPrefix: '*',
              destinationPortRange: '*',
            },
            DENY_ALL_INBOUND,
          ],
        },
        { parent: this },
      );
      this.networkSecurityGroupIds.edge = edgeNsg.id;
      this.edgeSubnetId = subnet('edge', subnets.edge, edgeNsg, {}, [ingress]).id;
    }

    this.vnetId = vnet.id;
    Object.assign(this.networkSecurityGroupIds, {
      nodes: nodesNsg.id,
      privateEndpoints: privateEndpointsNsg.id,
      postgres: postgresNsg.id,
    });
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
