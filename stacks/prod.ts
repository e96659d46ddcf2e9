import { DEFAULT_NETWORK, type EnvironmentProfile } from './profile';

/**
 * prod: the AKS baseline posture: private API server, Standard (SLA) tier, three zones, zone-redundant
 * and geo-backed-up Postgres without passwords, Premium registry behind a private endpoint.
 */
export const prodProfile: EnvironmentProfile = {
  name: 'prod',
  network: DEFAULT_NETWORK,
  aks: {
    tier: 'Standard',
    privateCluster: true,
    authorizedIpRanges: [],
    availabilityZones: ['1', '2', '3'],
    systemPool: {
      vmSize: 'Standard_D4ds_v5',
      minCount: 3,
      maxCount: 4,
      osDiskType: 'Ephemeral',
      osDiskSizeGb: 64,
      maxPods: 50,
    },
    userPool: {
      vmSize: 'Standard_D8ds_v5',
      minCount: 3,
      maxCount: 12,
      osDiskType: 'Ephemeral',
      osDiskSizeGb: 128,
      maxPods: 110,
    },
    upgradeChannel: 'patch',
    nodeOsUpgradeChannel: 'NodeImage',
    defender: true,
    encryptionAtHost: true,
    imageCleanerIntervalHours: 168,
  },
  keyVault: { sku: 'premium', softDeleteRetentionDays: 90, allowAllowedIpRanges: false },
  redis: { sku: 'Balanced_B5', highAvailability: true, accessKeysEnabled: false },
  postgres: {
    skuName: 'Standard_D4ds_v5',
    tier: 'GeneralPurpose',
    version: '17',
    storageSizeGb: 128,
    backupRetentionDays: 35,
    geoRedundantBackup: true,
    highAvailability: 'ZoneRedundant',
    passwordAuth: false,
  },
  registry: { sku: 'Premium', publicNetworkAccess: false, zoneRedundant: true },
  monitoring: { retentionDays: 90, dailyQuotaGb: -1 },
  entra: { appRoleAssignmentRequired: true },
  workload: { minReplicas: 3, maxReplicas: 50 },
};
