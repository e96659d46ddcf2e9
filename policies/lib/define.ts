/**
 * How a policy of this pack is declared: the CrossGuard policy plus the metadata the checklist table is generated
 * from, typed configuration with defaults applied in code (so a pack run without config, a test and the engine all
 * see the same values), and a validation that reads resolved properties (see values.ts) instead of the engine proxy.
 * Kubernetes policies that judge workloads also declare a namespace scope (namespace-scope.ts): one config property,
 * `exemptNamespaces`, applied here for every policy alike.
 */
import type {
  EnforcementLevel,
  PolicyConfigSchema,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  Severity,
  StackValidationArgs,
  StackValidationPolicy,
} from '@pulumi/policy';
import type { PolicyConfigJSONSchema } from '@pulumi/policy/schema';
import type { ChecklistItemId } from '../checklist/items';
import {
  exemptNamespacesSchema,
  isExemptNamespace,
  type NamespaceScope,
  type NamespaceScopeConfig,
  type NamespaceScopeMetadata,
  scopeMetadataOf,
  scopeNamespaceOf,
} from './namespace-scope';
import { type PropertyBag, resolveProperties } from './values';

/** Metadata every policy carries besides CrossGuard's own fields. */
export interface SecurityPolicyMetadata {
  /** The checklist items (checklist/items.ts) this policy enforces. */
  checklist: readonly ChecklistItemId[];
  /** Public baselines that agree on the control (AKS baseline, Checkov ids, kube-score, PSS ...). */
  references: readonly string[];
  severity: Severity;
  remediationSteps: string;
  enforcementLevel: EnforcementLevel;
  /**
   * Kubernetes policies that judge workloads: the namespaces exempt by default (config `exemptNamespaces`) and why.
   * See namespace-scope.ts.
   */
  namespaceScope?: NamespaceScopeMetadata;
}

/**
 * The resources of a stack this policy would judge under its default config: the ones of the types it applies to,
 * outside its exempt namespaces. A policy with none judges nothing, and passes for that reason alone.
 */
export type SubjectsProbe = (resources: ReadonlyArray<Pick<CheckedResource, 'type' | 'name' | 'props'>>) => string[];

export type SecurityResourcePolicy = ResourceValidationPolicy &
  SecurityPolicyMetadata & { kind: 'resource'; subjectsIn: SubjectsProbe };
export type SecurityStackPolicy = StackValidationPolicy &
  SecurityPolicyMetadata & { kind: 'stack'; subjectsIn: SubjectsProbe };
export type SecurityPolicy = SecurityResourcePolicy | SecurityStackPolicy;

/** A resource as resource policies see it: its inputs, resolved. */
export interface CheckedResource {
  type: string;
  name: string;
  urn: string;
  props: PropertyBag;
}

/** A resource as stack policies see it: its outputs (inputs under mocks), resolved, with its relations. */
export interface StackResource extends CheckedResource {
  parentUrn?: string;
  dependencyUrns: readonly string[];
  propertyDependencyUrns: Readonly<Record<string, readonly string[]>>;
}

/** Config property declarations: the JSON schema the engine validates, each with its default. */
export type ConfigDeclaration<TConfig> = {
  [K in keyof TConfig]: PolicyConfigJSONSchema & { default: TConfig[K] & PolicyConfigJSONSchema['default'] };
};

interface CommonDefinition<TConfig> extends Omit<SecurityPolicyMetadata, 'enforcementLevel' | 'namespaceScope'> {
  name: string;
  description: string;
  /** Defaults to mandatory: these are security controls. */
  enforcementLevel?: EnforcementLevel;
  config?: ConfigDeclaration<TConfig>;
  /**
   * Scope the policy by namespace: adds the config property `exemptNamespaces` (default: the system namespaces plus
   * `exempt`), and objects in an exempt namespace are not judged (a resource policy skips them; a stack policy does
   * not see them). Declare it on every policy that judges workloads; never exempt the service's namespace.
   */
  namespaceScope?: NamespaceScope;
}

export interface ResourcePolicyDefinition<TConfig> extends CommonDefinition<TConfig> {
  /** Which resource types the policy applies to; others are skipped. */
  appliesTo: (type: string) => boolean;
  validate: (resource: CheckedResource, config: TConfig, report: (message: string) => void) => void;
}

export interface StackPolicyDefinition<TConfig> extends CommonDefinition<TConfig> {
  /** The resource types it reports on (what it judges): the checklist coverage counts them in a stack. */
  subjects: (type: string) => boolean;
  validate: (
    resources: readonly StackResource[],
    config: TConfig,
    report: (message: string, urn?: string) => void,
  ) => void;
}

type EmptyConfig = Record<string, never>;

type ConfigProperties = Record<string, PolicyConfigJSONSchema>;

/** Every config property of a policy: its own, plus `exemptNamespaces` when it is scoped by namespace. */
function configPropertiesOf<TConfig>(
  definition: CommonDefinition<TConfig>,
  scope: NamespaceScopeMetadata | undefined,
): ConfigProperties | undefined {
  const own = definition.config as ConfigProperties | undefined;
  if (!scope) return own;
  if (own && Object.hasOwn(own, 'exemptNamespaces')) {
    throw new Error(`${definition.name}: declare exemptNamespaces through namespaceScope, not as its own config`);
  }
  return { ...own, exemptNamespaces: exemptNamespacesSchema(scope) };
}

