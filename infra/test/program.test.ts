import { beforeAll, describe, expect, it } from 'vitest';
import {
  APP_ROLES,
  AUTHORIZATION_SERVER,
  CLUSTER_NAMESPACES,
  DATABASE,
  MCP_SCOPES,
  OPERATIONS,
  SECRET_NAMES,
  WORKLOAD,
} from '../../service/src/contract';
import { type EnvironmentName, PROFILES } from '../../stacks';
import { BUILT_IN_ROLES } from '../azure/role-definitions';
import { REQUIRED_TAG_KEYS } from '../azure/tags';
import { AUTHORIZATION_SERVER_KEY_SECRETS } from '../kubernetes/layer';
import {
  isSecretWire,
  onlyResourceOfType,
  type ProgramRun,
  type RegisteredResource,
  resourcesOfType,
  runProgramUnderMocks,
  unwrapSecrets,
} from './harness';
import { MOCK_DEPLOYER_OBJECT_ID } from './mock-cloud';
import { runAllProfiles } from './program-runs';
import { findPlainSecrets } from './secret-scan';

const T = {
  resourceGroup: 'azure-native:resources:ResourceGroup',
  vnet: 'azure-native:network:VirtualNetwork',
  subnet: 'azure-native:network:Subnet',
  nsg: 'azure-native:network:NetworkSecurityGroup',
  privateEndpoint: 'azure-native:network:PrivateEndpoint',
  dnsZone: 'azure-native:privatedns:PrivateZone',
  dnsLink: 'azure-native:privatedns:VirtualNetworkLink',
  identity: 'azure-native:managedidentity:UserAssignedIdentity',
  federation: 'azure-native:managedidentity:FederatedIdentityCredential',
  roleAssignment: 'azure-native:authorization:RoleAssignment',
  cluster: 'azure-native:containerservice:ManagedCluster',
  vault: 'azure-native:keyvault:Vault',
  vaultSecret: 'azure-native:keyvault:Secret',
  redis: 'azure-native:redisenterprise:RedisEnterprise',
  redisDatabase: 'azure-native:redisenterprise:Database',
  redisAccess: 'azure-native:redisenterprise:AccessPolicyAssignment',
  postgres: 'azure-native:dbforpostgresql:Server',
  postgresDatabase: 'azure-native:dbforpostgresql:Database',
  postgresParameter: 'azure-native:dbforpostgresql:Configuration',
  postgresAdmin: 'azure-native:dbforpostgresql:AdministratorsMicrosoftEntra',
  registry: 'azure-native:containerregistry:Registry',
  workspace: 'azure-native:operationalinsights:Workspace',
  diagnostics: 'azure-native:monitor:DiagnosticSetting',
  application: 'azuread:index/application:Application',
  identifierUri: 'azuread:index/applicationIdentifierUri:ApplicationIdentifierUri',
  servicePrincipal: 'azuread:index/servicePrincipal:ServicePrincipal',
  kubernetesProvider: 'pulumi:providers:kubernetes',
} as const;

/** Azure resource types that have no tags property (child resources and RBAC objects). */
const UNTAGGABLE = new Set<string>([
  T.subnet,
  T.roleAssignment,
  T.diagnostics,
  T.federation,
  T.redisDatabase,
  T.redisAccess,
  T.postgresDatabase,
  T.postgresParameter,
  T.postgresAdmin,
  'azure-native:network:PrivateDnsZoneGroup',
  'azure-native:monitor:DataCollectionRuleAssociation',
  // A firewall policy's child: ARM gives it no tags.
  'azure-native:network:FirewallPolicyRuleCollectionGroup',
  // Governance: extension and child resources without tags.
  'azure-native:authorization:PolicyAssignment',
  'azure-native:authorization:ManagementLockByScope',
  'azure-native:containerservice:MaintenanceConfiguration',
]);

// biome-ignore lint/suspicious/noExplicitAny: test access to deeply nested engine inputs
type Loose = any;
const inputs = (resource: RegisteredResource): Loose => unwrapSecrets(resource.inputs);
const byName = (run: ProgramRun, type: string, name: string): RegisteredResource => {
  const found = resourcesOfType(run, type).find((r) => r.name === name);
  if (!found) throw new Error(`no ${type} named ${name}`);
  return found;
};
const roleOf = (assignment: RegisteredResource): string => {
  const id = String(inputs(assignment).roleDefinitionId).split('/').pop();
  const entry = Object.entries(BUILT_IN_ROLES).find(([, guid]) => guid === id);
  return entry ? entry[0] : `unknown:${id}`;
};

