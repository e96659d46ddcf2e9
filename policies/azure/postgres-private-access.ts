import { AZURE_TYPES, isType } from '../lib/azure';
import { defineResourcePolicy } from '../lib/define';
import { at, isUnknown, sameText } from '../lib/values';

export const postgresPrivateAccess = defineResourcePolicy({
  name: 'azure-postgres-private-access',
  description:
    'Postgres Flexible Server uses private access: a delegated subnet and a private DNS zone, no public endpoint.',
  severity: 'critical',
  checklist: ['net-private'],
  references: ['Azure security benchmark', 'Checkov CKV_AZURE_68'],
  remediationSteps:
    "Set `network: { delegatedSubnetResourceId, privateDnsZoneArmResourceId, publicNetworkAccess: 'Disabled' }`.",
  appliesTo: isType(AZURE_TYPES.postgresServer),
  validate: ({ props }, _config, report) => {
    const publicAccess = at(props, 'network', 'publicNetworkAccess');
    const subnet = at(props, 'network', 'delegatedSubnetResourceId');
    const zone = at(props, 'network', 'privateDnsZoneArmResourceId');
    if (sameText(publicAccess, 'Enabled')) {
      report("Postgres has a public endpoint: set network.publicNetworkAccess to 'Disabled'.");
    }
    if (!isUnknown(subnet) && !subnet) {
      report('Postgres is not in a delegated subnet: set network.delegatedSubnetResourceId (private access).');
    }
    if (!isUnknown(zone) && !zone) {
      report('Postgres has no private DNS zone: set network.privateDnsZoneArmResourceId.');
    }
  },
});
