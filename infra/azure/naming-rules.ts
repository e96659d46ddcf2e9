/**
 * ARM's naming rule for every azure-native resource type the program creates, as the Azure REST API specs state it
 * (github.com/Azure/azure-rest-api-specs, at the API version azure-native 3.28 uses for the type). Pulumi mocks echo
 * names back, so only this table lets a test see a name ARM would refuse (infra/test/naming.test.ts applies it to
 * every explicit name and to azure-native's auto-names).
 *
 * A new resource type needs a row here, or the naming test fails and says so. Take the path parameter that names the
 * resource from the spec file of the API version in `node_modules/@pulumi/azure-native/<module>/<type>.d.ts`
 * ("Uses Azure REST API version ..."): its `pattern`, `minLength` and `maxLength` (follow `$ref`s to common types).
 * Where the spec states none, write `pattern: null` and say so in `note`: ARM may still refuse names there, so
 * prefer short lowercase alphanumerics and hyphens.
 */

/** How azure-native names a resource whose name input is left out (provider/pkg/provider: getDefaultName). */
export type AutoNameStrategy =
  /** The logical name plus 8 random hex digits, no separator (`redis-access-0` -> `redis-access-07d2a1f3c`). */
  | 'random'
  /** A random UUID. */
  | 'uuid';

export interface ArmNamingRule {
  /** The ARM resource type, e.g. `Microsoft.KeyVault/vaults`. */
  armType: string;
  /** The azure-native input that carries the resource's own name (the last path parameter). */
  nameInput: string;
  autoName: AutoNameStrategy;
  /** The API version azure-native 3.28 uses for this type (checked against its .d.ts by the test). */
  apiVersion: string;
  /** The spec file (in Azure/azure-rest-api-specs) that defines the name parameter at that version. */
  spec: string;
  /** The name parameter's `pattern`, verbatim (ARM applies it unanchored unless it anchors itself); null: none. */
  pattern: string | null;
  minLength?: number;
  maxLength?: number;
  /** Whether the row was read from the spec file itself, or taken from a generated SDK of the same spec. */
  checked: 'spec file read' | 'generated SDK of the spec' | 'not read';
  note?: string;
}

const NETWORK_2024_05_01 = 'specification/network/resource-manager/Microsoft.Network/stable/2024-05-01';
const PRIVATE_DNS_2024_06_01 =
  'specification/privatedns/resource-manager/Microsoft.Network/stable/2024-06-01/privatedns.json';
const REDIS_2025_07_01 =
  'specification/redisenterprise/resource-manager/Microsoft.Cache/RedisEnterprise/stable/2025-07-01/redisenterprise.json';
const POSTGRES_2025_08_01 = 'specification/postgresql/resource-manager/Microsoft.DBforPostgreSQL/stable/2025-08-01';
const KEYVAULT_2024_11_01 = 'specification/keyvault/resource-manager/Microsoft.KeyVault/stable/2024-11-01';
const MSI_2023_01_31 =
  'specification/msi/resource-manager/Microsoft.ManagedIdentity/stable/2023-01-31/ManagedIdentity.json';

const networkRule = (armType: string, nameInput: string, file: string): ArmNamingRule => ({
  armType,
  nameInput,
  autoName: 'random',
  apiVersion: '2024-05-01',
  spec: `${NETWORK_2024_05_01}/${file}`,
  pattern: null,
  checked: 'not read',
  note: 'Microsoft.Network states no name pattern; the portal allows 1-80 letters, digits, _ . - (ending in a letter, digit or _).',
});

