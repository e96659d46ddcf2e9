import { AZURE_TYPES, isProduction, isType, type ProductionScopeConfig, productionScopeConfig } from '../lib/azure';
import { defineResourcePolicy } from '../lib/define';
import { at, isUnknown, sameText } from '../lib/values';

export const postgresEntraAuth = defineResourcePolicy<ProductionScopeConfig>({
  name: 'azure-postgres-entra-auth',
  description: 'Postgres authenticates with Entra ID everywhere; password authentication is off in production.',
  severity: 'high',
  checklist: ['auth-rbac', 'infra-secrets-store'],
  references: ['Azure security benchmark', 'Checkov CKV_AZURE_132'],
  remediationSteps:
    "Set `authConfig: { activeDirectoryAuth: 'Enabled', passwordAuth: 'Disabled', tenantId }` (passwordAuth may stay on outside production).",
  config: productionScopeConfig,
  appliesTo: isType(AZURE_TYPES.postgresServer),
  validate: ({ urn, props }, config, report) => {
    const entra = at(props, 'authConfig', 'activeDirectoryAuth');
    if (!isUnknown(entra) && !sameText(entra, 'Enabled')) {
      report("Postgres does not accept Entra ID authentication: set authConfig.activeDirectoryAuth to 'Enabled'.");
    }
    const production = isProduction({ urn, props }, config);
    if (isUnknown(production) || !production) return;
    const password = at(props, 'authConfig', 'passwordAuth');
    if (!isUnknown(password) && !sameText(password, 'Disabled')) {
      report("A production Postgres server accepts passwords: set authConfig.passwordAuth to 'Disabled'.");
    }
  },
});
