import { AZURE_TYPES, addonProfile, isType } from '../lib/azure';
import { defineResourcePolicy } from '../lib/define';
import { asBoolean, at, isUnknown } from '../lib/values';

export const aksKeyVaultSecretsProvider = defineResourcePolicy({
  name: 'azure-aks-keyvault-secrets-provider',
  description: 'AKS runs the Key Vault secrets provider (Secrets Store CSI) with secret rotation.',
  severity: 'high',
  checklist: ['infra-secrets-store'],
  references: ['AKS baseline', 'AKS landing zone accelerator', 'Checkov CKV_AZURE_172'],
  remediationSteps:
    "Set `addonProfiles.azureKeyvaultSecretsProvider: { enabled: true, config: { enableSecretRotation: 'true' } }`.",
  appliesTo: isType(AZURE_TYPES.managedCluster),
  validate: ({ props }, _config, report) => {
    const addon = addonProfile(props, 'azureKeyvaultSecretsProvider');
    if (isUnknown(addon)) return;
    const enabled = at(addon, 'enabled');
    if (isUnknown(enabled)) return;
    if (enabled !== true) {
      report('The Key Vault secrets provider add-on is off: enable addonProfiles.azureKeyvaultSecretsProvider.');
      return;
    }
    const rotation = at(addon, 'config', 'enableSecretRotation');
    if (!isUnknown(rotation) && asBoolean(rotation) !== true) {
      report("Secret rotation is off in the Key Vault secrets provider: set config.enableSecretRotation to 'true'.");
    }
  },
});
