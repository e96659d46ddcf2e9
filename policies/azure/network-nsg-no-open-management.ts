import { AZURE_TYPES, isType } from '../lib/azure';
import { defineResourcePolicy } from '../lib/define';
import { asArray, asRecord, asString, isUnknown, type PropertyBag, sameText, stringList } from '../lib/values';

const ANY_SOURCE = new Set(['*', 'internet', '0.0.0.0/0', 'any', '::/0']);
const MANAGEMENT_PORTS = [22, 3389, 5432, 6379, 10000];

function portsCover(range: string, port: number): boolean {
  if (range === '*') return true;
  const [from, to] = range.split('-').map((part) => Number.parseInt(part, 10));
  if (from === undefined || Number.isNaN(from)) return false;
  return port >= from && port <= (to === undefined || Number.isNaN(to) ? from : to);
}

function openManagementPorts(rule: PropertyBag): number[] {
  if (!sameText(rule.direction, 'Inbound') || !sameText(rule.access, 'Allow')) return [];
  const sources = [asString(rule.sourceAddressPrefix), ...((stringList(rule.sourceAddressPrefixes) as string[]) ?? [])];
  if (!sources.some((source) => source !== undefined && ANY_SOURCE.has(source.toLowerCase()))) return [];
  const ranges = [asString(rule.destinationPortRange), ...((stringList(rule.destinationPortRanges) as string[]) ?? [])];
  return MANAGEMENT_PORTS.filter((port) => ranges.some((range) => range !== undefined && portsCover(range, port)));
}

export const nsgNoOpenManagement = defineResourcePolicy({
  name: 'azure-network-nsg-no-internet-management',
  description: 'Network security groups never allow SSH, RDP, Postgres, Redis from the Internet.',
  severity: 'critical',
  checklist: ['net-private'],
  references: ['Azure security benchmark', 'Checkov CKV_AZURE_9', 'Checkov CKV_AZURE_10'],
  remediationSteps: 'Restrict the rule to known source prefixes, or use Bastion / private endpoints instead.',
  appliesTo: isType(AZURE_TYPES.networkSecurityGroup, AZURE_TYPES.securityRule),
  validate: ({ type, props }, _config, report) => {
    const rules: unknown[] =
      type === AZURE_TYPES.securityRule
        ? [props]
        : isUnknown(props.securityRules)
          ? []
          : [...(asArray(props.securityRules) ?? [])];
    for (const item of rules) {
      const rule = asRecord(item);
      if (!rule) continue;
      const ports = openManagementPorts(rule);
      if (ports.length > 0) {
        report(
          `Security rule ${asString(rule.name) ?? ''} allows port(s) ${ports.join(', ')} from the Internet.`.replace(
            '  ',
            ' ',
          ),
        );
      }
    }
  },
});
