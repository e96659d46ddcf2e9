/** The policies added for coverage: Log Analytics local auth, subnets, a private cluster's public FQDN, locations. */
import { describe, expect, it } from 'vitest';
import { aksPrivateClusterNoPublicFqdn } from '../../azure/aks-private-fqdn';
import { logAnalyticsLocalAuthDisabled } from '../../azure/loganalytics-local-auth-disabled';
import { subnetNoDefaultOutbound } from '../../azure/network-subnet-no-default-outbound';
import { subnetNsg } from '../../azure/network-subnet-nsg';
import { normalizeLocation, resourceAllowedLocations } from '../../azure/resource-allowed-locations';
import { AZURE_TYPES, managedCluster, subnet, virtualNetwork, workspace } from '../fixtures/azure-baseline';
import { asResource, provePolicy } from '../helpers/policy-harness';

// biome-ignore lint/suspicious/noExplicitAny: test drafts mutate deeply nested resource inputs by path.
type Draft = Record<string, any>;

const SUBNET = 'azure-native:network:Subnet';
const VNET = 'azure-native:network:VirtualNetwork';

provePolicy({
  policy: logAnalyticsLocalAuthDisabled,
  baseline: (): Draft => workspace(),
  toRecords: asResource(AZURE_TYPES.logAnalyticsWorkspace),
  failing: [
    {
      rule: 'local auth enabled',
      change: (d) => {
        d.features.disableLocalAuth = false;
      },
      message: /accepts shared-key \(local\) auth/,
    },
    {
      rule: 'not declared (the default is enabled)',
      change: (d) => void delete d.features,
      message: /does not declare features\.disableLocalAuth/,
    },
  ],
  preview: [['features', 'disableLocalAuth']],
});

provePolicy({
  policy: subnetNsg,
  baseline: (): Draft => subnet(),
  toRecords: asResource(SUBNET),
  passing: [
    {
      name: 'the firewall subnet, on which Azure forbids an NSG',
      change: (d) => {
        d.subnetName = 'AzureFirewallSubnet';
        delete d.networkSecurityGroup;
      },
    },
  ],
  failing: [
    {
      rule: 'no NSG',
      change: (d) => void delete d.networkSecurityGroup,
      message: /Subnet snet-user-nodes has no network security group/,
    },
    {
      rule: 'an exempt name no longer exempt by config',
      change: (d) => {
        d.subnetName = 'GatewaySubnet';
        delete d.networkSecurityGroup;
      },
      config: { exemptSubnetNames: [] },
      message: /Subnet GatewaySubnet has no network security group/,
    },
  ],
  preview: [['networkSecurityGroup', 'id']],
});

provePolicy({
  policy: subnetNsg,
  baseline: (): Draft => virtualNetwork(),
  toRecords: asResource(VNET),
  failing: [
    {
      rule: 'an inline subnet without an NSG',
      change: (d) => void delete d.subnets[0].networkSecurityGroup,
      message: /Subnet snet-user-nodes has no network security group/,
    },
  ],
  preview: [['subnets']],
});

provePolicy({
  policy: subnetNoDefaultOutbound,
  baseline: (): Draft => subnet(),
  toRecords: asResource(SUBNET),
  failing: [
    {
      rule: 'default outbound access enabled',
      change: (d) => {
        d.defaultOutboundAccess = true;
      },
      message: /Subnet snet-user-nodes has default outbound access/,
    },
    {
      rule: 'not declared (the default is enabled)',
      change: (d) => void delete d.defaultOutboundAccess,
      message: /does not declare defaultOutboundAccess/,
    },
  ],
  preview: [['defaultOutboundAccess']],
});

provePolicy({
  policy: subnetNoDefaultOutbound,
  baseline: (): Draft => virtualNetwork(),
  toRecords: asResource(VNET),
  failing: [
    {
      rule: 'an inline subnet with default outbound access',
      change: (d) => {
        d.subnets[0].defaultOutboundAccess = true;
      },
      message: /Subnet snet-user-nodes has default outbound access/,
    },
  ],
  preview: [['subnets', 0, 'defaultOutboundAccess']],
});

provePolicy({
  policy: aksPrivateClusterNoPublicFqdn,
  baseline: (): Draft => managedCluster(),
  toRecords: asResource(AZURE_TYPES.managedCluster),
  passing: [
    {
      name: 'a public cluster (restricted by authorized ranges, another policy)',
      change: (d) => {
        d.apiServerAccessProfile = { enablePrivateCluster: false, authorizedIPRanges: ['203.0.113.0/24'] };
      },
    },
  ],
  failing: [
    {
      rule: 'public FQDN enabled',
      change: (d) => {
        d.apiServerAccessProfile.enablePrivateClusterPublicFQDN = true;
      },
      message: /publishes a public FQDN/,
    },
    {
      rule: 'not declared (AKS publishes one by default)',
      change: (d) => void delete d.apiServerAccessProfile.enablePrivateClusterPublicFQDN,
      message: /does not declare enablePrivateClusterPublicFQDN/,
    },
  ],
  preview: [['apiServerAccessProfile', 'enablePrivateClusterPublicFQDN']],
});

provePolicy({
  policy: resourceAllowedLocations,
  baseline: (): Draft => managedCluster(),
  toRecords: asResource(AZURE_TYPES.managedCluster),
  passing: [
    {
      name: "a display name ('West Europe')",
      change: (d) => {
        d.location = 'West Europe';
      },
    },
    {
      name: "'global' (private DNS zones, alerts)",
      change: (d) => {
        d.location = 'Global';
      },
    },
    {
      name: 'another region, allowed by config',
      change: (d) => {
        d.location = 'eastus';
      },
      config: { allowedLocations: ['eastus'] },
    },
  ],
  failing: [
    {
      rule: 'a region outside the list',
      change: (d) => {
        d.location = 'eastus';
      },
      message: /The resource is in eastus, which is not an allowed location/,
    },
    {
      rule: 'the default region, removed from the list by config',
      change: () => {},
      config: { allowedLocations: ['swedencentral'] },
      message: /westeurope, which is not an allowed location \(swedencentral\)/,
    },
  ],
  preview: [['location']],
});

// The provider's default location is where a resource group (and so its resources) without a location goes.
provePolicy({
  policy: resourceAllowedLocations,
  baseline: (): Draft => ({ location: 'westeurope' }),
  toRecords: asResource('pulumi:providers:azure-native'),
  passing: [{ name: 'a provider with no default location', change: (d) => void delete d.location }],
  failing: [
    {
      rule: 'a provider whose default location is outside the list',
      change: (d) => {
        d.location = 'eastus';
      },
      message: /The azure-native provider places resources that name no location in eastus, which is not an allowed/,
    },
  ],
  preview: [['location']],
});

describe('location names', () => {
  it('compare without case or spaces', () => {
    expect(normalizeLocation('West Europe')).toBe(normalizeLocation('westeurope'));
  });
});