function configSchemaOf(properties: ConfigProperties | undefined): PolicyConfigSchema | undefined {
  return properties ? { properties } : undefined;
}

function defaultsOf<TConfig>(properties: ConfigProperties | undefined): TConfig {
  const defaults: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(properties ?? {})) defaults[key] = schema.default;
  return defaults as TConfig;
}

function scopeConfig(config: object): NamespaceScopeConfig {
  return config as NamespaceScopeConfig;
}

/** Config the engine passes (validated against the schema) over the declared defaults. */
function effectiveConfig<TConfig>(defaults: TConfig, given: object): TConfig {
  const merged: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const [key, value] of Object.entries(given)) {
    if (key !== 'enforcementLevel' && value !== undefined) merged[key] = value;
  }
  return merged as TConfig;
}

function tagsOf(definition: CommonDefinition<unknown>): string[] {
  return [...definition.checklist.map((id) => `checklist:${id}`), `severity:${definition.severity}`];
}

/** What every policy carries, resource or stack: the engine's fields and ours (checklist items, references). */
function metadataOf<TConfig>(
  definition: CommonDefinition<TConfig>,
  properties: ConfigProperties | undefined,
  scope: NamespaceScopeMetadata | undefined,
) {
  return {
    name: definition.name,
    description: definition.description,
    severity: definition.severity,
    enforcementLevel: definition.enforcementLevel ?? ('mandatory' as const),
    remediationSteps: definition.remediationSteps,
    checklist: definition.checklist,
    references: definition.references,
    tags: tagsOf(definition),
    configSchema: configSchemaOf(properties),
    ...(scope ? { namespaceScope: scope } : {}),
  };
}

function scopeOf<TConfig>(definition: CommonDefinition<TConfig>): NamespaceScopeMetadata | undefined {
  return definition.namespaceScope ? scopeMetadataOf(definition.name, definition.namespaceScope) : undefined;
}

export function defineResourcePolicy<TConfig extends object = EmptyConfig>(
  definition: ResourcePolicyDefinition<TConfig>,
): SecurityResourcePolicy {
  const scope = scopeOf(definition);
  const properties = configPropertiesOf(definition, scope);
  const defaults = defaultsOf<TConfig>(properties);
  return {
    kind: 'resource',
    ...metadataOf(definition, properties, scope),
    subjectsIn: subjectsProbe(definition.appliesTo, scope, defaults),
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
      if (!definition.appliesTo(args.type)) return;
      const config = effectiveConfig(defaults, args.getConfig<object>());
      const resource: CheckedResource = {
        type: args.type,
        name: args.name,
        urn: args.urn,
        props: resolveProperties(args.props),
      };
      if (
        scope &&
        isExemptNamespace(scopeConfig(config), scopeNamespaceOf(resource.type, resource.props, resource.name))
      ) {
        return;
      }
      definition.validate(resource, config, (message) => reportViolation(message));
    },
  };
}

export function defineStackPolicy<TConfig extends object = EmptyConfig>(
  definition: StackPolicyDefinition<TConfig>,
): SecurityStackPolicy {
  const scope = scopeOf(definition);
  const properties = configPropertiesOf(definition, scope);
  const defaults = defaultsOf<TConfig>(properties);
  return {
    kind: 'stack',
    ...metadataOf(definition, properties, scope),
    subjectsIn: subjectsProbe(definition.subjects, scope, defaults),
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
      const config = effectiveConfig(defaults, args.getConfig<object>());
      const all: StackResource[] = args.resources.map((resource) => ({
        type: resource.type,
        name: resource.name,
        urn: resource.urn,
        props: resolveProperties(resource.props),
        parentUrn: resource.parent?.urn,
        dependencyUrns: resource.dependencies.map((dependency) => dependency.urn),
        propertyDependencyUrns: Object.fromEntries(
          Object.entries(resource.propertyDependencies).map(([key, list]) => [key, list.map((d) => d.urn)]),
        ),
      }));
      // A scoped stack policy does not see the Kubernetes objects of exempt namespaces (Azure resources stay).
      const resources = scope
        ? all.filter(
            (resource) =>
              !isExemptNamespace(scopeConfig(config), scopeNamespaceOf(resource.type, resource.props, resource.name)),
          )
        : all;
      definition.validate(resources, config, (message, urn) => reportViolation(message, urn));
    },
  };
}

function subjectsProbe(
  judges: (type: string) => boolean,
  scope: NamespaceScopeMetadata | undefined,
  defaults: object,
): SubjectsProbe {
  return (resources) =>
    resources
      .filter(
        (resource) =>
          judges(resource.type) &&
          !(
            scope &&
            isExemptNamespace(scopeConfig(defaults), scopeNamespaceOf(resource.type, resource.props, resource.name))
          ),
      )
      .map((resource) => resource.name);
}

/** A list-of-strings config property. */
export function stringListConfig(
  description: string,
  defaults: string[],
): PolicyConfigJSONSchema & { default: string[] } {
  return { type: 'array', items: { type: 'string' }, description, default: defaults };
}
