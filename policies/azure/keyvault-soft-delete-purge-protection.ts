import { AZURE_TYPES, isType } from '../lib/azure';
import { defineResourcePolicy } from '../lib/define';
import { asNumber, at, isUnknown } from '../lib/values';

export const keyVaultSoftDeletePurgeProtection = defineResourcePolicy<{ minimumRetentionDays: number }>({
  name: 'azure-keyvault-soft-delete-purge-protection',
  description: 'Key Vaults keep deleted secrets recoverable: soft delete and purge protection on.',
  severity: 'high',
  checklist: ['infra-secrets-store', 'data-retention'],
  references: ['Azure security benchmark', 'Checkov CKV_AZURE_42', 'Checkov CKV_AZURE_110'],
  remediationSteps:
    'Set `properties.enableSoftDelete: true`, `properties.enablePurgeProtection: true` and softDeleteRetentionInDays ≥ 7.',
  config: {
    minimumRetentionDays: {
      type: 'integer',
      minimum: 7,
      maximum: 90,
      description: 'Minimum soft-delete retention in days.',
      default: 7,
    },
  },
  appliesTo: isType(AZURE_TYPES.vault),
  validate: ({ props }, config, report) => {
    const softDelete = at(props, 'properties', 'enableSoftDelete');
    const purge = at(props, 'properties', 'enablePurgeProtection');
    const retention = at(props, 'properties', 'softDeleteRetentionInDays');
    if (softDelete === false) report('Key Vault soft delete is off: set properties.enableSoftDelete to true.');
    if (!isUnknown(purge) && purge !== true) {
      report('Key Vault purge protection is off: set properties.enablePurgeProtection to true.');
    }
    const days = asNumber(retention);
    if (days !== undefined && days < config.minimumRetentionDays) {
      report(`Key Vault soft-delete retention is ${days} days: keep at least ${config.minimumRetentionDays}.`);
    }
  },
});
