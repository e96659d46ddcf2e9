import { AZURE_TYPES, isProduction, isType, type ProductionScopeConfig, productionScopeConfig } from '../lib/azure';
import { defineResourcePolicy } from '../lib/define';
import { asString, at, isUnknown } from '../lib/values';

export const aksProdStandardTier = defineResourcePolicy<ProductionScopeConfig>({
  name: 'azure-aks-prod-standard-tier',
  description:
    'Production AKS clusters use the Standard (or Premium) tier: an uptime SLA and a control plane that scales.',
  severity: 'medium',
  checklist: [],
  references: ['AKS baseline', 'AKS landing zone accelerator', 'Checkov CKV_AZURE_170'],
  remediationSteps: "Set `sku: { name: 'Base', tier: 'Standard' }` in the production profile.",
  config: productionScopeConfig,
  appliesTo: isType(AZURE_TYPES.managedCluster),
  validate: ({ urn, props }, config, report) => {
    const production = isProduction({ urn, props }, config);
    if (isUnknown(production) || !production) return;
    const tier = at(props, 'sku', 'tier');
    if (isUnknown(tier)) return;
    const value = asString(tier)?.toLowerCase();
    if (value !== 'standard' && value !== 'premium') {
      report(`A production AKS cluster is on the ${asString(tier) ?? 'Free'} tier: use sku.tier Standard.`);
    }
  },
});
