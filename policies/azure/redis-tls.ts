import { AZURE_TYPES, isType } from '../lib/azure';
import { defineResourcePolicy } from '../lib/define';
import { asString, isUnknown, sameText } from '../lib/values';

function tlsVersionBelow(version: string, minimum: string): boolean {
  return Number.parseFloat(version) < Number.parseFloat(minimum);
}

export const redisTls = defineResourcePolicy<{ minimumTlsVersion: string }>({
  name: 'azure-redis-tls-only',
  description: 'Azure Managed Redis accepts TLS only (encrypted client protocol), with TLS 1.2 or later.',
  severity: 'high',
  checklist: ['net-https', 'net-private'],
  references: ['Azure security benchmark', 'Checkov CKV_AZURE_148', 'Checkov CKV_AZURE_91'],
  remediationSteps:
    "Set `minimumTlsVersion: '1.2'` on the RedisEnterprise cluster and `clientProtocol: 'Encrypted'` on its databases.",
  config: {
    minimumTlsVersion: { type: 'string', description: 'The lowest TLS version allowed.', default: '1.2' },
  },
  appliesTo: isType(AZURE_TYPES.redisEnterprise, AZURE_TYPES.redisDatabase),
  validate: ({ type, props }, config, report) => {
    if (type === AZURE_TYPES.redisEnterprise) {
      const version = props.minimumTlsVersion;
      if (isUnknown(version)) return;
      const value = asString(version);
      if (value !== undefined && tlsVersionBelow(value, config.minimumTlsVersion)) {
        report(`Redis allows TLS ${value}: set minimumTlsVersion to ${config.minimumTlsVersion} or later.`);
      }
      return;
    }
    if (sameText(props.clientProtocol, 'Plaintext')) {
      report("The Redis database accepts plaintext connections: set clientProtocol to 'Encrypted'.");
    }
  },
});
