import type { RoleAssignment } from '@pulumi/azure-native/authorization';
import { listManagedClusterUserCredentialsOutput, ManagedCluster } from '@pulumi/azure-native/containerservice';
import * as pulumi from '@pulumi/pulumi';
import type { AksProfile, NodePoolProfile } from '../../stacks';
import { createDiagnosticSetting } from './diagnostic-setting';
import type { ManagedIdentityRef } from './identity';
import { MaintenanceWindows } from './maintenance-windows';
import { grantRole } from './role-definitions';
import type { TagMap } from './tags';

export interface AksArgs {
  resourceGroupName: pulumi.Input<string>;
  location: string;
  subscriptionId: pulumi.Input<string>;
  tenantId: pulumi.Input<string>;
  clusterName: string;
  nodeResourceGroupName: string;
  /** `major.minor` (AKS picks the latest patch) or `major.minor.patch`; the profile pins one by default. */
  kubernetesVersion: string;
  profile: AksProfile;
  /** Public API only: CIDRs allowed to reach it (profile ranges plus the stack's). */
  authorizedIpRanges: string[];
  systemNodesSubnetId: pulumi.Input<string>;
  userNodesSubnetId: pulumi.Input<string>;
  clusterIdentity: ManagedIdentityRef;
  kubeletIdentity: ManagedIdentityRef;
  /** Grants the cluster identity needs before the cluster is created. */
  dependsOn: pulumi.Resource[];
  workspaceId: pulumi.Input<string>;
  /** Where Container Insights sends its data (the data collection rule's destination); default `workspaceId`. */
  containerInsightsWorkspaceId?: pulumi.Input<string>;
  /** Principals granted Azure Kubernetes Service RBAC Cluster Admin (admin groups, and the deployer if configured). */
  clusterAdmins: { principalId: pulumi.Input<string>; principalType: 'Group' | 'ServicePrincipal' | 'User' }[];
  /** How nodes reach the Internet; decided by the network (NAT gateway, or a route table to the firewall). */
  outboundType: 'userAssignedNATGateway' | 'userDefinedRouting';
  tags: TagMap;
}

/** Address ranges of the overlay network; outside the VNet so they never collide with it. */
export const AKS_NETWORK = {
  podCidr: '192.168.0.0/16',
  serviceCidr: '172.16.0.0/16',
  dnsServiceIp: '172.16.0.10',
} as const;

/** Audit logs of the API server for mutating calls (`kube-audit-admin`) and Entra authentication (`guard`). */
export const AKS_LOG_CATEGORIES = ['kube-audit-admin', 'guard', 'cluster-autoscaler'];

function agentPool(
  name: string,
  mode: 'System' | 'User',
  pool: NodePoolProfile,
  profile: AksProfile,
  subnetId: pulumi.Input<string>,
  kubernetesVersion: string,
) {
  return {
    name,
    mode,
    vmSize: pool.vmSize,
    osType: 'Linux',
    osSKU: 'AzureLinux',
    osDiskType: pool.osDiskType,
    osDiskSizeGB: pool.osDiskSizeGb,
    enableAutoScaling: true,
    minCount: pool.minCount,
    maxCount: pool.maxCount,
    count: pool.minCount,
    maxPods: pool.maxPods,
    vnetSubnetID: subnetId,
    ...(profile.availabilityZones.length > 0 ? { availabilityZones: profile.availabilityZones } : {}),
    enableNodePublicIP: false,
    enableEncryptionAtHost: profile.encryptionAtHost,
    enableFIPS: false,
    orchestratorVersion: kubernetesVersion,
    // Critical add-ons only on the system pool, so a noisy workload can never starve CoreDNS or the CSI driver.
    ...(mode === 'System' ? { nodeTaints: ['CriticalAddonsOnly=true:NoSchedule'] } : {}),
    upgradeSettings: { maxSurge: '33%' },
    type: 'VirtualMachineScaleSets',
  };
}

