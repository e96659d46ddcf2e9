import { aksApiAccessRestricted } from '../../azure/aks-api-access-restricted';
import { aksAutoUpgrade } from '../../azure/aks-auto-upgrade';
import { aksAzureCni } from '../../azure/aks-azure-cni';
import { aksAzurePolicyAddon } from '../../azure/aks-azure-policy-addon';
import { aksDefender } from '../../azure/aks-defender';
import { aksEncryptionAtHost } from '../../azure/aks-encryption-at-host';
import { aksEntraAzureRbac } from '../../azure/aks-entra-azure-rbac';
import { aksImageCleaner } from '../../azure/aks-image-cleaner';
import { aksKeyVaultSecretsProvider } from '../../azure/aks-keyvault-secrets-provider';
import { aksLocalAccountsDisabled } from '../../azure/aks-local-accounts-disabled';
import { aksMonitoring } from '../../azure/aks-monitoring';
import { aksNetworkPolicy } from '../../azure/aks-network-policy';
import { aksNoLegacyAddons } from '../../azure/aks-no-legacy-addons';
import { aksNoNodePublicIp } from '../../azure/aks-no-node-public-ip';
import { aksProdStandardTier } from '../../azure/aks-prod-standard-tier';
import { aksProdSystemPoolTainted } from '../../azure/aks-prod-system-pool-tainted';
import { aksRbacEnabled } from '../../azure/aks-rbac-enabled';
import { aksRunCommandDisabled } from '../../azure/aks-run-command-disabled';
import { aksWorkloadIdentity } from '../../azure/aks-workload-identity';
import { AZURE_TYPES, agentPool, managedCluster } from '../fixtures/azure-baseline';
import { asResource, provePolicy } from '../helpers/policy-harness';

// biome-ignore lint/suspicious/noExplicitAny: test drafts mutate deeply nested resource inputs by path.
type Props = Record<string, any>;
const cluster = () => managedCluster() as Props;
const asCluster = asResource(AZURE_TYPES.managedCluster);
const outsideProduction = (draft: Props) => {
  draft.tags.environment = 'dev';
};

provePolicy({
  policy: aksLocalAccountsDisabled,
  baseline: cluster,
  toRecords: asCluster,
  failing: [
    {
      rule: 'local accounts on',
      change: (d) => {
        d.disableLocalAccounts = false;
      },
      message: /local accounts are enabled/,
    },
    { rule: 'left at the default', change: (d) => void delete d.disableLocalAccounts, message: /disableLocalAccounts/ },
  ],
  preview: [['disableLocalAccounts']],
});

provePolicy({
  policy: aksEntraAzureRbac,
  baseline: cluster,
  toRecords: asCluster,
  failing: [
    {
      rule: 'no managed Entra integration',
      change: (d) => {
        d.aadProfile.managed = false;
      },
      message: /not integrated with Entra ID/,
    },
    {
      rule: 'Kubernetes RBAC instead of Azure RBAC',
      change: (d) => void delete d.aadProfile.enableAzureRBAC,
      message: /Azure RBAC/,
    },
    { rule: 'no aadProfile', change: (d) => void delete d.aadProfile, message: /Entra ID/ },
  ],
  preview: [['aadProfile']],
});

provePolicy({
  policy: aksRbacEnabled,
  baseline: cluster,
  toRecords: asCluster,
  failing: [
    {
      rule: 'RBAC off',
      change: (d) => {
        d.enableRBAC = false;
      },
      message: /RBAC is disabled/,
    },
  ],
  preview: [['enableRBAC']],
});

provePolicy({
  policy: aksNetworkPolicy,
  baseline: cluster,
  toRecords: asCluster,
  failing: [
    {
      rule: 'no engine',
      change: (d) => void delete d.networkProfile.networkPolicy,
      message: /no network policy engine .*unset/,
    },
    {
      rule: "engine 'none'",
      change: (d) => {
        d.networkProfile.networkPolicy = 'none';
      },
      message: /is none/,
    },
    {
      rule: 'engine outside the configured list',
      change: () => {},
      config: { allowedEngines: ['azure'] },
      message: /cilium.*use one of azure/,
    },
  ],
  preview: [['networkProfile', 'networkPolicy']],
});

provePolicy({
  policy: aksAzureCni,
  baseline: cluster,
  toRecords: asCluster,
  failing: [
    {
      rule: 'kubenet',
      change: (d) => {
        d.networkProfile.networkPlugin = 'kubenet';
      },
      message: /kubenet: use Azure CNI/,
    },
  ],
  preview: [['networkProfile']],
});

