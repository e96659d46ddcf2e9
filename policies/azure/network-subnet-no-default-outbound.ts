import { isType } from '../lib/azure';
import { defineResourcePolicy } from '../lib/define';
import { asBoolean, isUnknown } from '../lib/values';
import { SUBNET_TYPE, subnetsOf, VIRTUAL_NETWORK_TYPE } from './network-subnet-nsg';

export const subnetNoDefaultOutbound = defineResourcePolicy({
  name: 'azure-network-subnet-no-default-outbound',
  description:
    'Every subnet disables default outbound access: no VM gets an implicit, unmanaged public IP for egress; egress leaves through the NAT gateway or the firewall only.',
  severity: 'medium',
  checklist: ['net-private'],
  references: ['Azure default outbound access retirement (private subnets)', 'Azure security benchmark NS-1'],
  remediationSteps:
    'Set `defaultOutboundAccess: false` on the subnet and give it an explicit egress (NAT gateway or route to a firewall).',
  appliesTo: isType(SUBNET_TYPE, VIRTUAL_NETWORK_TYPE),
  validate: ({ type, props }, _config, report) => {
    if (type === VIRTUAL_NETWORK_TYPE && isUnknown(props.subnets)) return;
    for (const { name, subnet } of subnetsOf(type, props)) {
      const value = subnet.defaultOutboundAccess;
      if (isUnknown(value)) continue;
      if (asBoolean(value) !== false) {
        report(
          value === undefined
            ? `Subnet ${name} does not declare defaultOutboundAccess, so it has default outbound access: set it to false.`
            : `Subnet ${name} has default outbound access: set defaultOutboundAccess to false.`,
        );
      }
    }
  },
});
