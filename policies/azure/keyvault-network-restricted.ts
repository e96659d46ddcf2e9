import { describeCount, maxPublicAddressesConfig, publicAddressCount } from '../lib/address-ranges';
import { AZURE_TYPES, isType } from '../lib/azure';
import { defineResourcePolicy } from '../lib/define';
import { asArray, asRecord, asString, at, isUnknown, sameText } from '../lib/values';

export const keyVaultNetworkRestricted = defineResourcePolicy<{ maxPublicAddresses: number }>({
  name: 'azure-keyvault-network-restricted',
  description:
    'Key Vaults are not open to the Internet: public network access disabled, or network ACLs deny by default and their ipRules admit no more than a few public addresses.',
  severity: 'high',
  checklist: ['net-private', 'infra-secrets-store'],
  references: ['AKS baseline', 'Azure security benchmark', 'Checkov CKV_AZURE_109', 'Checkov CKV_AZURE_189'],
  remediationSteps:
    "Set `properties.publicNetworkAccess: 'Disabled'` and use the private endpoint, or `properties.networkAcls.defaultAction: 'Deny'` with ipRules naming only the deployer's addresses.",
  config: { maxPublicAddresses: maxPublicAddressesConfig() },
  appliesTo: isType(AZURE_TYPES.vault),
  validate: ({ props }, config, report) => {
    const publicAccess = at(props, 'properties', 'publicNetworkAccess');
    const defaultAction = at(props, 'properties', 'networkAcls', 'defaultAction');
    if (isUnknown(publicAccess) || isUnknown(defaultAction)) return;
    if (sameText(publicAccess, 'Disabled')) return;
    if (!sameText(defaultAction, 'Deny')) {
      report(
        "The Key Vault accepts traffic from any network: set publicNetworkAccess 'Disabled' or networkAcls.defaultAction 'Deny'.",
      );
      return;
    }
    const ipRules = at(props, 'properties', 'networkAcls', 'ipRules');
    if (isUnknown(ipRules)) return;
    const values = (asArray(ipRules) ?? []).flatMap((rule) => {
      const value = asString(asRecord(rule)?.value);
      return value === undefined ? [] : [value];
    });
    const admitted = publicAddressCount(values);
    if (admitted > BigInt(config.maxPublicAddresses)) {
      report(
        `The Key Vault's ipRules admit ${describeCount(admitted)} (${values.join(', ')}) despite defaultAction 'Deny'; at most ${config.maxPublicAddresses} allowed.`,
      );
    }
  },
});
