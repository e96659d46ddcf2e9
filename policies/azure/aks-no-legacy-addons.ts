import { AZURE_TYPES, addonProfile, isType } from '../lib/azure';
import { defineResourcePolicy } from '../lib/define';
import { at } from '../lib/values';

const LEGACY_ADDONS = [
  { key: 'kubeDashboard', why: 'the Kubernetes dashboard exposes the cluster through a web UI' },
  { key: 'httpApplicationRouting', why: 'HTTP application routing is not for production (public DNS, no TLS)' },
] as const;

export const aksNoLegacyAddons = defineResourcePolicy({
  name: 'azure-aks-no-legacy-addons',
  description: 'The Kubernetes dashboard and HTTP application routing add-ons are off.',
  severity: 'medium',
  checklist: ['net-gateway', 'net-private'],
  references: ['AKS baseline', 'Checkov CKV_AZURE_8', 'Kubescape C-0014'],
  remediationSteps:
    'Remove `addonProfiles.kubeDashboard` and `addonProfiles.httpApplicationRouting`, or set enabled: false.',
  appliesTo: isType(AZURE_TYPES.managedCluster),
  validate: ({ props }, _config, report) => {
    for (const addon of LEGACY_ADDONS) {
      if (at(addonProfile(props, addon.key), 'enabled') === true) {
        report(`The ${addon.key} add-on is enabled: disable it (${addon.why}).`);
      }
    }
  },
});
