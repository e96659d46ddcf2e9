import { AZURE_TYPES, isProduction, isType, type ProductionScopeConfig, productionScopeConfig } from '../lib/azure';
import { defineResourcePolicy } from '../lib/define';
import { at, isUnknown, sameText } from '../lib/values';

export const acrProdPublicAccessDisabled = defineResourcePolicy<ProductionScopeConfig>({
  name: 'azure-acr-prod-public-access-disabled',
  description: 'The production container registry is not reachable from the Internet.',
  severity: 'medium',
  checklist: ['net-private'],
  references: ['AKS baseline', 'Checkov CKV_AZURE_139'],
  remediationSteps:
    "Set `publicNetworkAccess: 'Disabled'` (Premium SKU, private endpoint) or `networkRuleSet.defaultAction: 'Deny'` in the production profile.",
  config: productionScopeConfig,
  appliesTo: isType(AZURE_TYPES.containerRegistry),
  validate: ({ urn, props }, config, report) => {
    const production = isProduction({ urn, props }, config);
    if (isUnknown(production) || !production) return;
    const publicAccess = props.publicNetworkAccess;
    const defaultAction = at(props, 'networkRuleSet', 'defaultAction');
    if (isUnknown(publicAccess) || isUnknown(defaultAction)) return;
    if (sameText(publicAccess, 'Disabled') || sameText(defaultAction, 'Deny')) return;
    report(
      "The production registry is public: set publicNetworkAccess 'Disabled' or networkRuleSet.defaultAction 'Deny'.",
    );
  },
});
