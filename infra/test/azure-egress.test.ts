import { beforeAll, describe, expect, it } from 'vitest';
import { type EnvironmentName, PROFILES } from '../../stacks';
import { ADDON_FQDNS, AKS_FQDN_TAG } from '../azure/firewall-rules';
import { DEFAULT_CLIENT_METADATA_HOSTS } from '../config';
import { type ProgramRun, type RegisteredResource, resourcesOfType, runProgramUnderMocks } from './harness';
import { MOCK_FIREWALL_PRIVATE_IP } from './mock-cloud';
import { runAllProfiles } from './program-runs';

// biome-ignore lint/suspicious/noExplicitAny: assertions walk loosely typed ARM inputs
type Loose = any;
const inputs = (r: RegisteredResource): Loose => r.inputs;
const T = {
  cluster: 'azure-native:containerservice:ManagedCluster',
  subnet: 'azure-native:network:Subnet',
  nat: 'azure-native:network:NatGateway',
  firewall: 'azure-native:network:AzureFirewall',
  firewallPolicy: 'azure-native:network:FirewallPolicy',
  rules: 'azure-native:network:FirewallPolicyRuleCollectionGroup',
  routeTable: 'azure-native:network:RouteTable',
};
const environments: EnvironmentName[] = ['dev', 'staging', 'prod'];
let runs: Record<EnvironmentName, ProgramRun>;
beforeAll(async () => {
  runs = await runAllProfiles();
}, 240_000);

const subnet = (run: ProgramRun, name: string) =>
  inputs(resourcesOfType(run, T.subnet).find((s) => inputs(s).subnetName === name) as RegisteredResource);
const nodeNat = (run: ProgramRun) => resourcesOfType(run, T.nat).find((n) => n.name === 'network-egress-nat');

describe('egress: never through the load balancer', () => {
  it.each(environments)('has a NAT gateway and an outbound type that is not the load balancer (%s)', (env) => {
    const run = runs[env];
    const cluster = inputs(resourcesOfType(run, T.cluster)[0] as RegisteredResource);
    const nat = nodeNat(run);
    expect(nat).toBeDefined();
    const firewall = PROFILES[env].edge.egressFirewall;
    expect(cluster.networkProfile.outboundType).toBe(firewall ? 'userDefinedRouting' : 'userAssignedNATGateway');
    for (const name of ['snet-system-nodes', 'snet-user-nodes']) {
      const nodes = subnet(run, name);
      if (firewall) {
        // Nodes route to the firewall; the NAT gateway serves the firewall's subnet.
        expect(nodes.natGateway).toBeUndefined();
        expect(nodes.routeTable.id).toBe(resourcesOfType(run, T.routeTable)[0]?.id);
      } else {
        expect(nodes.natGateway.id).toBe(nat?.id);
        expect(nodes.routeTable).toBeUndefined();
      }
      expect(nodes.defaultOutboundAccess).toBe(false);
    }
    if (firewall) expect(subnet(run, 'AzureFirewallSubnet').natGateway.id).toBe(nat?.id);
  });

  it('has no firewall where the profile does not ask for one (dev, staging)', () => {
    for (const env of ['dev', 'staging'] as const) {
      expect(resourcesOfType(runs[env], T.firewall)).toEqual([]);
      expect(resourcesOfType(runs[env], T.routeTable)).toEqual([]);
    }
  });
});