/** Whether the value at `path` is secret, i.e. it or one of its ancestors is in secret wire form. */
const isSecretAt = (value: unknown, path: string[]): boolean => {
  if (isSecretWire(value)) return true;
  const [head, ...rest] = path;
  if (head === undefined || typeof value !== 'object' || value === null) return false;
  return isSecretAt((value as Record<string, unknown>)[head], rest);
};

let runs: Record<EnvironmentName, ProgramRun>;
const environments: EnvironmentName[] = ['dev', 'staging', 'prod'];

beforeAll(async () => {
  runs = await runAllProfiles();
  for (const run of Object.values(runs))
    console.log(`[infra] ${run.stack}: ${run.resources.length} resources in ${run.durationMs.toFixed(0)} ms`);
});

describe.each(environments)('the %s stack', (env) => {
  it('registers the whole platform and exports every output the issue names', () => {
    const run = runs[env];
    // Workspaces: one, or two where the profile caps ingestion (infra/test/azure-monitoring.test.ts).
    for (const type of [T.resourceGroup, T.vnet, T.cluster, T.vault, T.redis, T.postgres, T.registry]) {
      expect(resourcesOfType(run, type), type).toHaveLength(1);
    }
    expect(Object.keys(run.outputs).sort()).toEqual(
      [
        'acrLoginServer',
        'clusterName',
        'environment',
        'keyVaultUri',
        'kubeconfig',
        'kubernetesNamespaces',
        'mcpEndpoint',
        'mcpResourceUrl',
        'oauthAudience',
        'oauthIssuerUrl',
        'oidcIssuerUrl',
        'postgresDatabase',
        'postgresHost',
        'redisHost',
        'redisPort',
        'resourceGroupName',
        'serviceImage',
        'workloadIdentityClientId',
      ].sort(),
    );
    const cluster = onlyResourceOfType(run, T.cluster);
    const workload = byName(run, T.identity, 'identity-workload');
    expect(run.outputs.environment).toBe(env);
    expect(run.outputs.oidcIssuerUrl).toBe((cluster.state.oidcIssuerProfile as Loose).issuerURL);
    expect(run.outputs.workloadIdentityClientId).toBe(workload.state.clientId);
    expect(run.outputs.postgresDatabase).toBe(DATABASE.name);
    expect(run.outputs.mcpResourceUrl).toBe(`https://mcp.${env}.example.com/mcp`);
    expect(run.outputs.keyVaultUri).toBe((onlyResourceOfType(run, T.vault).state.properties as Loose).vaultUri);
  });

  it('keeps every secret out of plain outputs and plain inputs', () => {
    const run = runs[env];
    expect(isSecretWire(run.outputs.kubeconfig)).toBe(true);
    expect(findPlainSecrets(run.outputs)).toEqual([]);
    const leaks = run.resources.flatMap((r) =>
      findPlainSecrets(r.inputs).map((path) => `${r.type} ${r.name}: ${path}`),
    );
    expect(leaks).toEqual([]);
    // The scan can see secrets at all: generated passwords exist and are wrapped.
    for (const password of resourcesOfType(run, 'random:index/randomPassword:RandomPassword')) {
      expect(isSecretWire(password.state.result)).toBe(true);
    }
  });

  it('tags every taggable Azure resource with environment, owner, cost center and data classification', () => {
    const run = runs[env];
    const taggable = run.resources.filter((r) => r.type.startsWith('azure-native:') && !UNTAGGABLE.has(r.type));
    expect(taggable.length).toBeGreaterThan(15);
    for (const resource of taggable) {
      const tags = inputs(resource).tags ?? {};
      expect(Object.keys(tags), `${resource.type} ${resource.name}`).toEqual(
        expect.arrayContaining([...REQUIRED_TAG_KEYS]),
      );
      expect(tags.environment).toBe(env);
      expect(tags['cost-center']).toBe('cc-1234');
    }
  });

  it('gets the kubeconfig from user credentials, never admin credentials', () => {
    const tokens = runs[env].invokes.map((invoke) => invoke.token);
    expect(tokens).toContain('azure-native:containerservice:listManagedClusterUserCredentials');
    expect(
      tokens.filter((token) => /AdminCredentials|listManagedClusterMonitoringUserCredentials/.test(token)),
    ).toEqual([]);
    const provider = onlyResourceOfType(runs[env], T.kubernetesProvider);
    expect(isSecretWire(provider.inputs.kubeconfig)).toBe(true);
  });
});

