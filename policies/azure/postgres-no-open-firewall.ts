import { AZURE_TYPES, isType } from '../lib/azure';
import { defineResourcePolicy } from '../lib/define';
import { asString } from '../lib/values';

export const postgresNoOpenFirewall = defineResourcePolicy({
  name: 'azure-postgres-no-open-firewall',
  description:
    "Postgres firewall rules never start at 0.0.0.0 (which means 'all Azure services', any tenant's, or the whole Internet).",
  severity: 'critical',
  checklist: ['net-private'],
  references: ['Azure security benchmark', 'Checkov CKV_AZURE_11'],
  remediationSteps: 'Remove the firewall rule; reach the server through its delegated subnet (private access).',
  appliesTo: isType(AZURE_TYPES.postgresFirewallRule),
  validate: ({ props }, _config, report) => {
    const start = asString(props.startIpAddress);
    const end = asString(props.endIpAddress);
    if (start === '0.0.0.0') {
      report(
        end === '0.0.0.0'
          ? 'The Postgres firewall rule 0.0.0.0 admits every Azure service of every tenant: remove it.'
          : `The Postgres firewall rule 0.0.0.0-${end ?? '?'} opens the server to the Internet: remove it.`,
      );
    }
  },
});
