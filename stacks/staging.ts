import { DEFAULT_NETWORK, type EnvironmentProfile } from './profile';

/** staging: prod's shape (zones, Entra-only data access, Defender) at a smaller size and without the SLA tier. */
export const stagingProfile: EnvironmentProfile = {
  name: 'staging',
  network: DEFAULT_NETWORK,
  aks: {
    tier: 'Free',
    privateCluster: false,
    authorizedIpRanges: [],
    availabilityZones: ['1', '2', '3'],
    systemPool: {
      vmSize: 'Standard_D4ds_v5',
      minCount: 2,
      maxCount: 3,
      osDiskType: 'Ephemeral',
      osDiskSizeGb: 64,
      maxPods: 50,
    },
    userPool: {
      vmSize: 'Standard_D4ds_v5',
      minCount: 2,
      maxCount: 5,
      osDiskType: 'Ephemeral',
      osDiskSizeGb: 64,
      maxPods: 110,
    },
    upgradeChannel: 'patch',
    nodeOsUpgradeChannel: 'NodeImage',
    defender: true,
    encryptionAtHost: true,
    imageCleanerIntervalHours: 168,
    kubernetesVersion: '1.35',
    maintenance: {
      clusterUpgrade: { dayOfWeek: 'Wednesday', startTimeUtc: '02:00', durationHours: 4 },
      nodeOsUpgrade: { dayOfWeek: 'Thursday', startTimeUtc: '02:00', durationHours: 4 },
    },
    policyEffect: 'Audit',
    // CI deploys staging with its own federated identity, a member of a cluster-admin group.
    deployerClusterAdmin: false,
  },
  keyVault: { sku: 'standard', softDeleteRetentionDays: 30, allowAllowedIpRanges: false },
  redis: { sku: 'Balanced_B1', highAvailability: true, accessKeysEnabled: false },
  postgres: {
    skuName: 'Standard_D2ds_v5',
    tier: 'GeneralPurpose',
    version: '17',
    storageSizeGb: 64,
    backupRetentionDays: 14,
    geoRedundantBackup: false,
    highAvailability: 'Disabled',
    // Entra only, as in prod: staging is where prod's token login path (workload and setup Job) is rehearsed.
    passwordAuth: false,
  },
  registry: { sku: 'Standard', publicNetworkAccess: true, zoneRedundant: false },
  monitoring: { retentionDays: 60, dailyQuotaGb: 10, flowLogRetentionDays: 30, trafficAnalyticsIntervalMinutes: 60 },
  entra: { appRoleAssignmentRequired: true },
  workload: {
    minReplicas: 2,
    maxReplicas: 10,
    resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
    databasePoolMax: 10,
  },
  gateway: {
    replicas: 2,
    loadBalancer: 'public',
    rateLimit: { perMinute: 1000, perHour: 10000 },
    maxRequestBodyMegabytes: 1,
    resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
  },
  authorizationServer: {
    replicas: 2,
    resources: { requests: { cpu: '100m', memory: '192Mi' }, limits: { cpu: '500m', memory: '384Mi' } },
    databasePoolMax: 5,
    rateLimit: { perMinute: 120, perHour: 3000 },
    dynamicRegistration: false,
  },
  observability: {
    prometheusRetention: '7d',
    prometheusStorageGi: 32,
    prometheusResources: { requests: { cpu: '250m', memory: '1Gi' }, limits: { cpu: '1', memory: '2Gi' } },
    traceStorage: 'badger',
    traceRetentionHours: 72,
    traceStorageGi: 16,
  },
  // A NAT gateway for egress; Kong's public load balancer is the entry (no WAF: its fixed price is prod's).
  edge: { egressFirewall: false },
};
