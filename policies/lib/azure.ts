/** Azure (azure-native v3) resource type tokens and helpers shared by the Azure policies. */
import { type ConfigDeclaration, stringListConfig } from './define';
import { asRecord, asString, isUnknown, type PropertyBag, UNKNOWN, type Unknown } from './values';

export const AZURE_TYPES = {
  managedCluster: 'azure-native:containerservice:ManagedCluster',
  agentPool: 'azure-native:containerservice:AgentPool',
  vault: 'azure-native:keyvault:Vault',
  privateEndpoint: 'azure-native:network:PrivateEndpoint',
  redisEnterprise: 'azure-native:redisenterprise:RedisEnterprise',
  redisDatabase: 'azure-native:redisenterprise:Database',
  postgresServer: 'azure-native:dbforpostgresql:Server',
  postgresConfiguration: 'azure-native:dbforpostgresql:Configuration',
  postgresFirewallRule: 'azure-native:dbforpostgresql:FirewallRule',
  containerRegistry: 'azure-native:containerregistry:Registry',
  logAnalyticsWorkspace: 'azure-native:operationalinsights:Workspace',
  diagnosticSetting: 'azure-native:monitor:DiagnosticSetting',
  networkSecurityGroup: 'azure-native:network:NetworkSecurityGroup',
  securityRule: 'azure-native:network:SecurityRule',
  roleAssignment: 'azure-native:authorization:RoleAssignment',
  federatedIdentityCredential: 'azure-native:managedidentity:FederatedIdentityCredential',
} as const;

/** Tracked Azure resources (they carry tags and a location); the default scope of the tag policy. */
export const TAGGABLE_AZURE_TYPES: readonly string[] = [
  'azure-native:resources:ResourceGroup',
  'azure-native:network:VirtualNetwork',
  'azure-native:network:NetworkSecurityGroup',
  'azure-native:network:PrivateEndpoint',
  'azure-native:network:PublicIPAddress',
  'azure-native:network:NatGateway',
  'azure-native:privatedns:PrivateZone',
  'azure-native:managedidentity:UserAssignedIdentity',
  'azure-native:containerservice:ManagedCluster',
  'azure-native:keyvault:Vault',
  'azure-native:redisenterprise:RedisEnterprise',
  'azure-native:dbforpostgresql:Server',
  'azure-native:containerregistry:Registry',
  'azure-native:operationalinsights:Workspace',
  'azure-native:storage:StorageAccount',
];

export const isType =
  (...types: readonly string[]) =>
  (type: string): boolean =>
    types.includes(type);

/** Tag keys compare loosely: "dataClassification", "data-classification" and "data_classification" are one key. */
export function normalizeTagKey(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** The value of a tag, matched loosely by key; UNKNOWN when the tags are not known yet. */
export function tagValue(props: PropertyBag, key: string): string | Unknown | undefined {
  if (isUnknown(props.tags)) return UNKNOWN;
  const tags = asRecord(props.tags);
  if (!tags) return undefined;
  const wanted = normalizeTagKey(key);
  for (const [name, value] of Object.entries(tags)) {
    if (normalizeTagKey(name) === wanted) return isUnknown(value) ? UNKNOWN : asString(value);
  }
  return undefined;
}

/** Config shared by the policies whose rule holds only in production environments. */
export interface ProductionScopeConfig {
  /** The tag carrying the environment name. */
  environmentTag: string;
  /** Environment names treated as production. */
  productionEnvironments: string[];
}

export const productionScopeConfig: ConfigDeclaration<ProductionScopeConfig> = {
  environmentTag: {
    type: 'string',
    description: 'The tag whose value names the environment of a resource.',
    default: 'environment',
  },
  productionEnvironments: stringListConfig('Environment tag values that are production: the rule applies to them.', [
    'prod',
    'production',
  ]),
};

/**
 * Whether the resource belongs to a production environment, by its environment tag (which the tag policy
 * requires). UNKNOWN when the tags are not known yet.
 */
export function isProduction(props: PropertyBag, config: ProductionScopeConfig): boolean | Unknown {
  const environment = tagValue(props, config.environmentTag);
  if (isUnknown(environment)) return UNKNOWN;
  if (environment === undefined) return false;
  return config.productionEnvironments.some((name) => name.toLowerCase() === environment.toLowerCase());
}

/** The node pools a resource declares: the inline pools of a cluster, or a standalone AgentPool. */
export function agentPoolsOf(type: string, props: PropertyBag): Array<{ name: string; pool: PropertyBag }> | Unknown {
  if (type === AZURE_TYPES.agentPool) {
    return [{ name: asString(props.agentPoolName) ?? asString(props.name) ?? '(agent pool)', pool: props }];
  }
  if (type !== AZURE_TYPES.managedCluster) return [];
  if (isUnknown(props.agentPoolProfiles)) return UNKNOWN;
  const pools = Array.isArray(props.agentPoolProfiles) ? props.agentPoolProfiles : [];
  return pools.flatMap((item, index) => {
    const pool = asRecord(item);
    return pool ? [{ name: asString(pool.name) ?? `#${index}`, pool }] : [];
  });
}

/** An AKS add-on profile, looked up case-insensitively (ARM accepts 'omsagent' and 'omsAgent'). */
export function addonProfile(props: PropertyBag, ...names: readonly string[]): PropertyBag | Unknown | undefined {
  if (isUnknown(props.addonProfiles)) return UNKNOWN;
  const addons = asRecord(props.addonProfiles);
  if (!addons) return undefined;
  const wanted = names.map((name) => name.toLowerCase());
  for (const [key, value] of Object.entries(addons)) {
    if (wanted.includes(key.toLowerCase())) return isUnknown(value) ? UNKNOWN : asRecord(value);
  }
  return undefined;
}