describe('egress in prod: Azure Firewall', () => {
  it('routes 0.0.0.0/0 of the node subnets to the firewall private IP, with no BGP bypass', () => {
    const table = inputs(resourcesOfType(runs.prod, T.routeTable)[0] as RegisteredResource);
    expect(table.routes).toEqual([
      expect.objectContaining({
        addressPrefix: '0.0.0.0/0',
        nextHopType: 'VirtualAppliance',
        nextHopIpAddress: MOCK_FIREWALL_PRIVATE_IP,
      }),
    ]);
    expect(table.disableBgpRoutePropagation).toBe(true);
  });

  it('is a zone-redundant Standard firewall in AzureFirewallSubnet, with threat intelligence blocking', () => {
    const firewall = inputs(resourcesOfType(runs.prod, T.firewall)[0] as RegisteredResource);
    expect(firewall.sku).toEqual({ name: 'AZFW_VNet', tier: 'Standard' });
    expect(firewall.zones).toEqual(['1', '2', '3']);
    const firewallSubnet = resourcesOfType(runs.prod, T.subnet).find(
      (s) => inputs(s).subnetName === 'AzureFirewallSubnet',
    );
    expect(firewall.ipConfigurations[0].subnet.id).toBe(firewallSubnet?.id);
    const policy = inputs(resourcesOfType(runs.prod, T.firewallPolicy)[0] as RegisteredResource);
    expect(policy.threatIntelMode).toBe('Deny');
    expect(policy.dnsSettings.enableProxy).toBe(true);
  });

  it('allows the AKS FQDN tag, the add-ons, the ACME CA and the HTTP-01 self-check, from the node subnets only', () => {
    const group = inputs(resourcesOfType(runs.prod, T.rules)[0] as RegisteredResource);
    const rules: Loose[] = group.ruleCollections.flatMap((c: Loose) => c.rules);
    const byName = (name: string) => rules.find((r) => r.name === name);
    expect(byName('aks').fqdnTags).toEqual([AKS_FQDN_TAG]);
    expect(byName('addons').targetFqdns).toEqual(expect.arrayContaining(['login.microsoftonline.com', ...ADDON_FQDNS]));
    // The public host on HTTPS too: the MCP server discovers the keys of the authorization server beside it there.
    expect(byName('workload-https').targetFqdns).toEqual(['acme-v02.api.letsencrypt.org', 'mcp.prod.example.com']);
    expect(byName('client-metadata-documents').targetFqdns).toEqual([...DEFAULT_CLIENT_METADATA_HOSTS]);
    expect(byName('client-metadata-documents').protocols).toEqual([{ protocolType: 'Https', port: 443 }]);
    expect(byName('acme-self-check').targetFqdns).toEqual(['mcp.prod.example.com']);
    expect(byName('acme-self-check').protocols).toEqual([{ protocolType: 'Http', port: 80 }]);
    const nodes = [PROFILES.prod.network.subnets.systemNodes, PROFILES.prod.network.subnets.userNodes];
    for (const rule of rules) expect(rule.sourceAddresses).toEqual(nodes);
    // Nothing is allowed to every destination on a web port: only NTP goes to '*'.
    const wildcard = rules.filter((r) => r.destinationAddresses?.includes('*') || r.targetFqdns?.includes('*'));
    expect(wildcard.map((r) => r.name)).toEqual(['ntp']);
  });

  it("adds an external issuer's and its JWKS host to the allowed HTTPS names", async () => {
    const run = await runProgramUnderMocks({
      stack: 'prod',
      config: {
        authorizationServer: 'external',
        oauthIssuerUrl: 'https://issuer.example.org/',
        oauthAudience: 'https://mcp.prod.example.com/mcp',
        oauthJwksUrl: 'https://keys.example.org/jwks.json',
      },
    });
    const group = inputs(resourcesOfType(run, T.rules)[0] as RegisteredResource);
    const rule = group.ruleCollections.flatMap((c: Loose) => c.rules).find((r: Loose) => r.name === 'workload-https');
    expect(rule.targetFqdns).toEqual(['acme-v02.api.letsencrypt.org', 'issuer.example.org', 'keys.example.org']);
    // No authorization server of ours beside an external issuer: no metadata documents to fetch.
    const names = group.ruleCollections.flatMap((c: Loose) => c.rules).map((r: Loose) => r.name);
    expect(names).not.toContain('client-metadata-documents');
  }, 120_000);
});
