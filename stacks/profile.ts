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
  /**
   * The Kubernetes minor version created by default (`major.minor`: AKS takes its latest patch, and the `patch`
   * channel follows the patches). Config `kubernetesVersion` overrides it; moving the minor is a deliberate change.
   */
  kubernetesVersion: string;
  /** Weekly windows the auto-upgrades may start in, staggered so dev meets a release before staging and prod. */
  maintenance: { clusterUpgrade: MaintenanceWindowProfile; nodeOsUpgrade: MaintenanceWindowProfile };
  /**
   * Azure Policy for Kubernetes (pod security restricted, allowed images): `Audit` reports, `Deny` refuses at
   * admission. The CrossGuard pack has already checked what Pulumi applies; this catches anything else.
   */
  policyEffect: 'Audit' | 'Deny';
  /**
   * Whether the deploying principal holds a standing cluster-admin grant (default; config `deployerClusterAdmin`
   * overrides). Off, the deployer must be in one of `clusterAdminGroupObjectIds` (CI's federated identity is).
   */
  deployerClusterAdmin: boolean;
}

/** One weekly maintenance window (UTC). */
export interface MaintenanceWindowProfile {
  dayOfWeek: 'Monday' | 'Tuesday' | 'Wednesday' | 'Thursday' | 'Friday' | 'Saturday' | 'Sunday';
  /** `HH:mm`, UTC. */
  startTimeUtc: string;
  /** 4 to 24 (the API's range). */
  durationHours: number;
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
  /**
   * Daily ingestion cap in GB (-1: none) of the telemetry workspace (Container Insights, traffic analytics). The audit
   * workspace is never capped: a cap stops every Analytics table, audit logs included (infra/azure/monitoring.ts).
   */
  dailyQuotaGb: number;
  /** Days the raw VNet flow-log blobs are kept in their storage account. */
  flowLogRetentionDays: number;
  /** Traffic analytics runs every 10 or 60 minutes; 10 is fresher and costs more per GB processed. */
  trafficAnalyticsIntervalMinutes: 10 | 60;
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

/** The OAuth authorization server for MCP clients (issue 13): a small, fixed-size Deployment beside the service. */
export interface AuthorizationServerProfile {
  /** Fixed, no autoscaler: sign-ins are rare next to MCP calls. Never below 2 (a PodDisruptionBudget keeps one up). */
  replicas: number;
  resources: ContainerResources;
  databasePoolMax: number;
  /**
   * Per client address at the gateway, on every authorization server path: a sign-in is about ten requests
   * (metadata, authorize, upstream callback, consent, token) and a token refresh one, so this is generous for people
   * and tight for a password-spraying or code-guessing script. Corporate NATs share an address: raise it for them.
   */
  rateLimit: { perMinute: number; perHour: number };
  /** RFC 7591 dynamic client registration: off (MCP clients use Client ID Metadata Documents). Never on in prod. */
  dynamicRegistration: boolean;
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
    /** Kong's internal load balancer (its frontend IP only): the WAF's backend, when the edge is a WAF. */
    ingress: string;
    /** Application Gateway WAF_v2 (a dedicated subnet; /24 is Microsoft's recommendation for v2). */
    edge: string;
    /** Azure Firewall: the subnet must be named `AzureFirewallSubnet` and be at least /26. */
    firewall: string;
  };
  /** The fixed private IP of Kong's internal load balancer, inside `subnets.ingress` (Azure keeps .0-.3). */
  gatewayPrivateIp: string;
}

/**
 * The way in and the way out. Every profile's nodes leave through a NAT gateway (never the cluster's load balancer,
 * never a default outbound IP); prod adds Azure Firewall in front of it and a WAF in front of Kong.
 */
export interface EdgeProfile {
  /**
   * Application Gateway WAF_v2 with the OWASP core rule set in front of Kong's *internal* load balancer (then
   * `gateway.loadBalancer` must be `internal`). Absent: Kong's own public load balancer is the entry (dev, staging).
   */
  waf?: {
    mode: 'Prevention' | 'Detection';
    /** Autoscaling bounds in capacity units; the minimum is billed around the clock. */
    minCapacity: number;
    maxCapacity: number;
  };
  /**
   * Azure Firewall (Standard) filters node egress to the FQDNs AKS and the service need, through a route table
   * 0.0.0.0/0 → firewall (`outboundType: userDefinedRouting`); the NAT gateway then sits on the firewall's subnet.
   * Off: the nodes' subnets use the NAT gateway directly (`outboundType: userAssignedNATGateway`).
   */
  egressFirewall: boolean;
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
  authorizationServer: AuthorizationServerProfile;
  observability: ObservabilityProfile;
  edge: EdgeProfile;
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
    ingress: '10.240.11.0/28',
    edge: '10.240.12.0/24',
    firewall: '10.240.13.0/26',
  },
  gatewayPrivateIp: '10.240.11.4',
};