/**
 * The AKS cluster, with every security setting in one place (after mspnp/aks-baseline):
 * Entra ID + Azure RBAC, no local accounts, OIDC issuer + workload identity, Azure CNI overlay with
 * Cilium network policy, private API or authorized IP ranges, run command off, a tainted system pool,
 * an autoscaled zonal user pool, Key Vault CSI with rotation, Azure Policy, Container Insights, a pinned version,
 * auto-upgrade inside weekly maintenance windows, image cleaner and (per profile) Defender.
 */
export class Aks extends pulumi.ComponentResource {
  readonly clusterName: pulumi.Output<string>;
  readonly clusterId: pulumi.Output<string>;
  readonly oidcIssuerUrl: pulumi.Output<string>;
  /** A kubelogin (exec) kubeconfig from the *user* credentials; admin credentials do not exist without local accounts. */
  readonly kubeconfig: pulumi.Output<string>;
  /** The identity of the Key Vault CSI add-on (unused with workload identity, exported for diagnostics). */
  readonly keyVaultSecretsProviderClientId: pulumi.Output<string | undefined>;
  /** The cluster-admin role assignments; whoever talks to the API server right after must wait for them. */
  readonly clusterAdminGrants: RoleAssignment[];
  /** Their ids joined, to re-trigger anything that must follow a change of admins. */
  readonly clusterAdminGrantIds: pulumi.Output<string>;

  constructor(name: string, args: AksArgs, opts?: pulumi.ComponentResourceOptions) {
    super('secure-mcp:azure:Aks', name, {}, opts);
    const { profile } = args;

    const cluster = new ManagedCluster(
      `${name}-cluster`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        resourceName: args.clusterName,
        dnsPrefix: args.clusterName,
        nodeResourceGroup: args.nodeResourceGroupName,
        // Pinned: a new cluster never lands on whatever minor the region defaults to that day.
        kubernetesVersion: args.kubernetesVersion,
        sku: { name: 'Base', tier: profile.tier },
        supportPlan: 'KubernetesOfficial',
        identity: { type: 'UserAssigned', userAssignedIdentities: [args.clusterIdentity.id] },
        identityProfile: {
          kubeletidentity: {
            resourceId: args.kubeletIdentity.id,
            clientId: args.kubeletIdentity.clientId,
            objectId: args.kubeletIdentity.principalId,
          },
        },

        // Identity and access: Entra ID users only, authorized by Azure RBAC; no static cluster-admin certificate.
        enableRBAC: true,
        aadProfile: { managed: true, enableAzureRBAC: true, tenantID: args.tenantId },
        disableLocalAccounts: true,

        // Workload identity: pods exchange a projected service-account token for an Entra token; no secrets.
        oidcIssuerProfile: { enabled: true },
        securityProfile: {
          workloadIdentity: { enabled: true },
          imageCleaner: { enabled: true, intervalHours: profile.imageCleanerIntervalHours },
          ...(profile.defender
            ? {
                defender: {
                  logAnalyticsWorkspaceResourceId: args.workspaceId,
                  securityMonitoring: { enabled: true },
                },
              }
            : {}),
        },

        // API server exposure: private in prod; elsewhere public but only to authorized ranges.
        apiServerAccessProfile: profile.privateCluster
          ? {
              enablePrivateCluster: true,
              enablePrivateClusterPublicFQDN: false,
              privateDNSZone: 'system',
              disableRunCommand: true,
            }
          : {
              enablePrivateCluster: false,
              authorizedIPRanges: args.authorizedIpRanges,
              disableRunCommand: true,
            },

        networkProfile: {
          networkPlugin: 'azure',
          networkPluginMode: 'overlay',
          networkDataplane: 'cilium',
          networkPolicy: 'cilium',
          podCidr: AKS_NETWORK.podCidr,
          serviceCidr: AKS_NETWORK.serviceCidr,
          dnsServiceIP: AKS_NETWORK.dnsServiceIp,
          loadBalancerSku: 'standard',
          // A NAT gateway (or, in prod, Azure Firewall by a route table): never the load balancer (see network.ts).
          outboundType: args.outboundType,
        },

        agentPoolProfiles: [
          agentPool('system', 'System', profile.systemPool, profile, args.systemNodesSubnetId, args.kubernetesVersion),
          agentPool('user', 'User', profile.userPool, profile, args.userNodesSubnetId, args.kubernetesVersion),
        ],
        autoScalerProfile: { balanceSimilarNodeGroups: 'true', expander: 'least-waste' },

        autoUpgradeProfile: {
          upgradeChannel: profile.upgradeChannel,
          nodeOSUpgradeChannel: profile.nodeOsUpgradeChannel,
        },

        addonProfiles: {
          azureKeyvaultSecretsProvider: {
            enabled: true,
            config: { enableSecretRotation: 'true', rotationPollInterval: '2m' },
          },
          azurepolicy: { enabled: true, config: { version: 'v2' } },
          omsagent: {
            enabled: true,
            config: {
              logAnalyticsWorkspaceResourceID: args.containerInsightsWorkspaceId ?? args.workspaceId,
              useAADAuth: 'true',
            },
          },
        },
        tags: args.tags,
      },
      {
        parent: this,
        dependsOn: args.dependsOn,
        // The autoscaler owns node counts once the cluster exists.
        ignoreChanges: ['agentPoolProfiles[0].count', 'agentPoolProfiles[1].count'],
      },
    );