provePolicy({
  policy: aksApiAccessRestricted,
  baseline: cluster,
  toRecords: asCluster,
  passing: [
    {
      name: 'public API limited to authorized ranges',
      change: (d) => {
        d.apiServerAccessProfile = { authorizedIPRanges: ['203.0.113.10/32'], disableRunCommand: true };
      },
    },
    {
      name: 'private address space and one admin /24 count as few public addresses',
      change: (d) => {
        d.apiServerAccessProfile = { authorizedIPRanges: ['10.0.0.0/8', '192.168.0.0/16', '203.0.113.0/24'] };
      },
    },
  ],
  failing: [
    {
      rule: 'public API, no ranges',
      change: (d) => {
        d.apiServerAccessProfile = {};
      },
      message: /public to the whole Internet/,
    },
    {
      rule: 'ranges open to everyone',
      change: (d) => {
        d.apiServerAccessProfile = { authorizedIPRanges: ['0.0.0.0/0'] };
      },
      message: /opens the AKS API server to 3,702,390,784 public addresses \(the Internet\) \(0\.0\.0\.0\/0\)/,
    },
    {
      rule: 'two halves that add up to the whole Internet',
      change: (d) => {
        d.apiServerAccessProfile = { authorizedIPRanges: ['0.0.0.0/1', '128.0.0.0/1'] };
      },
      message: /the Internet\) \(0\.0\.0\.0\/1, 128\.0\.0\.0\/1\)/,
    },
    {
      rule: 'a /16 of public addresses, beyond the default of 256',
      change: (d) => {
        d.apiServerAccessProfile = { authorizedIPRanges: ['10.0.0.0/8', '198.51.0.0/16'] };
      },
      message: /65,536 public addresses .*at most 256 allowed/,
    },
    {
      rule: 'a /24 when config allows only 16 addresses',
      change: (d) => {
        d.apiServerAccessProfile = { authorizedIPRanges: ['203.0.113.0/24'] };
      },
      config: { maxPublicAddresses: 16 },
      message: /256 public addresses/,
    },
  ],
  preview: [['apiServerAccessProfile', 'enablePrivateCluster']],
});

provePolicy({
  policy: aksRunCommandDisabled,
  baseline: cluster,
  toRecords: asCluster,
  failing: [
    {
      rule: 'run command on',
      change: (d) => {
        d.apiServerAccessProfile.disableRunCommand = false;
      },
      message: /run command is enabled/,
    },
  ],
  preview: [['apiServerAccessProfile', 'disableRunCommand']],
});

provePolicy({
  policy: aksWorkloadIdentity,
  baseline: cluster,
  toRecords: asCluster,
  failing: [
    {
      rule: 'OIDC issuer off',
      change: (d) => {
        d.oidcIssuerProfile.enabled = false;
      },
      message: /OIDC issuer is off/,
    },
    {
      rule: 'workload identity off',
      change: (d) => void delete d.securityProfile.workloadIdentity,
      message: /workload identity is off/,
    },
    {
      rule: 'pod identity on',
      change: (d) => {
        d.podIdentityProfile = { enabled: true };
      },
      message: /pod-managed identity/,
    },
  ],
  preview: [['oidcIssuerProfile'], ['securityProfile']],
});

provePolicy({
  policy: aksKeyVaultSecretsProvider,
  baseline: cluster,
  toRecords: asCluster,
  failing: [
    {
      rule: 'add-on off',
      change: (d) => {
        d.addonProfiles.azureKeyvaultSecretsProvider.enabled = false;
      },
      message: /secrets provider add-on is off/,
    },
    {
      rule: 'rotation off',
      change: (d) => {
        d.addonProfiles.azureKeyvaultSecretsProvider.config.enableSecretRotation = 'false';
      },
      message: /Secret rotation is off/,
    },
  ],
  preview: [['addonProfiles']],
});

provePolicy({
  policy: aksAzurePolicyAddon,
  baseline: cluster,
  toRecords: asCluster,
  failing: [
    {
      rule: 'add-on missing',
      change: (d) => void delete d.addonProfiles.azurepolicy,
      message: /Azure Policy add-on is off/,
    },
  ],
  preview: [['addonProfiles', 'azurepolicy']],
});

provePolicy({
  policy: aksMonitoring,
  baseline: cluster,
  toRecords: asCluster,
  passing: [
    {
      name: 'managed Prometheus instead of Container insights',
      change: (d) => {
        delete d.addonProfiles.omsagent;
        d.azureMonitorProfile = { metrics: { enabled: true } };
      },
    },
  ],
  failing: [
    {
      rule: 'no monitoring',
      change: (d) => {
        d.addonProfiles.omsagent.enabled = false;
      },
      message: /monitoring is off/,
    },
  ],
  preview: [['addonProfiles', 'omsagent']],
});

provePolicy({
  policy: aksNoLegacyAddons,
  baseline: cluster,
  toRecords: asCluster,
  failing: [
    {
      rule: 'dashboard',
      change: (d) => {
        d.addonProfiles.kubeDashboard = { enabled: true };
      },
      message: /kubeDashboard add-on is enabled/,
    },
    {
      rule: 'HTTP application routing (any key case)',
      change: (d) => {
        d.addonProfiles.HttpApplicationRouting = { enabled: true };
      },
      message: /httpApplicationRouting add-on is enabled/,
    },
  ],
  preview: [['addonProfiles']],
});

