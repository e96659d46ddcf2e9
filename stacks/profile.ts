/**
 * An environment profile: everything that differs between dev, staging and prod, as data.
 * Deployment-specific values (location, domain, issuer, IP ranges of a given office) live in
 * `Pulumi.<stack>.yaml`; what an environment *is* (its size, its redundancy, its exposure) lives here.
 */

export const ENVIRONMENT_NAMES = ['dev', 'staging', 'prod'] as const;
export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number];

export interface NodePoolProfile {
  /** VM size; the `ds` sizes have a local temp disk, which ephemeral OS disks need. */
  vmSize: string;
  minCount: number;
  maxCount: number;
  /** Ephemeral OS disks are faster and free but need a VM whose cache/temp disk fits `osDiskSizeGb`. */
  osDiskType: 'Ephemeral' | 'Managed';
  osDiskSizeGb: number;
  maxPods: number;
}

export interface AksProfile {
  /** Standard tier carries the uptime SLA (and is required for more than 10 nodes); Free has none. */
  tier: 'Free' | 'Standard';
  /** A private cluster has no public API endpoint at all; deployments must run from inside the network. */
  privateCluster: boolean;
  /** When the API is public, only these CIDRs may reach it (merged with the stack's `allowedIpRanges`). */
  authorizedIpRanges: string[];
  /** Availability zones for both pools; an empty list pins nothing (cheaper regions, no zone SLA). */
  availabilityZones: string[];
  systemPool: NodePoolProfile;
  userPool: NodePoolProfile;
  /** `patch` follows the latest patch of the pinned minor version: security fixes without surprise minors. */
  upgradeChannel: 'patch' | 'stable' | 'rapid' | 'node-image' | 'none';
  nodeOsUpgradeChannel: 'NodeImage' | 'SecurityPatch' | 'Unmanaged' | 'None';
  /** Microsoft Defender for Containers sensor (billed per vCore). */
  defender: boolean;
  /** Host-based encryption of temp/cache disks; needs the `EncryptionAtHost` feature on the subscription. */
  encryptionAtHost: boolean;
  imageCleanerIntervalHours: number;
}

export interface KeyVaultProfile {
  sku: 'standard' | 'premium';
  softDeleteRetentionDays: number;
  /**
   * Lets the stack's `allowedIpRanges` reach the vault's data plane through its firewall (public network
   * access stays deny-by-default). Only for dev, where engineers inspect secrets from their workstation.
   */
  allowAllowedIpRanges: boolean;
}

export interface RedisProfile {
  /** Azure Managed Redis SKU (`Balanced_B0` is the smallest). */
  sku: string;
  highAvailability: boolean;
  /**
   * Access keys are off by default (Entra ID tokens only). A profile may turn them on for clients that
   * cannot do Entra auth; the key is then stored only in Key Vault.
   */
  accessKeysEnabled: boolean;
}

export interface PostgresProfile {
  skuName: string;
  tier: 'Burstable' | 'GeneralPurpose' | 'MemoryOptimized';
  version: '16' | '17' | '18';
  storageSizeGb: number;
  backupRetentionDays: number;
  geoRedundantBackup: boolean;
  highAvailability: 'Disabled' | 'ZoneRedundant' | 'SameZone';
  /** Password authentication; when off only Entra ID principals can log in (no password exists at all). */
  passwordAuth: boolean;
}

export interface RegistryProfile {
  /** Premium is the only SKU with private endpoints, zone redundancy and retention policies. */
  sku: 'Basic' | 'Standard' | 'Premium';
  publicNetworkAccess: boolean;
  zoneRedundant: boolean;
}

export interface MonitoringProfile {
  retentionDays: number;
  /** Daily ingestion cap in GB (-1: none). Caps protect the bill in dev, never in prod (audit logs matter). */
  dailyQuotaGb: number;
}

export interface EntraProfile {
  /** Only users, groups and apps assigned to the app may obtain a token for the MCP resource. */
  appRoleAssignmentRequired: boolean;
}

/** CPU and memory of one container, as Kubernetes quantities. */
export interface ContainerResources {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}

/** Sizing of the MCP workload, consumed by the Kubernetes layer. */
export interface WorkloadProfile {
  /** The HPA's bounds (the guide: 3..50); never below 2, so one pod is never the whole service. */
  minReplicas: number;
  maxReplicas: number;
  resources: ContainerResources;
  /** Postgres connections per pod: maxReplicas × this must stay under the server's connection limit. */
  databasePoolMax: number;
}

/** The API gateway (Kong, DB-less). */
export interface GatewayProfile {
  replicas: number;
  /** `public`: an Internet-facing Azure load balancer; `internal`: a private IP in the VNet (behind a WAF or VPN). */
  loadBalancer: 'public' | 'internal';
  /** Requests per client address, counted in Redis across gateway replicas (the guide: 1000/min, 10000/h). */
  rateLimit: { perMinute: number; perHour: number };
  /** Request bodies above this are refused by the gateway before they reach a pod. */
  maxRequestBodyMegabytes: number;
  resources: ContainerResources;
}

/** Prometheus, Grafana and Jaeger in the cluster. */
export interface ObservabilityProfile {
  prometheusRetention: string;
  prometheusStorageGi: number;
  prometheusResources: ContainerResources;
  /** Jaeger keeps traces in memory (dev) or on a persistent Badger volume, for this many hours. */
  traceStorage: 'memory' | 'badger';
  traceRetentionHours: number;
  traceStorageGi: number;
}

export interface NetworkProfile {
  addressSpace: string;
  subnets: {
    systemNodes: string;
    userNodes: string;
    privateEndpoints: string;
    postgres: string;
    /** Self-hosted deployment runners: only where the API server is private (see docs/deploy.md). */
    runners: string;
  };
}

export interface EnvironmentProfile {
  name: EnvironmentName;
  network: NetworkProfile;
  aks: AksProfile;
  keyVault: KeyVaultProfile;
  redis: RedisProfile;
  postgres: PostgresProfile;
  registry: RegistryProfile;
  monitoring: MonitoringProfile;
  entra: EntraProfile;
  workload: WorkloadProfile;
  gateway: GatewayProfile;
  observability: ObservabilityProfile;
}

/** One address plan for every environment: environments live in separate VNets, so they may overlap. */
export const DEFAULT_NETWORK: NetworkProfile = {
  addressSpace: '10.240.0.0/16',
  subnets: {
    systemNodes: '10.240.0.0/22',
    userNodes: '10.240.4.0/22',
    privateEndpoints: '10.240.8.0/24',
    postgres: '10.240.9.0/24',
    runners: '10.240.10.0/27',
  },
};
