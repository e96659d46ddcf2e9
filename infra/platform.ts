import { getClientConfigOutput } from '@pulumi/azure-native/authorization';
import { ResourceGroup } from '@pulumi/azure-native/resources';
import { Provider as KubernetesProvider } from '@pulumi/kubernetes/provider';
import * as pulumi from '@pulumi/pulumi';
import { RandomString } from '@pulumi/random/randomString';
import { Sleep } from '@pulumiverse/time';
import {
  AUTHORIZATION_SERVER,
  CLUSTER_NAMESPACES,
  DATABASE,
  OPERATIONS,
  SECRET_NAMES,
  WORKLOAD,
} from '../service/src/contract';
import type { EnvironmentName, EnvironmentProfile } from '../stacks';
import { Aks } from './azure/aks';
import { EdgeGateway } from './azure/app-gateway';
import { ContainerInsights } from './azure/container-insights';
import { EntraApp } from './azure/entra-app';
import { Identity, type ManagedIdentityRef } from './azure/identity';
import { KeyVault } from './azure/keyvault';
import { DataStoreProtection } from './azure/lock-data-stores';
import { Monitoring } from './azure/monitoring';
import { Network } from './azure/network';
import { NetworkMonitoring } from './azure/network-monitoring';
import { PlatformAlerts } from './azure/platform-alerts';
import { ClusterPolicy } from './azure/policy-assignments';
import { Postgres } from './azure/postgres';
import { REDIS_PORT, Redis } from './azure/redis';
import { Registry } from './azure/registry';
import { afterSubscriptionFeatures, requiredSubscriptionFeatures } from './azure/subscription-features';
import { buildTags } from './azure/tags';
import { WorkloadIdentity } from './azure/workload-identity';
import { type DeploymentConfig, deploysAuthorizationServer } from './config';
import { egressRulesFor } from './egress-hosts';
import { type ClusterNamespaceKey, NAMESPACE_POD_SECURITY } from './kubernetes/namespaces';

/** The token settings the service is configured with (ENV.resourceUrl, ENV.issuers, ENV.jwksUrl). */
export interface AuthorizationOutputs {
  resourceUrl: string;
  issuerUrl: pulumi.Output<string>;
  /** What the access tokens carry as `aud`: the Entra app's client id, or the external issuer's audience. */
  audience: pulumi.Output<string>;
  jwksUrl?: pulumi.Output<string>;
  /** Set when the Entra app registration was created here. */
  entraClientId?: pulumi.Output<string>;
  /** Set when the stack runs the authorization server for MCP clients (deploysAuthorizationServer). */
  authorizationServer?: AuthorizationServerOutputs;
}

/** The authorization server for MCP clients: its issuer and the upstream it signs users in at. */
export interface AuthorizationServerOutputs {
  /** `https://<publicHostname>`: it shares the MCP host behind the gateway. */
  issuer: string;
  /** Entra ID v2 of the tenant, and the app registration it signs users in with (the MCP API's own). */
  upstreamIssuer: pulumi.Output<string>;
  upstreamClientId: pulumi.Output<string>;
  tenantId: pulumi.Output<string>;
}

/**
 * The seam for the Kubernetes layer (next issue): everything it needs to deploy the workload, and nothing it
 * would have to look up again. Built once by `createAzurePlatform`; `infra/index.ts` exports the stack outputs.
 */
