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
    kubernetesVersion: '1.35',
    maintenance: {
      clusterUpgrade: { dayOfWeek: 'Monday', startTimeUtc: '02:00', durationHours: 4 },
      nodeOsUpgrade: { dayOfWeek: 'Tuesday', startTimeUtc: '02:00', durationHours: 4 },
    },
    policyEffect: 'Audit',
    // People deploy dev from their workstation after `az login`.
    deployerClusterAdmin: true,
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
  monitoring: { retentionDays: 30, dailyQuotaGb: 2, flowLogRetentionDays: 7, trafficAnalyticsIntervalMinutes: 60 },
  entra: { appRoleAssignmentRequired: false },
  workload: {
    // Two, not one: the pack refuses a single point of failure even in dev (and a rollout must not cut the service).
    minReplicas: 2,
    maxReplicas: 4,
    resources: { requests: { cpu: '100m', memory: '192Mi' }, limits: { cpu: '500m', memory: '384Mi' } },
    databasePoolMax: 5,
  },
  gateway: {
    replicas: 2,
    loadBalancer: 'public',
    rateLimit: { perMinute: 1000, perHour: 10000 },
    maxRequestBodyMegabytes: 1,
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
  },
  authorizationServer: {
    replicas: 2,
    resources: { requests: { cpu: '50m', memory: '160Mi' }, limits: { cpu: '500m', memory: '320Mi' } },
    databasePoolMax: 3,
    rateLimit: { perMinute: 120, perHour: 3000 },
    dynamicRegistration: false,
  },
  observability: {
    prometheusRetention: '3d',
    prometheusStorageGi: 10,
    prometheusResources: { requests: { cpu: '100m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } },
    traceStorage: 'memory',
    traceRetentionHours: 24,
    traceStorageGi: 0,
  },
  // A NAT gateway for egress; Kong's public load balancer is the entry (no WAF: its fixed price is prod's).
  edge: { egressFirewall: false },
};
