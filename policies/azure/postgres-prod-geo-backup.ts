import { AZURE_TYPES, isProduction, isType, type ProductionScopeConfig, productionScopeConfig } from '../lib/azure';
import { defineResourcePolicy } from '../lib/define';
import { asNumber, at, isUnknown, sameText } from '../lib/values';

export const postgresBackup = defineResourcePolicy<ProductionScopeConfig & { minimumRetentionDays: number }>({
  name: 'azure-postgres-backup',
  description: 'Postgres keeps backups long enough everywhere, and geo-redundant backups in production.',
  severity: 'high',
  checklist: ['data-retention', 'data-backup-encryption'],
  references: ['Azure security benchmark', 'Checkov CKV_AZURE_136'],
  remediationSteps:
    "Set `backup: { backupRetentionDays: ≥ 7, geoRedundantBackup: 'Enabled' }` (geo-redundancy in the production profile).",
  config: {
    ...productionScopeConfig,
    minimumRetentionDays: {
      type: 'integer',
      minimum: 7,
      maximum: 35,
      description: 'Minimum backup retention in days.',
      default: 7,
    },
  },
  appliesTo: isType(AZURE_TYPES.postgresServer),
  validate: ({ urn, props }, config, report) => {
    const days = asNumber(at(props, 'backup', 'backupRetentionDays'));
    if (days !== undefined && days < config.minimumRetentionDays) {
      report(`Postgres keeps backups ${days} days: keep at least ${config.minimumRetentionDays}.`);
    }
    const production = isProduction({ urn, props }, config);
    if (isUnknown(production) || !production) return;
    const geo = at(props, 'backup', 'geoRedundantBackup');
    if (!isUnknown(geo) && !sameText(geo, 'Enabled')) {
      report("A production Postgres server has no geo-redundant backup: set backup.geoRedundantBackup to 'Enabled'.");
    }
  },
});