    new MaintenanceWindows(
      `${name}-maintenance`,
      { resourceGroupName: args.resourceGroupName, clusterName: cluster.name, windows: profile.maintenance },
      { parent: this },
    );

    createDiagnosticSetting(
      `${name}-diagnostics`,
      {
        targetResourceId: cluster.id,
        workspaceId: args.workspaceId,
        logCategories: AKS_LOG_CATEGORIES,
        includeMetrics: false,
      },
      { parent: this },
    );

    this.clusterAdminGrants = args.clusterAdmins.map((admin, index) =>
      grantRole(
        `${name}-rbac-cluster-admin-${index}`,
        {
          role: 'aksRbacClusterAdmin',
          principalId: admin.principalId,
          principalType: admin.principalType,
          scope: cluster.id,
          subscriptionId: args.subscriptionId,
        },
        { parent: this },
      ),
    );

    this.clusterAdminGrantIds = pulumi
      .all(this.clusterAdminGrants.map((grant) => grant.id))
      .apply((ids) => ids.join(','));

    const credentials = listManagedClusterUserCredentialsOutput(
      // `exec` format: the kubeconfig calls kubelogin for an Entra token; it holds no long-lived credential,
      // but it names the server and CA, so it stays a secret all the same.
      { resourceGroupName: args.resourceGroupName, resourceName: cluster.name, format: 'exec' },
      { parent: this },
    );
    this.kubeconfig = pulumi.secret(
      credentials.kubeconfigs.apply((kubeconfigs) => {
        const encoded = kubeconfigs?.[0]?.value;
        if (!encoded) throw new Error('AKS returned no user kubeconfig (AKS_NO_KUBECONFIG)');
        return Buffer.from(encoded, 'base64').toString('utf8');
      }),
    );

    this.clusterName = cluster.name;
    this.clusterId = cluster.id;
    this.oidcIssuerUrl = cluster.oidcIssuerProfile.apply((issuer) => {
      if (!issuer?.issuerURL) throw new Error('AKS returned no OIDC issuer URL (AKS_NO_OIDC_ISSUER)');
      return issuer.issuerURL;
    });
    this.keyVaultSecretsProviderClientId = cluster.addonProfiles.apply(
      (addons) => addons?.azureKeyvaultSecretsProvider?.identity?.clientId,
    );
    this.registerOutputs({ clusterName: this.clusterName, oidcIssuerUrl: this.oidcIssuerUrl });
  }
}
