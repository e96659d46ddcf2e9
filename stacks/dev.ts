import { DEFAULT_NETWORK, type EnvironmentProfile } from './profile';

/** dev: the cheapest footprint that still has every security control on; no zones, no HA, no SLA. */
export const devProfile: EnvironmentProfile = {
  name: 'dev',
  network: DEFAULT_NETWORK,
  aks: {
    tier: 'Free',
    privateCluster: false,
    authorizedIpRanges: [],
    availabilityZones: [],
    systemPool: {
      vmSize: 'Standard_D2ds_v5',
      minCount: 1,
      maxCount: 2,
      osDiskType: 'Managed',
      osDiskSizeGb: 64,
      maxPods: 50,
    },
    userPool: {
      vmSize: 'Standard_D2ds_v5',
      minCount: 1,
      maxCount: 3,
      osDiskType: 'Managed',
      osDiskSizeGb: 64,
      maxPods: 110,
    },
    upgradeChannel: 'patch',
    nodeOsUpgradeChannel: 'NodeImage',
    defender: false,
    // Free, and the subscription needs the EncryptionAtHost feature for staging and prod anyway.
    encryptionAtHost: true,
    imageCleanerIntervalHours: 168,
  },
  keyVault: { sku: 'standard', softDeleteRetentionDays: 7, allowAllowedIpRanges: true },
  redis: { sku: 'Balanced_B0', highAvailability: false, accessKeysEnabled: false },
  postgres: {
    skuName: 'Standard_B1ms',
    tier: 'Burstable',
    version: '17',
    storageSizeGb: 32,
    backupRetentionDays: 7,
    geoRedundantBackup: false,
    highAvailability: 'Disabled',
    passwordAuth: true,
  },
  registry: { sku: 'Basic', publicNetworkAccess: true, zoneRedundant: false },
  monitoring: { retentionDays: 30, dailyQuotaGb: 2 },
  entra: { appRoleAssignmentRequired: false },
  workload: { minReplicas: 1, maxReplicas: 3 },
};