export const ARM_NAMING_RULES: Readonly<Record<string, ArmNamingRule>> = {
  'azure-native:resources:ResourceGroup': {
    armType: 'Microsoft.Resources/resourceGroups',
    nameInput: 'resourceGroupName',
    autoName: 'random',
    apiVersion: '2024-03-01',
    spec: 'specification/resources/resource-manager/Microsoft.Resources/stable/2024-03-01/resources.json',
    pattern: '^[-\\w\\._\\(\\)]+$',
    minLength: 1,
    maxLength: 90,
    checked: 'not read',
    note: 'The ResourceGroupNameParameter of common-types (pattern and 1-90 as in every resource-management version).',
  },
  'azure-native:managedidentity:UserAssignedIdentity': {
    armType: 'Microsoft.ManagedIdentity/userAssignedIdentities',
    nameInput: 'resourceName',
    autoName: 'random',
    apiVersion: '2023-01-31',
    spec: MSI_2023_01_31,
    pattern: null,
    checked: 'spec file read',
    note: 'ResourceNameParameter states no pattern.',
  },
  'azure-native:managedidentity:FederatedIdentityCredential': {
    armType: 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials',
    nameInput: 'federatedIdentityCredentialResourceName',
    autoName: 'random',
    apiVersion: '2023-01-31',
    spec: MSI_2023_01_31,
    pattern: '^[a-zA-Z0-9]{1}[a-zA-Z0-9-_]{2,119}$',
    minLength: 3,
    maxLength: 120,
    checked: 'spec file read',
  },
  'azure-native:keyvault:Vault': {
    armType: 'Microsoft.KeyVault/vaults',
    nameInput: 'vaultName',
    autoName: 'random',
    apiVersion: '2024-11-01',
    spec: `${KEYVAULT_2024_11_01}/keyvault.json`,
    pattern: '^[a-zA-Z0-9-]{3,24}$',
    minLength: 3,
    maxLength: 24,
    checked: 'spec file read',
  },
  'azure-native:keyvault:Secret': {
    armType: 'Microsoft.KeyVault/vaults/secrets',
    nameInput: 'secretName',
    autoName: 'random',
    apiVersion: '2024-11-01',
    spec: `${KEYVAULT_2024_11_01}/secrets.json`,
    pattern: '^[a-zA-Z0-9-]{1,127}$',
    minLength: 1,
    maxLength: 127,
    checked: 'spec file read',
  },
  'azure-native:containerregistry:Registry': {
    armType: 'Microsoft.ContainerRegistry/registries',
    nameInput: 'registryName',
    autoName: 'random',
    apiVersion: '2023-01-01-preview',
    spec: 'specification/containerregistry/resource-manager/Microsoft.ContainerRegistry/preview/2023-01-01-preview/containerregistry.json',
    pattern: '^[a-zA-Z0-9]*$',
    minLength: 5,
    maxLength: 50,
    checked: 'spec file read',
  },
  'azure-native:redisenterprise:RedisEnterprise': {
    armType: 'Microsoft.Cache/redisEnterprise',
    nameInput: 'clusterName',
    autoName: 'random',
    apiVersion: '2025-07-01',
    spec: REDIS_2025_07_01,
    pattern: '^(?=.{1,60}$)[A-Za-z0-9]+(-[A-Za-z0-9]+)*$',
    minLength: 1,
    maxLength: 60,
    checked: 'spec file read',
  },
  'azure-native:redisenterprise:Database': {
    armType: 'Microsoft.Cache/redisEnterprise/databases',
    nameInput: 'databaseName',
    autoName: 'random',
    apiVersion: '2025-07-01',
    spec: REDIS_2025_07_01,
    pattern: '^(?=.{1,60}$)[A-Za-z0-9]+(-[A-Za-z0-9]+)*$',
    minLength: 1,
    maxLength: 60,
    checked: 'spec file read',
  },
  'azure-native:redisenterprise:AccessPolicyAssignment': {
    armType: 'Microsoft.Cache/redisEnterprise/databases/accessPolicyAssignments',
    nameInput: 'accessPolicyAssignmentName',
    autoName: 'random',
    apiVersion: '2025-07-01',
    spec: REDIS_2025_07_01,
    pattern: '^[A-Za-z0-9]{1,60}$',
    minLength: 1,
    maxLength: 60,
    checked: 'spec file read',
    note: 'No hyphen: an auto-name (logical name with hyphens + 8 hex) is always refused.',
  },
  'azure-native:containerservice:ManagedCluster': {
    armType: 'Microsoft.ContainerService/managedClusters',
    nameInput: 'resourceName',
    autoName: 'random',
    apiVersion: '2025-09-01',
    spec: 'specification/containerservice/resource-manager/Microsoft.ContainerService/aks/stable/2025-09-01/managedClusters.json',
    pattern: '^[a-zA-Z0-9]$|^[a-zA-Z0-9][-_a-zA-Z0-9]{0,61}[a-zA-Z0-9]$',
    minLength: 1,
    maxLength: 63,
    checked: 'generated SDK of the spec',
  },
  'azure-native:dbforpostgresql:Server': {
    armType: 'Microsoft.DBforPostgreSQL/flexibleServers',
    nameInput: 'serverName',
    autoName: 'random',
    apiVersion: '2025-08-01',
    spec: `${POSTGRES_2025_08_01}/Servers.json (ServerNameParameter in specification/postgresql/resource-manager/types/common-types.json)`,
    pattern: '^[a-zA-Z0-9]+(-[a-zA-Z0-9]+)*',
    minLength: 3,
    maxLength: 63,
    checked: 'spec file read',
    note: 'The pattern has no trailing $: ARM checks the start only; the length bounds still apply.',
  },
  'azure-native:dbforpostgresql:AdministratorsMicrosoftEntra': {
    armType: 'Microsoft.DBforPostgreSQL/flexibleServers/administrators',
    nameInput: 'objectId',
    autoName: 'random',
    apiVersion: '2025-08-01',
    spec: `${POSTGRES_2025_08_01}/AdministratorsMicrosoftEntra.json`,
    pattern: null,
    checked: 'not read',
    note: "Named by the principal's object id (required input, never auto-named).",
  },
  'azure-native:dbforpostgresql:Configuration': {
    armType: 'Microsoft.DBforPostgreSQL/flexibleServers/configurations',
    nameInput: 'configurationName',
    autoName: 'random',
    apiVersion: '2025-08-01',
    spec: `${POSTGRES_2025_08_01}/Configurations.json`,
    pattern: null,
    checked: 'not read',
    note: 'The server parameter name itself (e.g. require_secure_transport); Postgres refuses unknown ones.',
  },
  'azure-native:dbforpostgresql:Database': {
    armType: 'Microsoft.DBforPostgreSQL/flexibleServers/databases',
    nameInput: 'databaseName',
    autoName: 'random',
    apiVersion: '2025-08-01',
    spec: `${POSTGRES_2025_08_01}/Databases.json`,
    pattern: null,
    checked: 'not read',
  },
  'azure-native:operationalinsights:Workspace': {
    armType: 'Microsoft.OperationalInsights/workspaces',
    nameInput: 'workspaceName',
    autoName: 'random',
    apiVersion: '2023-09-01',
    spec: 'specification/operationalinsights/resource-manager/Microsoft.OperationalInsights/stable/2023-09-01/Workspaces.json',
    pattern: '^[A-Za-z0-9][A-Za-z0-9-]+[A-Za-z0-9]$',
    minLength: 4,
    maxLength: 63,
    checked: 'not read',
    note: 'Pattern and length as the Log Analytics documentation states them; the 2023-09-01 file was not opened.',
  },
  'azure-native:authorization:RoleAssignment': {
    armType: 'Microsoft.Authorization/roleAssignments',
    nameInput: 'roleAssignmentName',
    autoName: 'uuid',
    apiVersion: '2022-04-01',
    spec: 'specification/authorization/resource-manager/Microsoft.Authorization/stable/2022-04-01/authorization-RoleAssignmentsCalls.json',
    pattern: null,
    checked: 'not read',
    note: 'The name is a GUID; azure-native generates one (uuid strategy).',
  },
  'azure-native:authorization:PolicyAssignment': {
    armType: 'Microsoft.Authorization/policyAssignments',
    nameInput: 'policyAssignmentName',
    autoName: 'random',
    apiVersion: '2025-01-01',
    spec: 'specification/resources/resource-manager/Microsoft.Authorization/policy/stable/2025-01-01/policyAssignments.json',
    pattern: '^[^<>*%&:\\?.+/]*[^<>*%&:\\?.+/ ]+$',
    checked: 'spec file read',
  },
  'azure-native:authorization:ManagementLockByScope': {
    armType: 'Microsoft.Authorization/locks',
    nameInput: 'lockName',
    autoName: 'random',
    apiVersion: '2020-05-01',
    spec: 'specification/resources/resource-manager/Microsoft.Authorization/locks/stable/2020-05-01/locks.json',
    pattern: '^[^<>%&:\\?/\\u0000-\\u001f]+$',
    maxLength: 260,
    checked: 'spec file read',
    note: 'Stated in prose: at most 260 characters, none of < > % & : \\ ? / or control characters.',
  },
  'azure-native:containerservice:MaintenanceConfiguration': {
    armType: 'Microsoft.ContainerService/managedClusters/maintenanceConfigurations',
    nameInput: 'configName',
    autoName: 'random',
    apiVersion: '2025-09-01',
    spec: 'specification/containerservice/resource-manager/Microsoft.ContainerService/aks/stable/2025-09-01/examples/MaintenanceConfigurationsCreate_Update_MaintenanceWindow.json',
    pattern: '^(default|aksManagedAutoUpgradeSchedule|aksManagedNodeOSUpgradeSchedule)$',
    checked: 'not read',
    note: 'Reserved names: AKS binds a window to an auto-upgrade channel by name (example above; the az CLI refuses any other name).',
  },
  'azure-native:monitor:DiagnosticSetting': {
    armType: 'Microsoft.Insights/diagnosticSettings',
    nameInput: 'name',
    autoName: 'random',
    apiVersion: '2021-05-01-preview',
    spec: 'specification/monitor/resource-manager/Microsoft.Insights/preview/2021-05-01-preview/diagnosticsSettings_API.json',
    pattern: null,
    checked: 'not read',
  },
  'azure-native:privatedns:PrivateZone': {
    armType: 'Microsoft.Network/privateDnsZones',
    nameInput: 'privateZoneName',
    autoName: 'random',
    apiVersion: '2024-06-01',
    spec: PRIVATE_DNS_2024_06_01,
    pattern: null,
    checked: 'not read',
    note: 'A DNS zone name (privatelink.*); an auto-name would not be the zone the service resolves.',
  },
  'azure-native:privatedns:VirtualNetworkLink': {
    armType: 'Microsoft.Network/privateDnsZones/virtualNetworkLinks',
    nameInput: 'virtualNetworkLinkName',
    autoName: 'random',
    apiVersion: '2024-06-01',
    spec: PRIVATE_DNS_2024_06_01,
    pattern: null,
    checked: 'not read',
  },
  'azure-native:network:VirtualNetwork': networkRule(
    'Microsoft.Network/virtualNetworks',
    'virtualNetworkName',
    'virtualNetwork.json',
  ),
  'azure-native:network:Subnet': networkRule(
    'Microsoft.Network/virtualNetworks/subnets',
    'subnetName',
    'virtualNetwork.json',
  ),
  'azure-native:network:NetworkSecurityGroup': networkRule(
    'Microsoft.Network/networkSecurityGroups',
    'networkSecurityGroupName',
    'networkSecurityGroup.json',
  ),
  'azure-native:network:PrivateEndpoint': networkRule(
    'Microsoft.Network/privateEndpoints',
    'privateEndpointName',
    'privateEndpoint.json',
  ),
  'azure-native:network:PrivateDnsZoneGroup': networkRule(
    'Microsoft.Network/privateEndpoints/privateDnsZoneGroups',
    'privateDnsZoneGroupName',
    'privateEndpoint.json',
  ),
  'azure-native:network:PublicIPAddress': networkRule(
    'Microsoft.Network/publicIPAddresses',
    'publicIpAddressName',
    'publicIpAddress.json',
  ),
  'azure-native:network:NatGateway': networkRule('Microsoft.Network/natGateways', 'natGatewayName', 'natGateway.json'),
  'azure-native:network:RouteTable': networkRule('Microsoft.Network/routeTables', 'routeTableName', 'routeTable.json'),
  'azure-native:network:AzureFirewall': networkRule(
    'Microsoft.Network/azureFirewalls',
    'azureFirewallName',
    'azureFirewall.json',
  ),
  'azure-native:network:FirewallPolicy': networkRule(
    'Microsoft.Network/firewallPolicies',
    'firewallPolicyName',
    'firewallPolicy.json',
  ),
  'azure-native:network:FirewallPolicyRuleCollectionGroup': networkRule(
    'Microsoft.Network/firewallPolicies/ruleCollectionGroups',
    'ruleCollectionGroupName',
    'firewallPolicy.json',
  ),
  'azure-native:network:ApplicationGateway': networkRule(
    'Microsoft.Network/applicationGateways',
    'applicationGatewayName',
    'applicationGateway.json',
  ),
  'azure-native:network:FlowLog': networkRule(
    'Microsoft.Network/networkWatchers/flowLogs',
    'flowLogName',
    'networkWatcher.json',
  ),
  'azure-native:network:WebApplicationFirewallPolicy': {
    ...networkRule(
      'Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies',
      'policyName',
      'webapplicationfirewall.json',
    ),
    maxLength: 128,
    checked: 'spec file read',
    note: 'The policyName path parameter: maxLength 128, no pattern.',
  },
  'azure-native:monitor:DataCollectionRule': {
    armType: 'Microsoft.Insights/dataCollectionRules',
    nameInput: 'dataCollectionRuleName',
    autoName: 'random',
    apiVersion: '2022-06-01',
    spec: 'specification/monitor/resource-manager/Microsoft.Insights/stable/2022-06-01/dataCollectionRules_API.json',
    pattern: null,
    checked: 'not read',
    note: 'No pattern stated for the rule name (reported from the 2022-06-01 spec by the monitoring change).',
  },
  'azure-native:monitor:DataCollectionRuleAssociation': {
    armType: 'Microsoft.Insights/dataCollectionRuleAssociations',
    nameInput: 'associationName',
    autoName: 'random',
    apiVersion: '2022-06-01',
    spec: 'specification/monitor/resource-manager/Microsoft.Insights/stable/2022-06-01/dataCollectionRuleAssociations_API.json',
    pattern: null,
    checked: 'not read',
    note: 'An extension resource on the cluster; no pattern stated.',
  },
  'azure-native:monitor:MetricAlert': {
    armType: 'Microsoft.Insights/metricAlerts',
    nameInput: 'ruleName',
    autoName: 'random',
    apiVersion: '2018-03-01',
    spec: 'specification/monitor/resource-manager/Microsoft.Insights/stable/2018-03-01/metricAlert_API.json',
    pattern: null,
    checked: 'not read',
    note: 'No pattern stated for the rule name.',
  },
  'azure-native:monitor:ActivityLogAlert': {
    armType: 'Microsoft.Insights/activityLogAlerts',
    nameInput: 'activityLogAlertName',
    autoName: 'random',
    apiVersion: '2020-10-01',
    spec: 'specification/monitor/resource-manager/Microsoft.Insights/stable/2020-10-01/activityLogAlerts_API.json',
    pattern: null,
    checked: 'not read',
  },
  'azure-native:storage:StorageAccount': {
    armType: 'Microsoft.Storage/storageAccounts',
    nameInput: 'accountName',
    autoName: 'random',
    apiVersion: '2024-01-01',
    spec: 'specification/storage/resource-manager/Microsoft.Storage/stable/2024-01-01/storage.json',
    pattern: '^[a-z0-9]+$',
    minLength: 3,
    maxLength: 24,
    checked: 'not read',
    note: 'Globally unique; lowercase letters and digits only, 3-24 (the accountName parameter).',
  },
};