export interface PlatformOutputs {
  environment: EnvironmentName;
  profile: EnvironmentProfile;
  location: string;
  tenantId: pulumi.Output<string>;
  subscriptionId: pulumi.Output<string>;
  resourceGroupName: pulumi.Output<string>;
  /** Talks to the cluster with the user (kubelogin) kubeconfig; set `AAD_LOGIN_METHOD` for kubelogin. */
  kubernetesProvider: KubernetesProvider;
  kubeconfig: pulumi.Output<string>;
  cluster: { name: pulumi.Output<string>; id: pulumi.Output<string>; oidcIssuerUrl: pulumi.Output<string> };
  /** Annotate the service account with `azure.workload.identity/client-id: <clientId>`. */
  workloadIdentity: {
    clientId: pulumi.Output<string>;
    principalId: pulumi.Output<string>;
    namespace: string;
    serviceAccount: string;
  };
  keyVault: {
    id: pulumi.Output<string>;
    name: pulumi.Output<string>;
    uri: pulumi.Output<string>;
    /** The Key Vault secrets the SecretProviderClass should mount (names from the contract). */
    secretNames: string[];
  };
  postgres: {
    host: pulumi.Output<string>;
    databaseName: pulumi.Output<string>;
    appRole: string;
    passwordAuthEnabled: boolean;
    /**
     * The Entra principal the app role must map to (`pgaadauth_create_principal_with_oid`), run once by the
     * Entra administrator: data-plane SQL that ARM cannot do.
     */
    workloadPrincipal: { roleName: string; objectId: pulumi.Output<string> };
  };
  redis: { host: pulumi.Output<string>; port: number; accessKeysEnabled: boolean };
  /** The identities of the platform's Jobs, each federated with its own service account (see OPERATIONS). */
  operations: {
    /** Postgres Entra administrator: runs migrations and creates the workload's login. */
    databaseSetup: FederatedIdentityOutputs & { loginName: pulumi.Output<string>; secretNames: string[] };
    /** Kong's Redis login (its object id is the Redis user name). */
    gatewayRedis: FederatedIdentityOutputs;
    /** The authorization server's key Job: Key Vault Secrets Officer on the vault (it creates the key secrets). */
    authorizationServerKeys?: FederatedIdentityOutputs;
  };
  /**
   * The authorization server's identity (its own Postgres Entra login, Key Vault reads). Its grants on the key secrets
   * are made by the Kubernetes layer once the key Job has created them (a grant needs the secret to exist).
   */
  authorizationServer?: FederatedIdentityOutputs;
  registry: { loginServer: pulumi.Output<string> };
  authorization: AuthorizationOutputs;
  monitoring: { workspaceId: pulumi.Output<string> };
}

export interface FederatedIdentityOutputs {
  clientId: pulumi.Output<string>;
  principalId: pulumi.Output<string>;
  namespace: string;
  serviceAccount: string;
}

/** How long after the deployer's cluster-admin grant the Kubernetes provider starts (Azure RBAC propagation). */
export const RBAC_PROPAGATION_DELAY = '120s';

