import { AZURE_TYPES, isProduction, isType, type ProductionScopeConfig, productionScopeConfig } from '../lib/azure';
import { defineResourcePolicy } from '../lib/define';
import { at, isUnknown, sameText } from '../lib/values';

export const postgresProdZoneHa = defineResourcePolicy<ProductionScopeConfig>({
  name: 'azure-postgres-prod-zone-ha',
  description: 'Production Postgres runs zone-redundant high availability.',
  severity: 'medium',
  checklist: [],
  references: ['Azure well-architected (reliability)', 'Checkov CKV_AZURE_136'],
  remediationSteps: "Set `highAvailability: { mode: 'ZoneRedundant' }` in the production profile.",
  config: productionScopeConfig,
  appliesTo: isType(AZURE_TYPES.postgresServer),
  validate: ({ urn, props }, config, report) => {
    const production = isProduction({ urn, props }, config);
    if (isUnknown(production) || !production) return;
    const mode = at(props, 'highAvailability', 'mode');
    if (!isUnknown(mode) && !sameText(mode, 'ZoneRedundant')) {
      report("A production Postgres server is not zone-redundant: set highAvailability.mode to 'ZoneRedundant'.");
    }
  },
});
