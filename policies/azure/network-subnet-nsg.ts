import { isType } from '../lib/azure';
import { defineResourcePolicy, stringListConfig } from '../lib/define';
import { asArray, asRecord, asString, at, isUnknown, type PropertyBag } from '../lib/values';

export const SUBNET_TYPE = 'azure-native:network:Subnet';
export const VIRTUAL_NETWORK_TYPE = 'azure-native:network:VirtualNetwork';

/** The subnets a resource declares: a standalone Subnet, or the inline subnets of a VirtualNetwork. */
export function subnetsOf(type: string, props: PropertyBag): Array<{ name: string; subnet: PropertyBag }> {
  if (type === SUBNET_TYPE)
    return [{ name: asString(props.subnetName) ?? asString(props.name) ?? '(subnet)', subnet: props }];
  return (asArray(props.subnets) ?? []).flatMap((item, index) => {
    const subnet = asRecord(item);
    if (!subnet) return [];
    // Inline subnets carry their settings under `properties` in ARM shape, or flat in azure-native's input shape.
    const flat = { ...(asRecord(subnet.properties) ?? {}), ...subnet };
    return [{ name: asString(subnet.name) ?? `#${index}`, subnet: flat }];
  });
}

export const subnetNsg = defineResourcePolicy<{ exemptSubnetNames: string[] }>({
  name: 'azure-network-subnet-nsg',
  description:
    'Every subnet has a network security group, so no subnet is reachable from the whole virtual network (and peered networks) by default.',
  severity: 'high',
  checklist: ['net-private'],
  references: ['Azure security benchmark NS-1', 'Checkov CKV2_AZURE_31', 'AKS baseline'],
  remediationSteps:
    'Set `networkSecurityGroup: { id: nsg.id }` on the subnet, with a deny-by-default inbound rule set; only subnets Azure forbids an NSG on are exempt (config exemptSubnetNames).',
  config: {
    exemptSubnetNames: stringListConfig('Subnets that Azure does not allow an NSG on (by exact name).', [
      'AzureFirewallSubnet',
      'AzureFirewallManagementSubnet',
      'GatewaySubnet',
      'RouteServerSubnet',
    ]),
  },
  appliesTo: isType(SUBNET_TYPE, VIRTUAL_NETWORK_TYPE),
  validate: ({ type, props }, config, report) => {
    if (type === VIRTUAL_NETWORK_TYPE && isUnknown(props.subnets)) return;
    for (const { name, subnet } of subnetsOf(type, props)) {
      if (config.exemptSubnetNames.includes(name)) continue;
      const nsg = subnet.networkSecurityGroup;
      if (isUnknown(nsg) || isUnknown(at(nsg, 'id'))) continue;
      if (!asString(at(nsg, 'id'))) report(`Subnet ${name} has no network security group: attach one.`);
    }
  },
});