/** The resource provider namespaces the program's types belong to (each must be registered on the subscription). */
export function resourceProviderNamespaces(types: Iterable<string>): string[] {
  const namespaces = new Set<string>();
  for (const type of types) {
    const rule = ARM_NAMING_RULES[type];
    if (rule) namespaces.add(rule.armType.split('/')[0] as string);
  }
  return [...namespaces].sort();
}

/** The name azure-native gives a resource whose name input is left out; `seedHex` stands for the random part. */
export function autoName(rule: ArmNamingRule, logicalName: string, seedHex = '0a1b2c3d'): string {
  if (rule.autoName === 'uuid') return `${seedHex.padEnd(8, '0').slice(0, 8)}-0000-4000-8000-000000000000`;
  return `${logicalName}${seedHex.padEnd(8, '0').slice(0, 8)}`;
}

/** Why ARM would refuse `name` under `rule`, or undefined when it passes. */
export function armNameProblem(rule: ArmNamingRule, name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (rule.minLength !== undefined && name.length < rule.minLength) return `is shorter than ${rule.minLength}`;
  if (rule.maxLength !== undefined && name.length > rule.maxLength) return `is longer than ${rule.maxLength}`;
  if (rule.pattern !== null && !new RegExp(rule.pattern).test(name)) return `does not match ${rule.pattern}`;
  return undefined;
}
