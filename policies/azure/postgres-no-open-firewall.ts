import { describeCount, maxPublicAddressesConfig, publicAddressCount, rangeSpec } from '../lib/address-ranges';
import { AZURE_TYPES, isType } from '../lib/azure';
import { defineResourcePolicy } from '../lib/define';
import { asString, isUnknown } from '../lib/values';

export const postgresNoOpenFirewall = defineResourcePolicy<{ maxPublicAddresses: number }>({
  name: 'azure-postgres-no-open-firewall',
  description:
    "Postgres firewall rules neither use 0.0.0.0 ('all Azure services' of any tenant) nor admit more than a few public addresses (counted by address arithmetic).",
  severity: 'critical',
  checklist: ['net-private'],
  references: ['Azure security benchmark', 'Checkov CKV_AZURE_11'],
  remediationSteps: 'Remove the firewall rule; reach the server through its delegated subnet (private access).',
  config: { maxPublicAddresses: maxPublicAddressesConfig() },
  appliesTo: isType(AZURE_TYPES.postgresFirewallRule),
  validate: ({ props }, config, report) => {
    if (isUnknown(props.startIpAddress) || isUnknown(props.endIpAddress)) return;
    const start = asString(props.startIpAddress)?.trim();
    const end = asString(props.endIpAddress)?.trim();
    if (start === '0.0.0.0' && end === '0.0.0.0') {
      report('The Postgres firewall rule 0.0.0.0 admits every Azure service of every tenant: remove it.');
      return;
    }
    if (start === undefined || end === undefined) return;
    const admitted = publicAddressCount([rangeSpec(start, end)]);
    if (admitted > BigInt(config.maxPublicAddresses)) {
      report(
        `The Postgres firewall rule ${start}-${end} opens the server to ${describeCount(admitted)}: remove it (at most ${config.maxPublicAddresses} allowed).`,
      );
    }
  },
});
