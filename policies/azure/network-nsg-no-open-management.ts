import { describeCount, maxPublicAddressesConfig, portsOpenedBy, publicAddressCount } from '../lib/address-ranges';
import { AZURE_TYPES, isType } from '../lib/azure';
import { defineResourcePolicy } from '../lib/define';
import { asArray, asRecord, asString, containsUnknown, isUnknown, type PropertyBag, sameText } from '../lib/values';

/**
 * Management and data ports never to be reachable from the Internet: SSH, Telnet, RDP, WinRM, Docker, etcd, the
 * Kubernetes API and kubelet, SQL Server, MySQL, Postgres, Redis (plain, TLS, Azure Cache Enterprise), MongoDB.
 */
const SENSITIVE_PORTS = [
  22, 23, 3389, 5985, 5986, 2375, 2376, 2379, 2380, 6443, 10250, 10255, 1433, 3306, 5432, 6379, 6380, 10000, 27017,
];

interface NsgConfig {
  sensitivePorts: number[];
  maxPublicAddresses: number;
}

function textsOf(single: unknown, list: unknown): string[] {
  const listed = (asArray(list) ?? []).filter((item): item is string => typeof item === 'string');
  const one = asString(single);
  return one === undefined ? listed : [one, ...listed];
}

/** An inbound Allow rule that carries ports, as this policy reads it; undefined for anything else. */
interface InboundAllow {
  name: string;
  sources: string[];
  ports: number[];
}

function inboundAllow(rule: PropertyBag, config: NsgConfig): InboundAllow | undefined {
  if (containsUnknown(rule)) return undefined;
  if (!sameText(rule.direction, 'Inbound') || !sameText(rule.access, 'Allow')) return undefined;
  if (sameText(rule.protocol, 'Icmp')) return undefined;
  return {
    name: asString(rule.name) ?? asString(rule.securityRuleName) ?? '',
    sources: textsOf(rule.sourceAddressPrefix, rule.sourceAddressPrefixes),
    ports: portsOpenedBy(textsOf(rule.destinationPortRange, rule.destinationPortRanges), config.sensitivePorts),
  };
}

export const nsgNoOpenManagement = defineResourcePolicy<NsgConfig>({
  name: 'azure-network-nsg-no-internet-management',
  description:
    'Network security groups never open a management or data port (SSH, RDP, Kubernetes API, kubelet, Postgres, Redis ...) to more than a few public addresses, whatever the port range or address form.',
  severity: 'critical',
  checklist: ['net-private'],
  references: ['Azure security benchmark', 'Checkov CKV_AZURE_9', 'Checkov CKV_AZURE_10'],
  remediationSteps: 'Restrict the rule to known source prefixes, or use Bastion / private endpoints instead.',
  config: {
    sensitivePorts: {
      type: 'array',
      items: { type: 'integer', minimum: 0, maximum: 65535 },
      description: 'The ports no rule may open to the Internet.',
      default: SENSITIVE_PORTS,
    },
    maxPublicAddresses: maxPublicAddressesConfig(),
  },
  appliesTo: isType(AZURE_TYPES.networkSecurityGroup, AZURE_TYPES.securityRule),
  validate: ({ type, props }, config, report) => {
    const rules: unknown[] =
      type === AZURE_TYPES.securityRule
        ? [props]
        : isUnknown(props.securityRules)
          ? []
          : [...(asArray(props.securityRules) ?? [])];
    const allows = rules.flatMap((item) => {
      const rule = asRecord(item);
      const allow = rule ? inboundAllow(rule, config) : undefined;
      return allow && allow.ports.length > 0 ? [allow] : [];
    });
    const max = BigInt(config.maxPublicAddresses);
    const reportedPorts = new Set<number>();
    for (const allow of allows) {
      const admitted = publicAddressCount(allow.sources);
      if (admitted <= max) continue;
      allow.ports.forEach((port) => void reportedPorts.add(port));
      report(
        `Security rule ${allow.name ? `${allow.name} ` : ''}allows port(s) ${allow.ports.join(', ')} from the Internet (${describeCount(admitted)}).`,
      );
    }
    // Rules that each stay under the limit may add up beyond it (0.0.0.0/1 in one rule, 128.0.0.0/1 in another).
    for (const port of config.sensitivePorts) {
      if (reportedPorts.has(port)) continue;
      const opening = allows.filter((allow) => allow.ports.includes(port) && publicAddressCount(allow.sources) > 0n);
      if (opening.length < 2) continue;
      const admitted = publicAddressCount(opening.flatMap((allow) => allow.sources));
      if (admitted > max) {
        report(
          `Security rules ${opening.map((allow) => allow.name || '(unnamed)').join(', ')} together allow port ${port} from the Internet (${describeCount(admitted)}).`,
        );
      }
    }
  },
});