provePolicy({
  policy: aksDefender,
  baseline: cluster,
  toRecords: asCluster,
  passing: [
    {
      name: 'Defender off outside production',
      change: (d) => {
        outsideProduction(d);
        delete d.securityProfile.defender;
      },
    },
  ],
  failing: [
    {
      rule: 'Defender off in production',
      change: (d) => void delete d.securityProfile.defender,
      message: /Defender for Containers is off/,
    },
    {
      rule: 'Defender required everywhere by config',
      change: (d) => {
        outsideProduction(d);
        d.securityProfile.defender.securityMonitoring.enabled = false;
      },
      config: { requireEverywhere: true },
      message: /Defender/,
    },
  ],
  preview: [['tags'], ['securityProfile']],
});

provePolicy({
  policy: aksImageCleaner,
  baseline: cluster,
  toRecords: asCluster,
  failing: [
    {
      rule: 'image cleaner off',
      change: (d) => void delete d.securityProfile.imageCleaner,
      message: /image cleaner is off/,
    },
  ],
  preview: [['securityProfile', 'imageCleaner']],
});

provePolicy({
  policy: aksNoNodePublicIp,
  baseline: cluster,
  toRecords: asCluster,
  failing: [
    {
      rule: 'inline pool with public IPs',
      change: (d) => {
        d.agentPoolProfiles[1].enableNodePublicIP = true;
      },
      message: /Agent pool user gives nodes public IPs/,
    },
  ],
  preview: [['agentPoolProfiles']],
});

provePolicy({
  policy: aksNoNodePublicIp,
  baseline: () => agentPool() as Props,
  toRecords: asResource(AZURE_TYPES.agentPool),
  failing: [
    {
      rule: 'standalone AgentPool with public IPs',
      change: (d) => {
        d.enableNodePublicIP = true;
      },
      message: /Agent pool burst/,
    },
  ],
  preview: [['enableNodePublicIP']],
});

provePolicy({
  policy: aksEncryptionAtHost,
  baseline: cluster,
  toRecords: asCluster,
  failing: [
    {
      rule: 'a pool without host encryption',
      change: (d) => void delete d.agentPoolProfiles[0].enableEncryptionAtHost,
      message: /Agent pool system does not encrypt at host/,
    },
  ],
  preview: [
    ['agentPoolProfiles', 0, 'enableEncryptionAtHost'],
    ['agentPoolProfiles', 1, 'enableEncryptionAtHost'],
  ],
});

provePolicy({
  policy: aksAutoUpgrade,
  baseline: cluster,
  toRecords: asCluster,
  failing: [
    {
      rule: "upgrade channel 'none'",
      change: (d) => {
        d.autoUpgradeProfile.upgradeChannel = 'none';
      },
      message: /auto-upgrade is off/,
    },
    {
      rule: 'node OS unmanaged',
      change: (d) => {
        d.autoUpgradeProfile.nodeOSUpgradeChannel = 'Unmanaged';
      },
      message: /node OS upgrades are off/,
    },
    { rule: 'no profile', change: (d) => void delete d.autoUpgradeProfile, message: /auto-upgrade is off/ },
  ],
  preview: [['autoUpgradeProfile']],
});

provePolicy({
  policy: aksProdStandardTier,
  baseline: cluster,
  toRecords: asCluster,
  passing: [
    {
      name: 'Free tier outside production',
      change: (d) => {
        outsideProduction(d);
        d.sku.tier = 'Free';
      },
    },
  ],
  failing: [
    {
      rule: 'Free tier in prod',
      change: (d) => {
        d.sku.tier = 'Free';
      },
      message: /production AKS cluster is on the Free tier/,
    },
    { rule: 'no sku in prod', change: (d) => void delete d.sku, message: /Free tier/ },
    {
      rule: 'production named by config',
      change: (d) => {
        d.tags.environment = 'live';
        d.sku.tier = 'Free';
      },
      config: { productionEnvironments: ['live'] },
      message: /Free tier/,
    },
  ],
  preview: [['tags'], ['sku', 'tier']],
});

provePolicy({
  policy: aksProdSystemPoolTainted,
  baseline: cluster,
  toRecords: asCluster,
  passing: [
    {
      name: 'untainted outside production',
      change: (d) => {
        outsideProduction(d);
        delete d.agentPoolProfiles[0].nodeTaints;
      },
    },
  ],
  failing: [
    {
      rule: 'system pool untainted',
      change: (d) => void delete d.agentPoolProfiles[0].nodeTaints,
      message: /System pool system is not tainted/,
    },
    {
      rule: 'no system pool',
      change: (d) => {
        d.agentPoolProfiles[0].mode = 'User';
      },
      message: /no System-mode agent pool/,
    },
  ],
  preview: [['agentPoolProfiles', 0, 'nodeTaints']],
});