describe('network', () => {
  it('has node, private endpoint and delegated Postgres subnets, each behind an NSG, without default outbound access', () => {
    const run = runs.prod;
    const subnets = resourcesOfType(run, T.subnet).map(inputs);
    expect(subnets.map((s) => s.subnetName).sort()).toEqual(
      [
        'AzureFirewallSubnet',
        'snet-edge',
        'snet-ingress',
        'snet-postgres',
        'snet-private-endpoints',
        'snet-runners',
        'snet-system-nodes',
        'snet-user-nodes',
      ].sort(),
    );
    // Azure Firewall's subnet takes no NSG (ARM refuses one); every other subnet has its own.
    for (const subnet of subnets.filter((s) => s.subnetName !== 'AzureFirewallSubnet')) {
      expect(subnet.networkSecurityGroup?.id).toMatch(/Microsoft.Network\/networkSecurityGroups\//);
      expect(subnet.defaultOutboundAccess).toBe(false);
    }
    const postgres = subnets.find((s) => s.subnetName === 'snet-postgres');
    expect(postgres.delegations).toEqual([
      { name: 'postgres-flexible-server', serviceName: 'Microsoft.DBforPostgreSQL/flexibleServers' },
    ]);
  });

  it('only lets HTTPS (and HTTP-01) in from the Internet to public gateways, and nothing at all to private endpoints', () => {
    const run = runs.prod;
    const rules = (name: string) => inputs(byName(run, T.nsg, name)).securityRules as Loose[];
    const internetAllows = (r: ProgramRun) =>
      (inputs(byName(r, T.nsg, 'network-nodes-nsg')).securityRules as Loose[]).filter(
        (rule) => rule.access === 'Allow' && rule.direction === 'Inbound' && rule.sourceAddressPrefix === 'Internet',
      );
    // prod's nodes take nothing from the Internet (the WAF is the edge: infra/test/edge.test.ts).
    expect(internetAllows(run)).toEqual([]);
    expect(internetAllows(runs.dev).map((r) => r.destinationPortRanges)).toEqual([['80', '443']]);
    for (const name of ['network-private-endpoints-nsg', 'network-postgres-nsg']) {
      const allows = rules(name).filter((r) => r.access === 'Allow');
      expect(allows.every((r) => r.sourceAddressPrefix === 'VirtualNetwork')).toBe(true);
      expect(rules(name).some((r) => r.access === 'Deny' && r.sourceAddressPrefix === '*')).toBe(true);
    }
  });

  it('links private DNS zones for Key Vault, Redis and Postgres (and ACR where private) to the VNet', () => {
    const zoneNames = (run: ProgramRun) => resourcesOfType(run, T.dnsZone).map((z) => inputs(z).privateZoneName);
    expect(zoneNames(runs.dev)).toEqual(
      expect.arrayContaining(['privatelink.vaultcore.azure.net', 'privatelink.redis.azure.net']),
    );
    expect(zoneNames(runs.dev).some((n: string) => n.endsWith('.private.postgres.database.azure.com'))).toBe(true);
    expect(zoneNames(runs.dev)).not.toContain('privatelink.azurecr.io');
    expect(zoneNames(runs.prod)).toContain('privatelink.azurecr.io');
    const vnet = onlyResourceOfType(runs.prod, T.vnet);
    for (const link of resourcesOfType(runs.prod, T.dnsLink)) {
      expect(inputs(link).virtualNetwork.id).toBe(vnet.id);
      expect(inputs(link).registrationEnabled).toBe(false);
    }
  });
});

describe('identity and access', () => {
  it.each(environments)('grants exactly the least-privilege roles, each on one resource (%s)', (env) => {
    const run = runs[env];
    const id = (type: string, name?: string) => (name ? byName(run, type, name) : onlyResourceOfType(run, type)).id;
    const principal = (name: string) => byName(run, T.identity, name).state.principalId;
    const grants = resourcesOfType(run, T.roleAssignment).map((a) => ({
      role: roleOf(a),
      principal: inputs(a).principalId,
      scope: inputs(a).scope,
    }));
    // The node subnets, the subnet of Kong's internal load balancer, and (prod) the route table to the firewall.
    const subnetIds = [
      ...['network-system-nodes', 'network-user-nodes', 'network-ingress'].map((name) => id(T.subnet, name)),
      ...(PROFILES[env].edge.egressFirewall ? [id('azure-native:network:RouteTable')] : []),
    ];
    // The WAF's identity reads its certificate (prod).
    const edgeGrants = PROFILES[env].edge.waf ? 1 : 0;
    const secretId = (secretName: string) =>
      resourcesOfType(run, T.vaultSecret).find((secret) => inputs(secret).secretName === secretName)?.id;
    const workloadSecrets = PROFILES[env].postgres.passwordAuth ? [SECRET_NAMES.databasePassword] : [];
    expect(grants).toEqual(
      expect.arrayContaining([
        ...workloadSecrets.map((secretName) => ({
          role: 'keyVaultSecretsUser',
          principal: principal('identity-workload'),
          scope: secretId(secretName),
        })),
        // The setup Job sets the app role's password from the same secret, and reads nothing else.
        ...workloadSecrets.map((secretName) => ({
          role: 'keyVaultSecretsUser',
          principal: principal('identity-db-setup'),
          scope: secretId(secretName),
        })),
        // The authorization server reads its two key secrets, by secret, once its key Job created them; that Job
        // alone may write secrets (on the vault: they do not exist yet). It reads no password: its login is Entra's.
        ...AUTHORIZATION_SERVER_KEY_SECRETS.map((secretName) => ({
          role: 'keyVaultSecretsUser',
          principal: principal('identity-authorization-server'),
          scope: `${id(T.vault)}/secrets/${secretName}`,
        })),
        {
          role: 'keyVaultSecretsOfficer',
          principal: principal('identity-authorization-server-keys'),
          scope: id(T.vault),
        },
        { role: 'acrPull', principal: principal('identity-kubelet'), scope: id(T.registry) },
        {
          role: 'managedIdentityOperator',
          principal: principal('identity-cluster'),
          scope: id(T.identity, 'identity-kubelet'),
        },
        ...subnetIds.map((scope) => ({ role: 'networkContributor', principal: principal('identity-cluster'), scope })),
        { role: 'aksRbacClusterAdmin', principal: '11111111-1111-4111-8111-111111111111', scope: id(T.cluster) },
        // The deployer's standing admin grant only where the profile keeps it (dev).
        ...(PROFILES[env].aks.deployerClusterAdmin
          ? [{ role: 'aksRbacClusterAdmin', principal: MOCK_DEPLOYER_OBJECT_ID, scope: id(T.cluster) }]
          : []),
      ]),
    );
    const adminGrants = PROFILES[env].aks.deployerClusterAdmin ? 2 : 1;
    const authorizationServerGrants = AUTHORIZATION_SERVER_KEY_SECRETS.length + 1;
    expect(grants).toHaveLength(
      workloadSecrets.length * 2 + 2 + subnetIds.length + adminGrants + edgeGrants + authorizationServerGrants,
    );
    // The MCP pods hold no right on the authorization server's keys.
    for (const secretName of AUTHORIZATION_SERVER_KEY_SECRETS) {
      expect(grants.filter((g) => g.scope.endsWith(`/secrets/${secretName}`)).map((g) => g.principal)).toEqual([
        principal('identity-authorization-server'),
      ]);
    }
    // The gateway's Redis identity holds no Azure role at all (its Redis access is a data-plane access policy).
    expect(grants.filter((g) => g.principal === principal('identity-gateway-redis'))).toEqual([]);
    // No grant at subscription or resource-group scope.
    for (const grant of grants) expect(grant.scope).toMatch(/\/providers\//);
    // The workload identity reads its own secrets one by one, never the vault (the admin password lives there too).
    const workloadGrants = grants.filter((g) => g.principal === principal('identity-workload'));
    expect(workloadGrants.map((g) => g.role)).toEqual(workloadSecrets.map(() => 'keyVaultSecretsUser'));
    for (const grant of workloadGrants) expect(grant.scope).toMatch(/\/secrets\/[a-z-]+$/);
    expect(workloadGrants.map((g) => g.scope)).not.toContain(secretId(SECRET_NAMES.postgresAdminPassword));
  });

  it('federates each identity with exactly one service account of this cluster', () => {
    const run = runs.staging;
    const cluster = onlyResourceOfType(run, T.cluster);
    const federations = resourcesOfType(run, T.federation).map((f) => inputs(f));
    const expected = [
      ['identity-workload', `${WORKLOAD.namespace}:${WORKLOAD.serviceAccount}`],
      ['identity-db-setup', `${CLUSTER_NAMESPACES.service}:${OPERATIONS.databaseSetup.serviceAccount}`],
      ['identity-gateway-redis', `${CLUSTER_NAMESPACES.gateway}:${OPERATIONS.gatewayRedisCredentials.serviceAccount}`],
      ['identity-authorization-server', `${CLUSTER_NAMESPACES.service}:${AUTHORIZATION_SERVER.serviceAccount}`],
      [
        'identity-authorization-server-keys',
        `${CLUSTER_NAMESPACES.service}:${OPERATIONS.authorizationServerKeys.serviceAccount}`,
      ],
    ] as const;
    expect(federations).toHaveLength(expected.length);
    for (const [identity, account] of expected) {
      const federation = federations.find((f) => f.resourceName === byName(run, T.identity, identity).state.name);
      expect(federation, identity).toMatchObject({
        issuer: (cluster.state.oidcIssuerProfile as Loose).issuerURL,
        subject: `system:serviceaccount:${account}`,
        audiences: ['api://AzureADTokenExchange'],
      });
    }
  });
});

describe('AKS', () => {
  it.each(environments)('has every baseline security setting on (%s)', (env) => {
    const cluster = inputs(onlyResourceOfType(runs[env], T.cluster));
    expect(cluster.aadProfile).toMatchObject({ managed: true, enableAzureRBAC: true });
    expect(cluster.enableRBAC).toBe(true);
    expect(cluster.disableLocalAccounts).toBe(true);
    expect(cluster.oidcIssuerProfile).toEqual({ enabled: true });
    expect(cluster.securityProfile.workloadIdentity).toEqual({ enabled: true });
    expect(cluster.securityProfile.imageCleaner.enabled).toBe(true);
    expect(cluster.apiServerAccessProfile.disableRunCommand).toBe(true);
    expect(cluster.networkProfile).toMatchObject({
      networkPlugin: 'azure',
      networkPluginMode: 'overlay',
      networkPolicy: 'cilium',
      networkDataplane: 'cilium',
    });
    expect(cluster.identity.type).toBe('UserAssigned');
    expect(cluster.identityProfile.kubeletidentity.resourceId).toBe(
      byName(runs[env], T.identity, 'identity-kubelet').id,
    );
    expect(cluster.addonProfiles.azureKeyvaultSecretsProvider).toEqual({
      enabled: true,
      config: { enableSecretRotation: 'true', rotationPollInterval: '2m' },
    });
    expect(cluster.addonProfiles.azurepolicy.enabled).toBe(true);
    expect(cluster.addonProfiles.omsagent).toMatchObject({
      enabled: true,
      // Container Insights' workspace (the telemetry one where capped): infra/test/azure-monitoring.test.ts.
      config: { useAADAuth: 'true' },
    });
    expect(cluster.autoUpgradeProfile).toEqual({ upgradeChannel: 'patch', nodeOSUpgradeChannel: 'NodeImage' });

    const [system, user] = cluster.agentPoolProfiles;
    expect(system).toMatchObject({
      mode: 'System',
      nodeTaints: ['CriticalAddonsOnly=true:NoSchedule'],
      enableAutoScaling: true,
    });
    expect(user).toMatchObject({ mode: 'User', enableAutoScaling: true, enableNodePublicIP: false });
    expect(user.nodeTaints).toBeUndefined();
    expect(system.vnetSubnetID).toBe(byName(runs[env], T.subnet, 'network-system-nodes').id);
    expect(user.vnetSubnetID).toBe(byName(runs[env], T.subnet, 'network-user-nodes').id);
  });

  it('waits for the cluster identity grants on the subnets and the kubelet identity', () => {
    const run = runs.dev;
    const cluster = onlyResourceOfType(run, T.cluster);
    const grantUrns = resourcesOfType(run, T.roleAssignment)
      .filter((a) => a.name.startsWith('identity-'))
      .map((a) => a.urn);
    // Two node subnets, the ingress subnet, the kubelet identity.
    expect(grantUrns).toHaveLength(4);
    expect(cluster.dependencies).toEqual(expect.arrayContaining(grantUrns));
  });

  it('is private with the Standard tier, Defender and three zones in prod; public behind authorized ranges and Free in dev', () => {
    const prod = inputs(onlyResourceOfType(runs.prod, T.cluster));
    expect(prod.sku).toEqual({ name: 'Base', tier: 'Standard' });
    expect(prod.apiServerAccessProfile).toMatchObject({
      enablePrivateCluster: true,
      enablePrivateClusterPublicFQDN: false,
    });
    expect(prod.apiServerAccessProfile.authorizedIPRanges).toBeUndefined();
    expect(prod.securityProfile.defender.securityMonitoring).toEqual({ enabled: true });
    for (const pool of prod.agentPoolProfiles) {
      expect(pool.availabilityZones).toEqual(['1', '2', '3']);
      expect(pool.enableEncryptionAtHost).toBe(true);
    }
    expect(prod.agentPoolProfiles[0].minCount).toBe(PROFILES.prod.aks.systemPool.minCount);

    const dev = inputs(onlyResourceOfType(runs.dev, T.cluster));
    expect(dev.sku).toEqual({ name: 'Base', tier: 'Free' });
    expect(dev.apiServerAccessProfile).toMatchObject({
      enablePrivateCluster: false,
      authorizedIPRanges: ['203.0.113.10/32'],
    });
    expect(dev.securityProfile.defender).toBeUndefined();
    for (const pool of dev.agentPoolProfiles) expect(pool.availabilityZones).toBeUndefined();
    expect(dev.agentPoolProfiles[1].vmSize).toBe(PROFILES.dev.aks.userPool.vmSize);
  });

  it('refuses to expose a public API server to the whole Internet', async () => {
    await expect(
      runProgramUnderMocks({ stack: 'dev', config: { allowedIpRanges: JSON.stringify(['0.0.0.0/0']) } }),
    ).rejects.toThrow(/must not contain 0\.0\.0\.0\/0/);
  });
});

describe('Key Vault', () => {
  it.each(environments)(
    'uses RBAC, soft delete with purge protection, a private endpoint and audit logs (%s)',
    (env) => {
      const run = runs[env];
      const vault = onlyResourceOfType(run, T.vault);
      const properties = inputs(vault).properties;
      expect(properties).toMatchObject({
        enableRbacAuthorization: true,
        enableSoftDelete: true,
        enablePurgeProtection: true,
        softDeleteRetentionInDays: PROFILES[env].keyVault.softDeleteRetentionDays,
      });
      expect(properties.accessPolicies).toBeUndefined();
      expect(properties.networkAcls.defaultAction).toBe('Deny');
      const endpoint = inputs(byName(run, T.privateEndpoint, 'keyvault-pe'));
      expect(endpoint.privateLinkServiceConnections[0]).toMatchObject({
        privateLinkServiceId: vault.id,
        groupIds: ['vault'],
      });
      expect(endpoint.subnet.id).toBe(byName(run, T.subnet, 'network-private-endpoints').id);
      const diagnostics = inputs(byName(run, T.diagnostics, 'keyvault-diagnostics'));
      expect(diagnostics.resourceUri).toBe(vault.id);
      expect(diagnostics.workspaceId).toBe(byName(run, T.workspace, 'monitoring-workspace').id);
      expect(diagnostics.logs).toEqual([{ category: 'AuditEvent', enabled: true }]);
    },
  );

  it('closes public network access except for dev, which opens its firewall to the allowed ranges only', () => {
    const props = (env: EnvironmentName) => inputs(onlyResourceOfType(runs[env], T.vault)).properties;
    expect(props('prod').publicNetworkAccess).toBe('Disabled');
    expect(props('prod').networkAcls.ipRules).toEqual([]);
    expect(props('staging').publicNetworkAccess).toBe('Disabled');
    expect(props('dev').publicNetworkAccess).toBe('Enabled');
    expect(props('dev').networkAcls.ipRules).toEqual([{ value: '203.0.113.10/32' }]);
  });

  it('stores generated database passwords under the contract names, as secrets, where passwords exist', () => {
    const names = (env: EnvironmentName) => resourcesOfType(runs[env], T.vaultSecret).map((s) => inputs(s).secretName);
    expect(names('dev').sort()).toEqual([SECRET_NAMES.databasePassword, SECRET_NAMES.postgresAdminPassword].sort());
    expect(names('prod')).toEqual([]);
    for (const secret of resourcesOfType(runs.dev, T.vaultSecret)) {
      expect(isSecretAt(secret.inputs, ['properties', 'value'])).toBe(true);
    }
  });
});

describe('Azure Managed Redis', () => {
  it.each(environments)('is TLS-only, private and Entra-authenticated (%s)', (env) => {
    const run = runs[env];
    const cluster = onlyResourceOfType(run, T.redis);
    expect(inputs(cluster)).toMatchObject({ minimumTlsVersion: '1.2', publicNetworkAccess: 'Disabled' });
    expect(inputs(onlyResourceOfType(run, T.redisDatabase))).toMatchObject({
      clientProtocol: 'Encrypted',
      accessKeysAuthentication: 'Disabled',
    });
    // The service and Kong's rate limiter, each by its own identity; nobody else.
    const access = resourcesOfType(run, T.redisAccess).map((a) => inputs(a));
    expect(access.map((a) => a.user.objectId)).toEqual(
      ['identity-workload', 'identity-gateway-redis'].map((name) => byName(run, T.identity, name).state.principalId),
    );
    for (const assignment of access) expect(assignment.accessPolicyName).toBe('default');
    const endpoint = inputs(byName(run, T.privateEndpoint, 'redis-pe'));
    expect(endpoint.privateLinkServiceConnections[0]).toMatchObject({
      privateLinkServiceId: cluster.id,
      groupIds: ['redisEnterprise'],
    });
    expect(run.invokes.map((i) => i.token)).not.toContain('azure-native:redisenterprise:listDatabaseKeys');
  });

  it('is highly available across zones in prod and a single cheap node in dev', () => {
    expect(inputs(onlyResourceOfType(runs.prod, T.redis))).toMatchObject({
      highAvailability: 'Enabled',
      zones: ['1', '2', '3'],
      sku: { name: PROFILES.prod.redis.sku },
    });
    const dev = inputs(onlyResourceOfType(runs.dev, T.redis));
    expect(dev).toMatchObject({ highAvailability: 'Disabled', sku: { name: 'Balanced_B0' } });
    expect(dev.zones).toBeUndefined();
  });
});

describe('Postgres Flexible Server', () => {
  it.each(environments)('is reachable only through its delegated subnet, with TLS 1.2+ required (%s)', (env) => {
    const run = runs[env];
    const server = onlyResourceOfType(run, T.postgres);
    const zone = resourcesOfType(run, T.dnsZone).find((z) => String(inputs(z).privateZoneName).includes('postgres'));
    expect(inputs(server).network).toEqual({
      publicNetworkAccess: 'Disabled',
      delegatedSubnetResourceId: byName(run, T.subnet, 'network-postgres').id,
      privateDnsZoneArmResourceId: zone?.id,
    });
    // The server waits for the zone's VNet link, or its creation fails to resolve.
    const link = resourcesOfType(run, T.dnsLink).find((l) => l.parent === zone?.urn);
    expect(server.dependencies).toContain(link?.urn);
    const parameters = Object.fromEntries(
      resourcesOfType(run, T.postgresParameter).map((p) => [inputs(p).configurationName, inputs(p).value]),
    );
    expect(parameters).toMatchObject({ require_secure_transport: 'on', ssl_min_protocol_version: 'TLSv1.2' });
    expect(inputs(onlyResourceOfType(run, T.postgresDatabase)).databaseName).toBe(DATABASE.name);
    expect(inputs(server).authConfig.activeDirectoryAuth).toBe('Enabled');
    expect(inputs(server).backup.backupRetentionDays).toBe(PROFILES[env].postgres.backupRetentionDays);
  });

  it('has no password at all in prod, and the named Entra admin group', () => {
    const server = onlyResourceOfType(runs.prod, T.postgres);
    expect(inputs(server).authConfig.passwordAuth).toBe('Disabled');
    expect(server.inputs.administratorLogin).toBeUndefined();
    expect(server.inputs.administratorLoginPassword).toBeUndefined();
    const [group, setup, ...others] = resourcesOfType(runs.prod, T.postgresAdmin);
    expect(inputs(group as RegisteredResource)).toMatchObject({
      objectId: '22222222-2222-4222-8222-222222222222',
      principalName: 'mcp-db-admins',
      principalType: 'group',
    });
    // The setup Job's identity logs in by its resource name; ARM takes one administrator change at a time.
    const setupIdentity = byName(runs.prod, T.identity, 'identity-db-setup');
    expect(inputs(setup as RegisteredResource)).toMatchObject({
      objectId: setupIdentity.state.principalId,
      principalName: setupIdentity.state.name,
      principalType: 'servicePrincipal',
    });
    expect(setup?.dependencies).toContain(group?.urn);
    expect(others).toEqual([]);
  });

  it('keeps a generated, secret admin password in dev and makes the deployer its Entra admin', () => {
    const server = onlyResourceOfType(runs.dev, T.postgres);
    expect(inputs(server).authConfig.passwordAuth).toBe('Enabled');
    expect(isSecretWire(server.inputs.administratorLoginPassword)).toBe(true);
    const stored = resourcesOfType(runs.dev, T.vaultSecret).find(
      (s) => inputs(s).secretName === SECRET_NAMES.postgresAdminPassword,
    );
    expect(inputs(server).administratorLoginPassword).toBe(inputs(stored as RegisteredResource).properties.value);
    expect(inputs(byName(runs.dev, T.postgresAdmin, 'postgres-entra-admin')).objectId).toBe(MOCK_DEPLOYER_OBJECT_ID);
  });

  it('is zone-redundant with geo-redundant backups in prod, and a burstable single zone in dev', () => {
    const prod = inputs(onlyResourceOfType(runs.prod, T.postgres));
    expect(prod.highAvailability.mode).toBe('ZoneRedundant');
    expect(prod.backup).toEqual({ backupRetentionDays: 35, geoRedundantBackup: 'Enabled' });
    const dev = inputs(onlyResourceOfType(runs.dev, T.postgres));
    expect(dev.highAvailability.mode).toBe('Disabled');
    expect(dev.backup.geoRedundantBackup).toBe('Disabled');
    expect(dev.sku).toEqual({ name: PROFILES.dev.postgres.skuName, tier: 'Burstable' });
  });
});

describe('container registry', () => {
  it.each(environments)('has no admin user and no anonymous pull (%s)', (env) => {
    expect(inputs(onlyResourceOfType(runs[env], T.registry))).toMatchObject({
      adminUserEnabled: false,
      anonymousPullEnabled: false,
    });
  });

  it('is Premium and private in prod, public Basic in dev', () => {
    const prod = onlyResourceOfType(runs.prod, T.registry);
    expect(inputs(prod)).toMatchObject({
      sku: { name: 'Premium' },
      publicNetworkAccess: 'Disabled',
      zoneRedundancy: 'Enabled',
    });
    const endpoint = inputs(byName(runs.prod, T.privateEndpoint, 'registry-pe'));
    expect(endpoint.privateLinkServiceConnections[0]).toMatchObject({
      privateLinkServiceId: prod.id,
      groupIds: ['registry'],
    });
    expect(inputs(onlyResourceOfType(runs.dev, T.registry))).toMatchObject({
      sku: { name: 'Basic' },
      publicNetworkAccess: 'Enabled',
    });
    expect(resourcesOfType(runs.dev, T.privateEndpoint).map((e) => e.name)).not.toContain('registry-pe');
  });
});

describe('monitoring', () => {
  it.each(environments)('sends AKS audit, Key Vault, Postgres, Redis and ACR logs to the workspace (%s)', (env) => {
    const run = runs[env];
    const workspace = byName(run, T.workspace, 'monitoring-workspace');
    expect(inputs(workspace).retentionInDays).toBe(PROFILES[env].monitoring.retentionDays);
    expect(inputs(workspace).features.disableLocalAuth).toBe(true);
    const categories = (name: string) => {
      const setting = inputs(byName(run, T.diagnostics, name));
      expect(setting.workspaceId).toBe(workspace.id);
      return setting.logs.map((l: Loose) => l.category);
    };
    expect(categories('aks-diagnostics')).toEqual(expect.arrayContaining(['kube-audit-admin', 'guard']));
    expect(categories('aks-diagnostics')).not.toContain('kube-apiserver');
    expect(categories('keyvault-diagnostics')).toEqual(['AuditEvent']);
    expect(categories('postgres-diagnostics')).toContain('PostgreSQLLogs');
    expect(categories('redis-diagnostics')).toEqual(['ConnectionEvents']);
    expect(categories('registry-diagnostics')).toContain('ContainerRegistryLoginEvents');
  });
});

describe('Entra app registration', () => {
  it('exposes the contract scopes and app roles with v2 tokens, and an api:// identifier URI', () => {
    const run = runs.prod;
    const app = onlyResourceOfType(run, T.application);
    const api = inputs(app).api;
    expect(api.requestedAccessTokenVersion).toBe(2);
    expect(api.oauth2PermissionScopes.map((s: Loose) => s.value).sort()).toEqual(Object.values(MCP_SCOPES).sort());
    expect(
      inputs(app)
        .appRoles.map((r: Loose) => r.value)
        .sort(),
    ).toEqual(Object.values(APP_ROLES).sort());
    const ids = [...api.oauth2PermissionScopes, ...inputs(app).appRoles].map((x: Loose) => x.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(inputs(app).signInAudience).toBe('AzureADMyOrg');
    expect(inputs(onlyResourceOfType(run, T.identifierUri)).identifierUri).toBe(`api://${app.state.clientId}`);
    expect(run.outputs.oauthAudience).toBe(app.state.clientId);
    expect(run.outputs.oauthIssuerUrl).toMatch(/^https:\/\/login\.microsoftonline\.com\/[0-9a-f-]+\/v2\.0$/);
    expect(inputs(onlyResourceOfType(run, T.servicePrincipal)).appRoleAssignmentRequired).toBe(true);
    expect(inputs(onlyResourceOfType(runs.dev, T.servicePrincipal)).appRoleAssignmentRequired).toBe(false);
  });

  it('is skipped entirely when an external issuer is configured', async () => {
    const run = await runProgramUnderMocks({
      stack: 'dev',
      config: { authorizationServer: 'external', oauthIssuerUrl: 'https://issuer.example.com/realms/mcp' },
    });
    expect(run.resources.filter((r) => r.type.startsWith('azuread:'))).toEqual([]);
    expect(run.outputs.oauthIssuerUrl).toBe('https://issuer.example.com/realms/mcp');
    expect(run.outputs.oauthAudience).toBe('https://mcp.dev.example.com/mcp');
  });
});

describe('the program as a whole', () => {
  it('loads no azure-native root module at run time', () => {
    const loaded = Object.keys(require.cache).filter((path) => path.includes('@pulumi/azure-native'));
    expect(loaded.length).toBeGreaterThan(0);
    expect(loaded.filter((path) => /@pulumi\/azure-native\/index\.js$/.test(path))).toEqual([]);
  });

  it('fails fast with every configuration problem listed', async () => {
    await expect(
      runProgramUnderMocks({ stack: 'prod', config: { owner: undefined, postgresEntraAdmin: undefined } }),
    ).rejects.toThrow(/owner is required/);
  });
});
