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
  userAssignedIdentity: 'azure-native:managedidentity:UserAssignedIdentity',
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
  'azure-native:network:RouteTable',
  'azure-native:network:FlowLog',
  'azure-native:network:ApplicationGateway',
  'azure-native:network:WebApplicationFirewallPolicy',
  'azure-native:network:AzureFirewall',
  'azure-native:network:FirewallPolicy',
  'azure-native:privatedns:VirtualNetworkLink',
  'azure-native:monitor:ActivityLogAlert',
  'azure-native:monitor:MetricAlert',
  'azure-native:monitor:DataCollectionRule',
  'azure-native:monitor:ActionGroup',
  'azure-native:keyvault:Secret',
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

/**
 * Config shared by the policies whose rule holds only in production. What makes a resource production is decided by
 * something the program cannot write: the stack name the engine puts in every URN (`urn:pulumi:<stack>::...`),
 * matched against `productionStacks`, which is config of the pack (the policy group or `--policy-pack-config`), not
 * of the program. The environment tag can only widen the scope (a `prod`-tagged resource in any stack is judged as
 * production), never narrow it: `environment: dev` in `Pulumi.prod.yaml` still gets the production rules.
 */
export interface ProductionScopeConfig {
  /** Stack names (`*` matches any run of characters) whose resources are production, whatever their tags say. */
  productionStacks: string[];
  /** The tag carrying the environment name. */
  environmentTag: string;
  /** Environment names treated as production. */
  productionEnvironments: string[];
}

export const productionScopeConfig: ConfigDeclaration<ProductionScopeConfig> = {
  productionStacks: stringListConfig(
    'Stack names (from the URN the engine gives, `*` as a wildcard) whose resources are production whatever their environment tag says.',
    ['prod', 'prod-*', 'production', 'production-*'],
  ),
  environmentTag: {
    type: 'string',
    description:
      'The tag whose value names the environment of a resource (it can add to, never remove from, production).',
    default: 'environment',
  },
  productionEnvironments: stringListConfig('Environment tag values that are production: the rule applies to them.', [
    'prod',
    'production',
  ]),
};

/** The stack name in a URN the engine wrote (`urn:pulumi:<stack>::<project>::<type>::<name>`); undefined otherwise. */
export function stackNameOfUrn(urn: string): string | undefined {
  const match = /^urn:pulumi:([^:]+)::/.exec(urn);
  return match?.[1];
}

function matchesName(pattern: string, name: string): boolean {
  const escaped = pattern
    .toLowerCase()
    .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`).test(name.toLowerCase());
}

/** Whether the stack of this URN is a production stack by the pack's config (never by the program's). */
export function isProductionStack(urn: string, config: Pick<ProductionScopeConfig, 'productionStacks'>): boolean {
  const stack = stackNameOfUrn(urn);
  return stack !== undefined && (config.productionStacks ?? []).some((pattern) => matchesName(pattern, stack));
}

/** Whether an environment name (a tag value) names production. */
export function isProductionEnvironment(environment: string, config: ProductionScopeConfig): boolean {
  return config.productionEnvironments.some((name) => name.toLowerCase() === environment.toLowerCase());
}

/**
 * Whether the resource belongs to production: its stack (from its URN) is a production stack, or its environment tag
 * names production. UNKNOWN only when the stack is not production and the tags are not known yet.
 */
export function isProduction(
  resource: { urn: string; props: PropertyBag },
  config: ProductionScopeConfig,
): boolean | Unknown {
  if (isProductionStack(resource.urn, config)) return true;
  const environment = tagValue(resource.props, config.environmentTag);
  if (isUnknown(environment)) return UNKNOWN;
  if (environment === undefined) return false;
  return isProductionEnvironment(environment, config);
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
