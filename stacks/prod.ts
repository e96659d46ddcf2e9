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
    kubernetesVersion: '1.35',
    maintenance: {
      clusterUpgrade: { dayOfWeek: 'Saturday', startTimeUtc: '02:00', durationHours: 4 },
      nodeOsUpgrade: { dayOfWeek: 'Sunday', startTimeUtc: '02:00', durationHours: 4 },
    },
    policyEffect: 'Deny',
    // No standing admin grant for whoever runs `pulumi up`: CI's identity is a cluster admin through its group.
    deployerClusterAdmin: false,
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
  monitoring: { retentionDays: 90, dailyQuotaGb: -1, flowLogRetentionDays: 90, trafficAnalyticsIntervalMinutes: 10 },
  entra: { appRoleAssignmentRequired: true },
  workload: {
    minReplicas: 3,
    maxReplicas: 50,
    // The guide's sizes: requests 250m/256Mi, limits 500m/512Mi, with CPU headroom for token verification bursts.
    resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
    // 50 pods × 10 = 500 connections: within a D4ds_v5 server's max_connections (859 on 16 GiB).
    databasePoolMax: 10,
  },
  gateway: {
    replicas: 3,
    // Behind the WAF (edge.waf): a private IP in snet-ingress, never an Internet-facing load balancer.
    loadBalancer: 'internal',
    rateLimit: { perMinute: 1000, perHour: 10000 },
    maxRequestBodyMegabytes: 1,
    resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '2', memory: '1Gi' } },
  },
  authorizationServer: {
    replicas: 3,
    resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
    databasePoolMax: 5,
    rateLimit: { perMinute: 120, perHour: 3000 },
    dynamicRegistration: false,
  },
  observability: {
    prometheusRetention: '15d',
    prometheusStorageGi: 128,
    prometheusResources: { requests: { cpu: '500m', memory: '2Gi' }, limits: { cpu: '2', memory: '4Gi' } },
    traceStorage: 'badger',
    traceRetentionHours: 168,
    traceStorageGi: 64,
  },
  // The AKS baseline's edge: WAF_v2 (OWASP rules, blocking) in front of an internal Kong, egress through Azure Firewall.
  edge: { waf: { mode: 'Prevention', minCapacity: 2, maxCapacity: 10 }, egressFirewall: true },
};
