/**
 * The insecure mutations `npm run policy:mutate` applies to the resources the program registers under mocks: each
 * one must be caught by the pack (mutation score 100 %). A new policy comes with the mutations it catches.
 */
import { AZURE_TYPES } from '../lib/azure';
import type { ResourceRecord } from '../lib/evaluate';
import {
  ALL_STACKS,
  add,
  all,
  change,
  containers,
  drop,
  type Mutation,
  MutationTargetMissing,
  PROD_ONLY,
  type Props,
  podSpec,
  siblingUrn,
} from './mutation';

const SUBSCRIPTION = '/subscriptions/00000000-0000-4000-8000-000000000001';
const roleId = (guid: string) => `${SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
const OWNER = '8e3af657-a8ff-4c83-a78d-5dd0c7ebd7c7';
const KEY_VAULT_ADMINISTRATOR = '00482a5a-887f-4fb3-b363-3b7fe8e74483';

const K8S = {
  deployment: 'kubernetes:apps/v1:Deployment',
  ingress: 'kubernetes:networking.k8s.io/v1:Ingress',
  networkPolicy: 'kubernetes:networking.k8s.io/v1:NetworkPolicy',
  serviceAccount: 'kubernetes:core/v1:ServiceAccount',
  namespace: 'kubernetes:core/v1:Namespace',
  role: 'kubernetes:rbac.authorization.k8s.io/v1:Role',
} as const;

const cluster = { type: AZURE_TYPES.managedCluster };
const vault = { type: AZURE_TYPES.vault };
const postgres = { type: AZURE_TYPES.postgresServer };
const redisCluster = { type: AZURE_TYPES.redisEnterprise };
const redisDatabase = { type: AZURE_TYPES.redisDatabase };
const registry = { type: AZURE_TYPES.containerRegistry };
const workspace = { type: AZURE_TYPES.logAnalyticsWorkspace };
const diagnostics = (name: string) => ({ type: AZURE_TYPES.diagnosticSetting, name });
const privateEndpoint = (name: string) => ({ type: AZURE_TYPES.privateEndpoint, name });
const serviceDeployment = { type: K8S.deployment, name: 'mcp-service-deployment' };
// The operations: the database-setup Job (service namespace) and the gateway's Redis-credentials CronJob (kong).
const databaseSetupJob = { type: 'kubernetes:batch/v1:Job', name: 'database-setup-job' };
const credentialsCronJob = { type: 'kubernetes:batch/v1:CronJob', name: 'gateway-redis-credentials-cronjob' };
const credentialsRole = { type: K8S.role, name: 'gateway-redis-credentials-role' };
const ingress = { type: K8S.ingress };
// The authorization server for MCP clients (issue 13): its Deployment, as the program names it.
const authorizationServerDeployment = { type: K8S.deployment, name: 'authorization-server-deployment' };
/** Sets (or adds) one env variable of every container of the workload. */
const setEnv = (name: string, value: (current: string | undefined) => string) => (p: Props) => {
  for (const container of containers(p)) {
    const env = (container.env ?? []) as Array<{ name: string; value?: string }>;
    const found = env.find((variable) => variable.name === name);
    if (found) found.value = value(found.value);
    else env.push({ name, value: value(undefined) });
    container.env = env;
  }
};
const subnet = { type: 'azure-native:network:Subnet', name: 'network-user-nodes' };

const aks: Mutation[] = [
  {
    id: 'aks-local-accounts-on',
    area: 'aks',
    description: 'ManagedCluster: disableLocalAccounts false (static admin kubeconfig)',
    stacks: ALL_STACKS,
    apply: change(cluster, (p) => {
      p.disableLocalAccounts = false;
    }),
  },
  {
    id: 'aks-rbac-off',
    area: 'aks',
    description: 'ManagedCluster: enableRBAC false',
    stacks: ALL_STACKS,
    apply: change(cluster, (p) => {
      p.enableRBAC = false;
    }),
  },
  {
    id: 'aks-azure-rbac-off',
    area: 'aks',
    description: 'ManagedCluster: Entra ID without Azure RBAC for Kubernetes authorization',
    stacks: ALL_STACKS,
    apply: change(cluster, (p) => {
      p.aadProfile.enableAzureRBAC = false;
    }),
  },
  {
    id: 'aks-public-api-no-ranges',
    area: 'aks',
    description: 'ManagedCluster: public API server without authorized IP ranges',
    stacks: ALL_STACKS,
    apply: change(cluster, (p) => {
      p.apiServerAccessProfile = { ...p.apiServerAccessProfile, enablePrivateCluster: false };
      delete p.apiServerAccessProfile.authorizedIPRanges;
    }),
  },
  {
    id: 'aks-api-ranges-whole-internet',
    area: 'aks',
    description: 'ManagedCluster: public API server with authorized ranges 0.0.0.0/1 + 128.0.0.0/1',
    stacks: ALL_STACKS,
    apply: change(cluster, (p) => {
      p.apiServerAccessProfile = {
        ...p.apiServerAccessProfile,
        enablePrivateCluster: false,
        authorizedIPRanges: ['0.0.0.0/1', '128.0.0.0/1'],
      };
    }),
  },
  {
    id: 'aks-private-public-fqdn',
    area: 'aks',
    description:
      'ManagedCluster: private cluster that publishes its API FQDN in public DNS (prod: the private cluster)',
    stacks: PROD_ONLY,
    apply: change(cluster, (p) => {
      p.apiServerAccessProfile.enablePrivateClusterPublicFQDN = true;
    }),
  },
  {
    id: 'aks-run-command-on',
    area: 'aks',
    description: 'ManagedCluster: run command enabled',
    stacks: ALL_STACKS,
    apply: change(cluster, (p) => {
      p.apiServerAccessProfile.disableRunCommand = false;
    }),
  },
  {
    id: 'aks-no-defender-prod',
    area: 'aks',
    description: 'ManagedCluster: no Microsoft Defender for Containers in prod',
    stacks: PROD_ONLY,
    apply: change(cluster, (p) => {
      delete p.securityProfile.defender;
    }),
  },
  {
    id: 'aks-free-tier-prod',
    area: 'aks',
    description: 'ManagedCluster: Free tier (no uptime SLA) in prod',
    stacks: PROD_ONLY,
    apply: change(cluster, (p) => {
      p.sku = { ...p.sku, tier: 'Free' };
    }),
  },
  {
    id: 'aks-network-policy-none',
    area: 'aks',
    description: 'ManagedCluster: network policy none (NetworkPolicies not enforced)',
    stacks: ALL_STACKS,
    apply: change(cluster, (p) => {
      p.networkProfile.networkPolicy = 'none';
    }),
  },
  {
    id: 'aks-no-workload-identity',
    area: 'aks',
    description: 'ManagedCluster: workload identity disabled',
    stacks: ALL_STACKS,
    apply: change(cluster, (p) => {
      p.securityProfile.workloadIdentity = { enabled: false };
    }),
  },
  {
    id: 'aks-node-public-ip',
    area: 'aks',
    description: 'ManagedCluster: agent pool nodes with public IPs',
    stacks: ALL_STACKS,
    apply: change(cluster, (p) => {
      for (const pool of p.agentPoolProfiles) pool.enableNodePublicIP = true;
    }),
  },
  {
    id: 'aks-no-encryption-at-host',
    area: 'aks',
    description: 'ManagedCluster: agent pools without encryption at host',
    stacks: ALL_STACKS,
    apply: change(cluster, (p) => {
      for (const pool of p.agentPoolProfiles) pool.enableEncryptionAtHost = false;
    }),
  },
  {
    id: 'aks-audit-diagnostics-dropped',
    area: 'aks',
    description: 'drop the diagnostic setting of the AKS cluster (no kube-audit logs)',
    stacks: ALL_STACKS,
    apply: drop(diagnostics('aks-diagnostics')),
  },
];

const keyVault: Mutation[] = [
  {
    id: 'keyvault-public-iprules-open',
    area: 'keyvault',
    description: 'Vault: public network access with ipRules 0.0.0.0/0',
    stacks: ALL_STACKS,
    apply: change(vault, (p) => {
      p.properties.publicNetworkAccess = 'Enabled';
      p.properties.networkAcls = { defaultAction: 'Deny', bypass: 'AzureServices', ipRules: [{ value: '0.0.0.0/0' }] };
    }),
  },
  {
    id: 'keyvault-default-action-allow',
    area: 'keyvault',
    description: "Vault: public network access with networkAcls defaultAction 'Allow'",
    stacks: ALL_STACKS,
    apply: change(vault, (p) => {
      p.properties.publicNetworkAccess = 'Enabled';
      p.properties.networkAcls = { defaultAction: 'Allow', bypass: 'AzureServices', ipRules: [] };
    }),
  },
  {
    id: 'keyvault-purge-protection-off',
    area: 'keyvault',
    description: 'Vault: purge protection off',
    stacks: ALL_STACKS,
    apply: change(vault, (p) => {
      p.properties.enablePurgeProtection = false;
    }),
  },
  {
    id: 'keyvault-access-policies',
    area: 'keyvault',
    description: 'Vault: access policies instead of Azure RBAC',
    stacks: ALL_STACKS,
    apply: change(vault, (p) => {
      p.properties.enableRbacAuthorization = false;
      p.properties.accessPolicies = [
        {
          tenantId: p.properties.tenantId,
          objectId: '50620331-15c5-4238-8dd3-5077fc9df59a',
          permissions: { secrets: ['all'] },
        },
      ];
    }),
  },
  {
    id: 'keyvault-private-endpoint-dropped',
    area: 'keyvault',
    description: 'drop the private endpoint of the Key Vault',
    stacks: ALL_STACKS,
    apply: drop(privateEndpoint('keyvault-pe')),
  },
  {
    id: 'keyvault-audit-diagnostics-dropped',
    area: 'keyvault',
    description: 'drop the audit diagnostic setting of the Key Vault',
    stacks: ALL_STACKS,
    apply: drop(diagnostics('keyvault-diagnostics')),
  },
];

const postgresMutations: Mutation[] = [
  {
    id: 'postgres-password-auth-prod',
    area: 'postgres',
    description: 'Server: password authentication enabled in prod',
    stacks: PROD_ONLY,
    apply: change(postgres, (p) => {
      p.authConfig.passwordAuth = 'Enabled';
    }),
  },
  {
    id: 'postgres-no-entra-auth',
    area: 'postgres',
    description: 'Server: Entra ID authentication disabled (passwords only)',
    stacks: ALL_STACKS,
    apply: change(postgres, (p) => {
      p.authConfig = { ...p.authConfig, activeDirectoryAuth: 'Disabled', passwordAuth: 'Enabled' };
    }),
  },
  {
    id: 'postgres-public-access',
    area: 'postgres',
    description: 'Server: public network access enabled',
    stacks: ALL_STACKS,
    apply: change(postgres, (p) => {
      p.network = { publicNetworkAccess: 'Enabled' };
    }),
  },
  {
    id: 'postgres-firewall-whole-internet',
    area: 'postgres',
    description: 'FirewallRule 0.0.0.0–255.255.255.255 on the server',
    stacks: ALL_STACKS,
    apply: add(postgres, (server) => {
      const type = AZURE_TYPES.postgresFirewallRule;
      const inputs = {
        resourceGroupName: server.inputs.resourceGroupName,
        serverName: server.inputs.serverName,
        firewallRuleName: 'allow-all',
        startIpAddress: '0.0.0.0',
        endIpAddress: '255.255.255.255',
      };
      return {
        type,
        name: 'postgres-allow-all',
        urn: siblingUrn(server, type, 'postgres-allow-all'),
        inputs,
        state: { ...inputs },
        dependencies: [server.urn],
        propertyDependencies: { serverName: [server.urn] },
      };
    }),
  },
  {
    id: 'postgres-secure-transport-off',
    area: 'postgres',
    description: 'Configuration require_secure_transport off',
    stacks: ALL_STACKS,
    apply: change({ type: AZURE_TYPES.postgresConfiguration, name: 'postgres-param-require-secure-transport' }, (p) => {
      p.value = 'off';
    }),
  },
  {
    id: 'postgres-tls-min-1.0',
    area: 'postgres',
    description: 'Configuration ssl_min_protocol_version TLSv1',
    stacks: ALL_STACKS,
    apply: change({ type: AZURE_TYPES.postgresConfiguration, name: 'postgres-param-ssl-min-protocol-version' }, (p) => {
      p.value = 'TLSv1';
    }),
  },
  {
    id: 'postgres-log-connections-dropped',
    area: 'postgres',
    description: 'drop the log_connections parameter (left to the server default)',
    stacks: ALL_STACKS,
    apply: drop({ type: AZURE_TYPES.postgresConfiguration, name: 'postgres-param-log-connections' }),
  },
  {
    id: 'postgres-geo-backup-off-prod',
    area: 'postgres',
    description: 'Server: geo-redundant backup disabled in prod',
    stacks: PROD_ONLY,
    apply: change(postgres, (p) => {
      p.backup.geoRedundantBackup = 'Disabled';
    }),
  },
  {
    id: 'postgres-ha-off-prod',
    area: 'postgres',
    description: 'Server: zone-redundant high availability disabled in prod',
    stacks: PROD_ONLY,
    apply: change(postgres, (p) => {
      p.highAvailability = { mode: 'Disabled' };
    }),
  },
  {
    id: 'postgres-audit-diagnostics-dropped',
    area: 'postgres',
    description: 'drop the diagnostic setting of the Postgres server',
    stacks: ALL_STACKS,
    apply: drop(diagnostics('postgres-diagnostics')),
  },
];

const redis: Mutation[] = [
  {
    id: 'redis-access-keys-on',
    area: 'redis',
    description: 'Database: access keys authentication enabled',
    stacks: ALL_STACKS,
    apply: change(redisDatabase, (p) => {
      p.accessKeysAuthentication = 'Enabled';
    }),
  },
  {
    id: 'redis-public',
    area: 'redis',
    description: 'RedisEnterprise: public network access enabled',
    stacks: ALL_STACKS,
    apply: change(redisCluster, (p) => {
      p.publicNetworkAccess = 'Enabled';
    }),
  },
  {
    id: 'redis-plaintext',
    area: 'redis',
    description: 'Database: plaintext client protocol (no TLS)',
    stacks: ALL_STACKS,
    apply: change(redisDatabase, (p) => {
      p.clientProtocol = 'Plaintext';
    }),
  },
  {
    id: 'redis-tls-1.0',
    area: 'redis',
    description: 'RedisEnterprise: minimum TLS version 1.0',
    stacks: ALL_STACKS,
    apply: change(redisCluster, (p) => {
      p.minimumTlsVersion = '1.0';
    }),
  },
  {
    id: 'redis-private-endpoint-dropped',
    area: 'redis',
    description: 'drop the private endpoint of Redis',
    stacks: ALL_STACKS,
    apply: drop(privateEndpoint('redis-pe')),
  },
  {
    id: 'redis-diagnostics-dropped',
    area: 'redis',
    description: 'drop the diagnostic setting of Redis',
    stacks: ALL_STACKS,
    apply: drop(diagnostics('redis-diagnostics')),
  },
];

const acr: Mutation[] = [
  {
    id: 'acr-admin-user-on',
    area: 'acr',
    description: 'Registry: admin user enabled',
    stacks: ALL_STACKS,
    apply: change(registry, (p) => {
      p.adminUserEnabled = true;
    }),
  },
  {
    id: 'acr-public-prod',
    area: 'acr',
    description: 'Registry: public network access in prod',
    stacks: PROD_ONLY,
    apply: change(registry, (p) => {
      p.publicNetworkAccess = 'Enabled';
    }),
  },
  {
    id: 'acr-diagnostics-dropped',
    area: 'acr',
    description: 'drop the diagnostic setting of the registry',
    stacks: ALL_STACKS,
    apply: drop(diagnostics('registry-diagnostics')),
  },
];

const network: Mutation[] = [
  {
    id: 'nsg-ssh-from-internet',
    area: 'network',
    description: 'NetworkSecurityGroup: allow * → 22 inbound',
    stacks: ALL_STACKS,
    apply: change({ type: AZURE_TYPES.networkSecurityGroup, name: 'network-nodes-nsg' }, (p) => {
      p.securityRules = [
        ...(p.securityRules ?? []),
        {
          name: 'allow-ssh',
          direction: 'Inbound',
          access: 'Allow',
          protocol: 'Tcp',
          sourceAddressPrefix: '*',
          sourcePortRange: '*',
          destinationAddressPrefix: '*',
          destinationPortRange: '22',
          priority: 110,
        },
      ];
    }),
  },
  {
    id: 'subnet-without-nsg',
    area: 'network',
    description: 'Subnet of the user nodes without a network security group',
    stacks: ALL_STACKS,
    apply: change(subnet, (p) => {
      delete p.networkSecurityGroup;
    }),
  },
  {
    id: 'subnet-default-outbound',
    area: 'network',
    description: 'Subnet of the user nodes with default outbound access',
    stacks: ALL_STACKS,
    apply: change(subnet, (p) => {
      p.defaultOutboundAccess = true;
    }),
  },
];

/** The cluster-admin grant of the admin group, given instead to the workload identity (as the engine records it). */
function clusterAdminToWorkload(records: readonly ResourceRecord[]): ResourceRecord[] {
  const workload = records.find(
    (record) => record.type === AZURE_TYPES.userAssignedIdentity && record.name === 'identity-workload',
  );
  if (!workload) throw new MutationTargetMissing('found no UserAssignedIdentity named identity-workload');
  return change({ type: AZURE_TYPES.roleAssignment, name: 'aks-rbac-cluster-admin-0' }, (p) => {
    p.principalType = 'ServicePrincipal';
    p.principalId = (workload.state?.principalId as string | undefined) ?? '33333333-3333-4333-8333-333333333333';
  })(records).map((record) =>
    record.name === 'aks-rbac-cluster-admin-0' && record.type === AZURE_TYPES.roleAssignment
      ? { ...record, propertyDependencies: { ...record.propertyDependencies, principalId: [workload.urn] } }
      : record,
  );
}

const identity: Mutation[] = [
  {
    id: 'role-cluster-admin-for-workload',
    area: 'identity',
    description:
      "RoleAssignment: AKS RBAC Cluster Admin for the service's workload identity (declared ServicePrincipal)",
    stacks: ALL_STACKS,
    apply: clusterAdminToWorkload,
  },
  {
    id: 'role-secrets-reader-outside-principal',
    area: 'identity',
    description: "RoleAssignment: the kubelet identity's AcrPull grant to a principal id from outside the stack",
    stacks: ALL_STACKS,
    apply: (records) =>
      change({ type: AZURE_TYPES.roleAssignment, name: 'registry-kubelet-acrpull' }, (p) => {
        p.principalId = '44444444-4444-4444-8444-444444444444';
      })(records).map((record) =>
        record.name === 'registry-kubelet-acrpull'
          ? { ...record, propertyDependencies: { ...record.propertyDependencies, principalId: [] } }
          : record,
      ),
  },
  {
    id: 'role-managed-identity-declared-group',
    area: 'identity',
    description: 'RoleAssignment: the AcrPull grant of the kubelet identity declared as a Group',
    stacks: ALL_STACKS,
    apply: change({ type: AZURE_TYPES.roleAssignment, name: 'registry-kubelet-acrpull' }, (p) => {
      p.principalType = 'Group';
    }),
  },
  {
    id: 'role-owner-at-subscription',
    area: 'identity',
    description: 'RoleAssignment: Owner at subscription scope for the kubelet operator grant',
    stacks: ALL_STACKS,
    apply: change({ type: AZURE_TYPES.roleAssignment, name: 'identity-cluster-kubelet-operator' }, (p) => {
      p.roleDefinitionId = roleId(OWNER);
      p.scope = SUBSCRIPTION;
    }),
  },
  {
    id: 'role-scope-subscription',
    area: 'identity',
    description: 'RoleAssignment: every grant at subscription scope',
    stacks: ALL_STACKS,
    apply: change({ type: AZURE_TYPES.roleAssignment }, (p) => {
      p.scope = SUBSCRIPTION;
    }),
  },
  {
    id: 'role-scope-resource-group',
    area: 'identity',
    description: 'RoleAssignment: the AcrPull grant at resource-group scope',
    stacks: ALL_STACKS,
    apply: change({ type: AZURE_TYPES.roleAssignment, name: 'registry-kubelet-acrpull' }, (p) => {
      p.scope = p.scope.replace(/\/providers\/Microsoft\.ContainerRegistry\/.*$/, '');
    }),
  },
  {
    id: 'role-keyvault-administrator',
    area: 'identity',
    description: 'RoleAssignment: Key Vault Administrator instead of AcrPull for the kubelet identity',
    stacks: ALL_STACKS,
    apply: change({ type: AZURE_TYPES.roleAssignment, name: 'registry-kubelet-acrpull' }, (p) => {
      p.roleDefinitionId = roleId(KEY_VAULT_ADMINISTRATOR);
    }),
  },
];

const tags: Mutation[] = [
  {
    id: 'tag-owner-dropped',
    area: 'tags',
    description: 'Vault: the owner tag dropped',
    stacks: ALL_STACKS,
    apply: change(vault, (p) => {
      delete p.tags.owner;
    }),
  },
  {
    id: 'tag-data-classification-dropped',
    area: 'tags',
    description: 'ManagedCluster: the data-classification tag dropped',
    stacks: ALL_STACKS,
    apply: change(cluster, (p) => {
      delete p.tags['data-classification'];
    }),
  },
];

const monitoring: Mutation[] = [
  {
    id: 'loganalytics-retention-short',
    area: 'monitoring',
    description: 'Workspace: retention 7 days',
    stacks: ALL_STACKS,
    apply: change(workspace, (p) => {
      p.retentionInDays = 7;
    }),
  },
  {
    id: 'loganalytics-local-auth-on',
    area: 'monitoring',
    description: 'Workspace: local (shared key) authentication enabled',
    stacks: ALL_STACKS,
    apply: change(workspace, (p) => {
      p.features = { ...p.features, disableLocalAuth: false };
    }),
  },
  {
    id: 'aks-monitoring-off',
    area: 'monitoring',
    description: 'ManagedCluster: no Container Insights (omsagent / azureMonitorProfile off)',
    stacks: ALL_STACKS,
    apply: change(cluster, (p) => {
      delete p.azureMonitorProfile;
      if (p.addonProfiles) delete p.addonProfiles.omsagent;
    }),
  },
];

const TAGGED_TYPES = new Set<string>([
  AZURE_TYPES.managedCluster,
  AZURE_TYPES.vault,
  AZURE_TYPES.postgresServer,
  AZURE_TYPES.redisEnterprise,
  AZURE_TYPES.containerRegistry,
  AZURE_TYPES.logAnalyticsWorkspace,
]);

const stackConfig: Mutation[] = [
  {
    id: 'prod-stack-with-dev-values',
    area: 'stack-config',
    description: 'prod stack deployed with the dev profile: environment tag dev, Free AKS tier, no geo backup, no HA',
    stacks: PROD_ONLY,
    apply: all(
      ...[...TAGGED_TYPES].map((type) =>
        change({ type }, (p) => {
          p.tags = { ...p.tags, environment: 'dev' };
        }),
      ),
      change(cluster, (p) => {
        p.sku = { ...p.sku, tier: 'Free' };
      }),
      change(postgres, (p) => {
        p.backup = { backupRetentionDays: 7, geoRedundantBackup: 'Disabled' };
        p.highAvailability = { mode: 'Disabled' };
      }),
    ),
  },
];

const kubernetes: Mutation[] = [
  {
    id: 'pod-privileged',
    area: 'kubernetes',
    description: 'Deployment: privileged container',
    stacks: ALL_STACKS,
    apply: change(serviceDeployment, (p) => {
      for (const container of containers(p)) container.securityContext.privileged = true;
    }),
  },
  {
    id: 'pod-run-as-root',
    area: 'kubernetes',
    description: 'Deployment: runAsNonRoot false, runAsUser 0',
    stacks: ALL_STACKS,
    apply: change(serviceDeployment, (p) => {
      for (const container of containers(p)) {
        container.securityContext.runAsNonRoot = false;
        container.securityContext.runAsUser = 0;
      }
      const spec = podSpec(p);
      if (spec.securityContext) {
        spec.securityContext.runAsNonRoot = false;
        spec.securityContext.runAsUser = 0;
      }
    }),
  },
  {
    id: 'pod-privilege-escalation',
    area: 'kubernetes',
    description: 'Deployment: allowPrivilegeEscalation true',
    stacks: ALL_STACKS,
    apply: change(serviceDeployment, (p) => {
      for (const container of containers(p)) container.securityContext.allowPrivilegeEscalation = true;
    }),
  },
  {
    id: 'pod-capabilities-kept',
    area: 'kubernetes',
    description: 'Deployment: capabilities not dropped, NET_ADMIN added',
    stacks: ALL_STACKS,
    apply: change(serviceDeployment, (p) => {
      for (const container of containers(p)) container.securityContext.capabilities = { add: ['NET_ADMIN'] };
    }),
  },
  {
    id: 'pod-writable-root',
    area: 'kubernetes',
    description: 'Deployment: writable root filesystem',
    stacks: ALL_STACKS,
    apply: change(serviceDeployment, (p) => {
      for (const container of containers(p)) container.securityContext.readOnlyRootFilesystem = false;
    }),
  },
  {
    id: 'pod-host-network',
    area: 'kubernetes',
    description: 'Deployment: hostNetwork true',
    stacks: ALL_STACKS,
    apply: change(serviceDeployment, (p) => {
      podSpec(p).hostNetwork = true;
    }),
  },
  {
    id: 'pod-host-path',
    area: 'kubernetes',
    description: 'Deployment: a hostPath volume of /',
    stacks: ALL_STACKS,
    apply: change(serviceDeployment, (p) => {
      const spec = podSpec(p);
      spec.volumes = [...(spec.volumes ?? []), { name: 'host', hostPath: { path: '/' } }];
    }),
  },
  {
    id: 'pod-image-by-tag',
    area: 'kubernetes',
    description: 'Deployment: image by mutable tag (:latest) instead of digest',
    stacks: ALL_STACKS,
    apply: change(serviceDeployment, (p) => {
      for (const container of containers(p)) container.image = container.image.replace(/@sha256:.*$/, ':latest');
    }),
  },
  {
    id: 'pod-image-other-registry',
    area: 'kubernetes',
    description: 'Deployment: image pulled from Docker Hub (pinned by digest)',
    stacks: ALL_STACKS,
    apply: change(serviceDeployment, (p) => {
      for (const container of containers(p)) {
        container.image = container.image.replace(/^[^/]+\//, 'docker.io/someone/');
      }
    }),
  },
  {
    id: 'pod-secret-in-env',
    area: 'kubernetes',
    description: 'Deployment: a literal DATABASE_PASSWORD in env',
    stacks: ALL_STACKS,
    apply: change(serviceDeployment, (p) => {
      const [container] = containers(p);
      container!.env = [...(container!.env ?? []), { name: 'DATABASE_PASSWORD', value: 'correct-horse-battery' }];
    }),
  },
  {
    id: 'pod-secret-key-ref-env',
    area: 'kubernetes',
    description: 'Deployment: env from a Kubernetes Secret (secretKeyRef)',
    stacks: ALL_STACKS,
    apply: change(serviceDeployment, (p) => {
      const [container] = containers(p);
      container!.env = [
        ...(container!.env ?? []),
        { name: 'REDIS_KEY', valueFrom: { secretKeyRef: { name: 'redis', key: 'primary' } } },
      ];
    }),
  },
  {
    id: 'pod-automount-token',
    area: 'kubernetes',
    description: 'Deployment: automountServiceAccountToken true',
    stacks: ALL_STACKS,
    apply: change(serviceDeployment, (p) => {
      podSpec(p).automountServiceAccountToken = true;
    }),
  },
  {
    id: 'serviceaccount-automount-token',
    area: 'kubernetes',
    description: 'ServiceAccount of the service: automountServiceAccountToken true',
    stacks: ALL_STACKS,
    apply: change({ type: K8S.serviceAccount, name: 'mcp-service-service-account' }, (p) => {
      p.automountServiceAccountToken = true;
    }),
  },
  {
    id: 'pod-no-resource-limits',
    area: 'kubernetes',
    description: 'Deployment: containers without resource limits',
    stacks: ALL_STACKS,
    apply: change(serviceDeployment, (p) => {
      for (const container of containers(p)) delete container.resources?.limits;
    }),
  },
  {
    id: 'pod-no-probes',
    area: 'kubernetes',
    description: 'Deployment of the service: no liveness, readiness or startup probe',
    stacks: ALL_STACKS,
    apply: change(serviceDeployment, (p) => {
      for (const container of containers(p)) {
        delete container.livenessProbe;
        delete container.readinessProbe;
        delete container.startupProbe;
      }
    }),
  },
  {
    id: 'ingress-no-tls',
    area: 'kubernetes',
    description: 'Ingress without TLS',
    stacks: ALL_STACKS,
    apply: change(ingress, (p) => {
      delete p.spec.tls;
    }),
  },
  {
    id: 'ingress-class-not-kong',
    area: 'kubernetes',
    description: 'Ingress with class nginx (bypasses the Kong gateway and its plugins)',
    stacks: ALL_STACKS,
    apply: change(ingress, (p) => {
      p.spec.ingressClassName = 'nginx';
    }),
  },
  {
    id: 'ingress-routes-metrics',
    area: 'kubernetes',
    description: 'Ingress routing /metrics to the metrics port of the service',
    stacks: ALL_STACKS,
    apply: change(ingress, (p) => {
      const [rule] = p.spec.rules;
      rule.http.paths.push({
        path: '/metrics',
        pathType: 'Exact',
        backend: { service: { name: 'mcp-server', port: { name: 'metrics' } } },
      });
    }),
  },
  {
    id: 'networkpolicy-default-deny-dropped',
    area: 'kubernetes',
    description: 'drop the default-deny NetworkPolicy of the service namespace',
    stacks: ALL_STACKS,
    apply: drop({ type: K8S.networkPolicy, name: 'network-policies-default-deny-mcp' }),
  },
  {
    id: 'namespace-pod-security-privileged',
    area: 'kubernetes',
    description: 'Namespace of the service: pod security admission enforce privileged',
    stacks: ALL_STACKS,
    apply: change({ type: K8S.namespace, name: 'namespaces-service' }, (p) => {
      p.metadata.labels['pod-security.kubernetes.io/enforce'] = 'privileged';
    }),
  },
  {
    id: 'job-privileged',
    area: 'kubernetes',
    description: 'Job (database setup): privileged container',
    stacks: ALL_STACKS,
    apply: change(databaseSetupJob, (p) => {
      for (const container of containers(p)) container.securityContext.privileged = true;
    }),
  },
  {
    id: 'job-secret-in-env',
    area: 'kubernetes',
    description: 'Job (database setup): a literal POSTGRES_ADMIN_PASSWORD in env',
    stacks: ALL_STACKS,
    apply: change(databaseSetupJob, (p) => {
      const [container] = containers(p);
      container!.env = [...(container!.env ?? []), { name: 'POSTGRES_ADMIN_PASSWORD', value: 'hunter2-hunter2' }];
    }),
  },
  {
    id: 'cronjob-run-as-root',
    area: 'kubernetes',
    description: 'CronJob (gateway Redis credentials): runAsNonRoot false, runAsUser 0',
    stacks: ALL_STACKS,
    apply: change(credentialsCronJob, (p) => {
      for (const container of containers(p)) {
        container.securityContext.runAsNonRoot = false;
        container.securityContext.runAsUser = 0;
      }
    }),
  },
  {
    id: 'cronjob-image-by-tag',
    area: 'kubernetes',
    description: 'CronJob (gateway Redis credentials): image by mutable tag instead of digest',
    stacks: ALL_STACKS,
    apply: change(credentialsCronJob, (p) => {
      for (const container of containers(p)) container.image = container.image.replace(/@sha256:.*$/, ':latest');
    }),
  },
  {
    id: 'role-escalate-bind',
    area: 'kubernetes',
    description: 'Role (gateway Redis credentials): escalate and bind on roles added',
    stacks: ALL_STACKS,
    apply: change(credentialsRole, (p) => {
      p.rules = [
        ...p.rules,
        { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['escalate', 'bind'] },
      ];
    }),
  },
  {
    id: 'role-wildcard',
    area: 'kubernetes',
    description: 'Role: wildcard verbs on every resource',
    stacks: ALL_STACKS,
    apply: change({ type: K8S.role }, (p) => {
      p.rules = [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }];
    }),
  },
];

const authorizationServer: Mutation[] = [
  {
    id: 'authorization-server-client-secret-upstream',
    area: 'kubernetes',
    description: 'Deployment (authorization server): the upstream authenticates with client_secret_post',
    stacks: ALL_STACKS,
    apply: change(
      authorizationServerDeployment,
      setEnv('AUTHORIZATION_SERVER_UPSTREAM', (current) =>
        JSON.stringify({ ...JSON.parse(current ?? '{}'), clientAuthentication: 'client_secret_post' }),
      ),
    ),
  },
  {
    id: 'authorization-server-dynamic-registration-on',
    area: 'kubernetes',
    description: 'Deployment (authorization server): dynamic client registration switched on in prod',
    stacks: PROD_ONLY,
    apply: change(
      authorizationServerDeployment,
      setEnv('AUTHORIZATION_SERVER_DYNAMIC_REGISTRATION', () => 'true'),
    ),
  },
  {
    id: 'authorization-server-issuer-http',
    area: 'kubernetes',
    description: 'Deployment (authorization server): an http issuer',
    stacks: ALL_STACKS,
    apply: change(
      authorizationServerDeployment,
      setEnv('AUTHORIZATION_SERVER_ISSUER', (current) => (current ?? '').replace(/^https:/, 'http:')),
    ),
  },
  {
    id: 'authorization-server-issuer-other-host',
    area: 'kubernetes',
    description: 'Deployment (authorization server): an issuer on another host than the MCP resource',
    stacks: ALL_STACKS,
    apply: change(
      authorizationServerDeployment,
      setEnv('AUTHORIZATION_SERVER_ISSUER', () => 'https://login.example.org'),
    ),
  },
  {
    id: 'authorization-server-mcp-service-account',
    area: 'kubernetes',
    description: "Deployment (authorization server): runs under the MCP server's service account",
    stacks: ALL_STACKS,
    apply: change(authorizationServerDeployment, (p) => {
      podSpec(p).serviceAccountName = 'mcp-server';
    }),
  },
];

export const mutationCatalogue: readonly Mutation[] = [
  ...aks,
  ...keyVault,
  ...postgresMutations,
  ...redis,
  ...acr,
  ...network,
  ...identity,
  ...tags,
  ...monitoring,
  ...stackConfig,
  ...kubernetes,
  ...authorizationServer,
];
