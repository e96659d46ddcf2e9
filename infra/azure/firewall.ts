import {
  AzureFirewall,
  FirewallPolicy,
  FirewallPolicyRuleCollectionGroup,
  PublicIPAddress,
} from '@pulumi/azure-native/network';
import * as pulumi from '@pulumi/pulumi';
import { type EgressRuleInputs, egressRuleCollections } from './firewall-rules';
import type { TagMap } from './tags';

export interface EgressFirewallArgs {
  resourceGroupName: pulumi.Input<string>;
  location: string;
  namePrefix: string;
  /** The `AzureFirewallSubnet` of the VNet. */
  subnetId: pulumi.Input<string>;
  availabilityZones: string[];
  rules: EgressRuleInputs;
  tags: TagMap;
}

/**
 * Azure Firewall Standard with a firewall policy: threat intelligence blocks known-bad destinations, DNS proxy on (so
 * FQDN network rules resolve like the nodes do), and only the rule collections of firewall-rules.ts allow anything.
 * Standard, not Premium: TLS inspection and IDPS would need a CA of our own in Key Vault and cost a third more; the
 * egress here is TLS to a short list of Microsoft and CA hosts.
 */
export class EgressFirewall extends pulumi.ComponentResource {
  readonly privateIp: pulumi.Output<string>;
  readonly firewallId: pulumi.Output<string>;

  constructor(name: string, args: EgressFirewallArgs, opts?: pulumi.ComponentResourceOptions) {
    super('secure-mcp:azure:EgressFirewall', name, {}, opts);
    const common = { resourceGroupName: args.resourceGroupName, location: args.location, tags: args.tags };
    const zones = args.availabilityZones.length > 0 ? { zones: args.availabilityZones } : {};

    const policy = new FirewallPolicy(
      `${name}-policy`,
      {
        ...common,
        firewallPolicyName: `afwp-${args.namePrefix}`,
        sku: { tier: 'Standard' },
        threatIntelMode: 'Deny',
        dnsSettings: { enableProxy: true },
      },
      { parent: this },
    );
    const rules = new FirewallPolicyRuleCollectionGroup(
      `${name}-rules`,
      {
        resourceGroupName: args.resourceGroupName,
        firewallPolicyName: policy.name,
        ruleCollectionGroupName: 'aks-egress',
        priority: 200,
        ruleCollections: egressRuleCollections(args.rules),
      },
      { parent: this },
    );
    const publicIp = new PublicIPAddress(
      `${name}-ip`,
      {
        ...common,
        publicIpAddressName: `pip-${args.namePrefix}-firewall`,
        sku: { name: 'Standard', tier: 'Regional' },
        publicIPAllocationMethod: 'Static',
        publicIPAddressVersion: 'IPv4',
        ...zones,
      },
      { parent: this },
    );
    const firewall = new AzureFirewall(
      `${name}-firewall`,
      {
        ...common,
        azureFirewallName: `afw-${args.namePrefix}`,
        sku: { name: 'AZFW_VNet', tier: 'Standard' },
        firewallPolicy: { id: policy.id },
        ipConfigurations: [{ name: 'egress', subnet: { id: args.subnetId }, publicIPAddress: { id: publicIp.id } }],
        ...zones,
      },
      // A policy's rule collection groups are written one at a time: the firewall follows them.
      { parent: this, dependsOn: [rules] },
    );
    this.firewallId = firewall.id;
    this.privateIp = firewall.ipConfigurations.apply((configs) => {
      const ip = configs?.[0]?.privateIPAddress;
      if (!ip) throw new Error('Azure Firewall returned no private IP (FIREWALL_NO_PRIVATE_IP)');
      return ip;
    });
    this.registerOutputs({ privateIp: this.privateIp });
  }
}