/** Lowercase letters and digits: the only alphabet every globally unique Azure name accepts. */
function compact(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Builds the Azure platform of one environment from validated configuration. */
export function createAzurePlatform(config: DeploymentConfig): PlatformOutputs {
  const { profile, environment, location } = config;
  const tags = buildTags({ environment, ...config.tags });
  const prefix = `mcp-${environment}`;
  const client = getClientConfigOutput();

  const resourceGroup = new ResourceGroup('resource-group', {
    resourceGroupName: `rg-${prefix}`,
    location,
    tags,
  });
  const resourceGroupName = resourceGroup.name;

  // Key Vault, registry, Redis and Postgres names are global DNS names: one random suffix, fixed in state.
  const suffix = new RandomString('name-suffix', { length: 6, special: false, upper: false, numeric: true }).result;
  const globalName = (kind: string, separator = '-') =>
    suffix.apply((s) => (separator === '' ? compact(`${kind}${prefix}${s}`) : `${kind}-${prefix}-${s}`));

  const postgresServerName = globalName('psql');
  const monitoring = new Monitoring('monitoring', {
    resourceGroupName,
    location,
    workspaceName: `log-${prefix}`,
    profile: profile.monitoring,
    tags,
  });
  const workspaceId = monitoring.workspaceId;

  const registryIsPrivate = !profile.registry.publicNetworkAccess;
  const network = new Network('network', {
    resourceGroupName,
    location,
    vnetName: `vnet-${prefix}`,
    profile: profile.network,
    postgresDnsZoneName: pulumi.interpolate`${postgresServerName}.private.postgres.database.azure.com`,
    registryPrivateDnsZone: registryIsPrivate,
    runnerSubnet: profile.aks.privateCluster,
    edge: profile.edge,
    availabilityZones: profile.aks.availabilityZones,
    egressRules: egressRulesFor(config),
    tags,
  });

  const identity = new Identity('identity', {
    resourceGroupName,
    location,
    subscriptionId: client.subscriptionId,
    authorizationServer: deploysAuthorizationServer(config),
    namePrefix: prefix,
    // The node subnets, the subnet of Kong's internal load balancer and (prod) the egress route table: AKS joins them.
    nodeSubnetIds: [
      network.systemNodesSubnetId,
      network.userNodesSubnetId,
      network.ingressSubnetId,
      ...(network.routeTableId ? [network.routeTableId] : []),
    ],
    tags,
  });

  // Postgres, Key Vault and Redis are `protect`ed in every stack (and locked in prod, below).
  const dataStores = new DataStoreProtection();
  const protectData = { transformations: [dataStores.transformation] };

  const generatedSecretNames = profile.postgres.passwordAuth
    ? [SECRET_NAMES.postgresAdminPassword, SECRET_NAMES.databasePassword]
    : [];
  const keyVault = new KeyVault(
    'keyvault',
    {
      resourceGroupName,
      location,
      subscriptionId: client.subscriptionId,
      tenantId: client.tenantId,
      // Key Vault names are at most 24 characters: kv-mcp-staging-abc123 is 21.
      vaultName: globalName('kv'),
      profile: profile.keyVault,
      allowedIpRanges: config.allowedIpRanges,
      privateEndpointSubnetId: network.privateEndpointsSubnetId,
      privateDnsZoneId: network.privateDnsZoneIds.keyVault,
      workspaceId,
      generatedSecretNames,
      tags,
    },
    protectData,
  );

  const registry = new Registry('registry', {
    resourceGroupName,
    location,
    subscriptionId: client.subscriptionId,
    registryName: globalName('acr', ''),
    profile: profile.registry,
    ...(registryIsPrivate && network.privateDnsZoneIds.registry
      ? {
          privateEndpoint: {
            subnetId: network.privateEndpointsSubnetId,
            privateDnsZoneId: network.privateDnsZoneIds.registry,
          },
        }
      : {}),
    workspaceId,
    pullerPrincipalId: identity.kubelet.principalId,
    tags,
  });

  const subscriptionFeatures = requiredSubscriptionFeatures(profile.aks);
  const clusterAdmins = [
    ...config.clusterAdminGroupObjectIds.map((id) => ({ principalId: id, principalType: 'Group' as const })),
    // The deployer applies the Kubernetes layer right after, through the same Entra-authenticated API. Without this
    // standing grant (staging and prod by default) the deployer is an admin through its group (CI's identity).
    ...(config.deployerClusterAdmin
      ? [{ principalId: client.objectId, principalType: config.deployerPrincipalType }]
      : []),
  ];
  const aks = new Aks('aks', {
    resourceGroupName,
    location,
    subscriptionId: client.subscriptionId,
    tenantId: client.tenantId,
    clusterName: `aks-${prefix}`,
    nodeResourceGroupName: `rg-${prefix}-nodes`,
    kubernetesVersion: config.kubernetesVersion,
    profile: profile.aks,
    authorizedIpRanges: [...new Set([...profile.aks.authorizedIpRanges, ...config.allowedIpRanges])],
    // The node pools take their subnets only once the subscription's features (host encryption) read Registered.
    systemNodesSubnetId: afterSubscriptionFeatures(subscriptionFeatures, network.systemNodesSubnetId),
    userNodesSubnetId: afterSubscriptionFeatures(subscriptionFeatures, network.userNodesSubnetId),
    clusterIdentity: identity.cluster,
    kubeletIdentity: identity.kubelet,
    dependsOn: identity.clusterGrants,
    workspaceId,
    containerInsightsWorkspaceId: monitoring.telemetryWorkspaceId,
    clusterAdmins,
    outboundType: network.outboundType,
    tags,
  });

  const federate = (key: string, ref: ManagedIdentityRef, namespace: string, serviceAccount: string) => {
    new WorkloadIdentity(key, {
      resourceGroupName,
      identityName: ref.name,
      oidcIssuerUrl: aks.oidcIssuerUrl,
      namespace,
      serviceAccount,
    });
    return { clientId: ref.clientId, principalId: ref.principalId, namespace, serviceAccount };
  };
  federate('workload-identity', identity.workload, WORKLOAD.namespace, WORKLOAD.serviceAccount);
  const databaseSetup = federate(
    'db-setup-identity',
    identity.databaseSetup,
    CLUSTER_NAMESPACES.service,
    OPERATIONS.databaseSetup.serviceAccount,
  );
  const gatewayRedis = federate(
    'gateway-redis-identity',
    identity.gatewayRedis,
    CLUSTER_NAMESPACES.gateway,
    OPERATIONS.gatewayRedisCredentials.serviceAccount,
  );
  // The authorization server and its key Job: identities of their own, never the MCP pods'.
  const authorizationServerIdentities = identity.authorizationServer;
  const authorizationServerIdentity = authorizationServerIdentities
    ? federate(
        'authorization-server-identity',
        authorizationServerIdentities.server,
        CLUSTER_NAMESPACES.service,
        AUTHORIZATION_SERVER.serviceAccount,
      )
    : undefined;
  const authorizationServerKeys = authorizationServerIdentities
    ? federate(
        'authorization-server-keys-identity',
        authorizationServerIdentities.keys,
        CLUSTER_NAMESPACES.service,
        OPERATIONS.authorizationServerKeys.serviceAccount,
      )
    : undefined;

  const redis = new Redis(
    'redis',
    {
      resourceGroupName,
      location,
      clusterName: globalName('redis'),
      profile: profile.redis,
      availabilityZones: profile.aks.availabilityZones,
      privateEndpointSubnetId: network.privateEndpointsSubnetId,
      privateDnsZoneId: network.privateDnsZoneIds.redis,
      workspaceId,
      // The service, and Kong's rate-limiting plugin (its counters live in the same database).
      dataAccessPrincipalIds: [identity.workload.principalId, identity.gatewayRedis.principalId],
      tags,
    },
    protectData,
  );
  if (redis.accessKey) keyVault.storeSecret(SECRET_NAMES.redisPassword, redis.accessKey);
  // The workload reads exactly the secrets the service opens (never the Postgres administrator password).
  const workloadSecretNames = [
    ...generatedSecretNames.filter((n) => n !== SECRET_NAMES.postgresAdminPassword),
    ...(redis.accessKey ? [SECRET_NAMES.redisPassword] : []),
  ];
  keyVault.grantSecretRead('workload', identity.workload.principalId, workloadSecretNames);
  // With password auth, the setup Job sets the app role's password, so it reads that one secret too.
  const databaseSetupSecretNames = generatedSecretNames.filter((n) => n === SECRET_NAMES.databasePassword);
  keyVault.grantSecretRead('db-setup', identity.databaseSetup.principalId, databaseSetupSecretNames);
  // The authorization server reads no secret Pulumi made: it logs into Postgres with its own Entra login in every
  // profile, and its keys are granted once its key Job has created them (infra/kubernetes/layer.ts). That Job alone
  // writes secrets.
  if (authorizationServerIdentities) {
    keyVault.grantSecretsWrite('authorization-server-keys', authorizationServerIdentities.keys.principalId);
  }

  const postgres = new Postgres(
    'postgres',
    {
      resourceGroupName,
      location,
      tenantId: client.tenantId,
      serverName: postgresServerName,
      databaseName: DATABASE.name,
      profile: profile.postgres,
      delegatedSubnetId: network.postgresSubnetId,
      privateDnsZoneId: network.privateDnsZoneIds.postgres,
      ...(profile.postgres.passwordAuth
        ? { administratorPassword: keyVault.generatedSecrets[SECRET_NAMES.postgresAdminPassword] }
        : {}),
      entraAdministrator: config.postgresEntraAdmin ?? {
        objectId: client.objectId,
        principalName: `${config.project}-${config.stack}-deployer`,
        // The Postgres API spells its principal types in camel case (2025-08-01: user, group, servicePrincipal).
        principalType: config.deployerPrincipalType === 'User' ? 'user' : 'servicePrincipal',
      },
      additionalAdministrators: [
        {
          objectId: identity.databaseSetup.principalId,
          principalName: identity.databaseSetup.name,
          principalType: 'servicePrincipal',
        },
      ],
      workspaceId,
      tags,
    },
    protectData,
  );
  // Pulumi's protect only binds Pulumi: in prod an ARM lock also stops the portal, the CLI and other pipelines.
  if (environment === 'prod') dataStores.lockAll();

  // Azure Policy for Kubernetes on the cluster: pod security restricted and the stack's registry only.
  new ClusterPolicy('cluster-policy', {
    clusterId: aks.clusterId,
    effect: profile.aks.policyEffect,
    registryLoginServer: registry.loginServer,
    podSecurityExemptions: podSecurityExemptions(),
  });

  // Monitoring that collects: Container Insights through its DCR, VNet flow logs and NSG logs, platform alerts.
  new ContainerInsights('container-insights', {
    resourceGroupName,
    location,
    clusterName: `aks-${prefix}`,
    clusterId: aks.clusterId,
    workspaceId: monitoring.telemetryWorkspaceId,
    tags,
  });
  new NetworkMonitoring('network-monitoring', {
    resourceGroupName,
    location,
    vnetId: network.vnetId,
    flowLogName: `fl-vnet-${prefix}`,
    networkSecurityGroupIds: network.networkSecurityGroupIds,
    storageAccountName: globalName('stflow', ''),
    flowLogRetentionDays: profile.monitoring.flowLogRetentionDays,
    trafficAnalyticsIntervalMinutes: profile.monitoring.trafficAnalyticsIntervalMinutes,
    workspaceId: monitoring.telemetryWorkspaceId,
    workspaceCustomerId: monitoring.telemetryWorkspaceCustomerId,
    auditWorkspaceId: workspaceId,
    tags,
  });
  new PlatformAlerts('platform-alerts', {
    resourceGroupName,
    namePrefix: prefix,
    groupShortName: prefix.slice(0, 12),
    emails: config.alertEmails,
    clusterId: aks.clusterId,
    postgresServerId: postgres.serverId,
    redisClusterId: redis.clusterId,
    keyVaultId: keyVault.vaultId,
    tags,
  });

  const authorization = createAuthorization(config, client.tenantId, client.objectId, aks.oidcIssuerUrl, tags);

  // The WAF serves Key Vault's `edge-tls` certificate, which exists from phase 2 on (docs/deploy.md), like Kong behind it.
  if (profile.edge.waf && network.edgeSubnetId && config.kubernetesLayer) {
    new EdgeGateway('edge', {
      resourceGroupName,
      resourceGroupId: resourceGroup.id,
      location,
      subscriptionId: client.subscriptionId,
      namePrefix: prefix,
      waf: profile.edge.waf,
      availabilityZones: profile.aks.availabilityZones,
      subnetId: network.edgeSubnetId,
      backendIp: profile.network.gatewayPrivateIp,
      publicHostname: config.publicHostname,
      maxRequestBodyMegabytes: profile.gateway.maxRequestBodyMegabytes,
      keyVaultId: keyVault.vaultId,
      keyVaultUri: keyVault.vaultUri,
      tags,
    });
  }

  const kubeconfig = aks.kubeconfig;
  // Azure RBAC grants take minutes to reach the API server's authorizer: without this pause the first apply of the
  // Kubernetes layer fails with 403s. Replaced whenever the set of grants changes, so a new admin waits too.
  const rbacPropagation = new Sleep(
    'aks-rbac-propagation',
    { createDuration: RBAC_PROPAGATION_DELAY, triggers: { grants: aks.clusterAdminGrantIds } },
    { dependsOn: aks.clusterAdminGrants },
  );
  const kubernetesProvider = new KubernetesProvider(
    'aks',
    {
      kubeconfig,
      // Objects the program deletes stay deleted even when the cluster is briefly unreachable.
      deleteUnreachable: false,
    },
    { dependsOn: [...aks.clusterAdminGrants, rbacPropagation] },
  );

  return {
    environment,
    profile,
    location,
    tenantId: client.tenantId,
    subscriptionId: client.subscriptionId,
    resourceGroupName,
    kubernetesProvider,
    kubeconfig,
    cluster: { name: aks.clusterName, id: aks.clusterId, oidcIssuerUrl: aks.oidcIssuerUrl },
    workloadIdentity: {
      clientId: identity.workload.clientId,
      principalId: identity.workload.principalId,
      namespace: WORKLOAD.namespace,
      serviceAccount: WORKLOAD.serviceAccount,
    },
    keyVault: {
      id: keyVault.vaultId,
      name: keyVault.vaultName,
      uri: keyVault.vaultUri,
      secretNames: workloadSecretNames,
    },
    postgres: {
      host: postgres.host,
      databaseName: postgres.databaseName,
      appRole: DATABASE.appRole,
      passwordAuthEnabled: postgres.passwordAuthEnabled,
      workloadPrincipal: { roleName: DATABASE.appRole, objectId: identity.workload.principalId },
    },
    redis: { host: redis.hostName, port: REDIS_PORT, accessKeysEnabled: profile.redis.accessKeysEnabled },
    operations: {
      databaseSetup: {
        ...databaseSetup,
        loginName: identity.databaseSetup.name,
        secretNames: databaseSetupSecretNames,
      },
      gatewayRedis,
      ...(authorizationServerKeys ? { authorizationServerKeys } : {}),
    },
    ...(authorizationServerIdentity ? { authorizationServer: authorizationServerIdentity } : {}),
    registry: { loginServer: registry.loginServer },
    authorization,
    monitoring: { workspaceId },
  };
}

/** The namespaces that admit more than the restricted standard (infra/kubernetes/namespaces.ts), with their reasons. */
function podSecurityExemptions(): { namespaces: string[]; reason: string } {
  const keys = (Object.keys(NAMESPACE_POD_SECURITY) as ClusterNamespaceKey[]).filter(
    (key) => NAMESPACE_POD_SECURITY[key].level !== 'restricted',
  );
  return {
    namespaces: keys.map((key) => CLUSTER_NAMESPACES[key]),
    reason: keys.map((key) => NAMESPACE_POD_SECURITY[key].why).join(' '),
  };
}

function createAuthorization(
  config: DeploymentConfig,
  tenantId: pulumi.Output<string>,
  deployerObjectId: pulumi.Output<string>,
  oidcIssuerUrl: pulumi.Output<string>,
  tags: Record<string, string>,
): AuthorizationOutputs {
  const server = config.authorizationServer;
  if (server.kind === 'external') {
    return {
      resourceUrl: config.resourceUrl,
      issuerUrl: pulumi.output(server.issuerUrl),
      audience: pulumi.output(server.audience),
      ...(server.jwksUrl ? { jwksUrl: pulumi.output(server.jwksUrl) } : {}),
    };
  }
  const app = new EntraApp('entra-app', {
    displayName: `MCP server (${config.environment})`,
    tenantId,
    appRoleAssignmentRequired: config.profile.entra.appRoleAssignmentRequired,
    ownerObjectIds: [deployerObjectId],
    // Entra tags are plain strings; keep the same facts as the Azure tags.
    tags: Object.entries(tags).map(([key, value]) => `${key}:${value}`),
    ...(deploysAuthorizationServer(config)
      ? {
          signInClient: {
            redirectUri: `${authorizationServerIssuer(config)}${AUTHORIZATION_SERVER.paths.upstreamCallback}`,
            federation: {
              issuer: oidcIssuerUrl,
              subject: `system:serviceaccount:${CLUSTER_NAMESPACES.service}:${AUTHORIZATION_SERVER.serviceAccount}`,
            },
          },
        }
      : {}),
  });
  return {
    resourceUrl: config.resourceUrl,
    issuerUrl: app.issuerUrl,
    audience: app.clientId,
    jwksUrl: app.jwksUrl,
    entraClientId: app.clientId,
    ...(deploysAuthorizationServer(config)
      ? {
          authorizationServer: {
            issuer: authorizationServerIssuer(config),
            upstreamIssuer: app.issuerUrl,
            upstreamClientId: app.clientId,
            tenantId,
          },
        }
      : {}),
  };
}

/** The authorization server's issuer: the public host's origin (no path, no trailing slash), as the server checks. */
export function authorizationServerIssuer(config: Pick<DeploymentConfig, 'publicHostname'>): string {
  return `https://${config.publicHostname}`;
}
