/**
 * How a policy of this pack is declared: the CrossGuard policy plus the metadata the checklist table is generated
 * from, typed configuration with defaults applied in code (so a pack run without config, a test and the engine all
 * see the same values), and a validation that reads resolved properties (see values.ts) instead of the engine proxy.
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
}

export type SecurityResourcePolicy = ResourceValidationPolicy & SecurityPolicyMetadata & { kind: 'resource' };
export type SecurityStackPolicy = StackValidationPolicy & SecurityPolicyMetadata & { kind: 'stack' };
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

interface CommonDefinition<TConfig> extends Omit<SecurityPolicyMetadata, 'enforcementLevel'> {
  name: string;
  description: string;
  /** Defaults to mandatory: these are security controls. */
  enforcementLevel?: EnforcementLevel;
  config?: ConfigDeclaration<TConfig>;
}

export interface ResourcePolicyDefinition<TConfig> extends CommonDefinition<TConfig> {
  /** Which resource types the policy applies to; others are skipped. */
  appliesTo: (type: string) => boolean;
  validate: (resource: CheckedResource, config: TConfig, report: (message: string) => void) => void;
}

export interface StackPolicyDefinition<TConfig> extends CommonDefinition<TConfig> {
  validate: (
    resources: readonly StackResource[],
    config: TConfig,
    report: (message: string, urn?: string) => void,
  ) => void;
}

type EmptyConfig = Record<string, never>;

function configSchemaOf<TConfig>(config: ConfigDeclaration<TConfig> | undefined): PolicyConfigSchema | undefined {
  if (!config) return undefined;
  return { properties: config as Record<string, PolicyConfigJSONSchema> };
}

function defaultsOf<TConfig>(config: ConfigDeclaration<TConfig> | undefined): TConfig {
  const defaults: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(config ?? {})) {
    defaults[key] = (schema as PolicyConfigJSONSchema).default;
  }
  return defaults as TConfig;
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
function metadataOf<TConfig>(definition: CommonDefinition<TConfig>) {
  return {
    name: definition.name,
    description: definition.description,
    severity: definition.severity,
    enforcementLevel: definition.enforcementLevel ?? ('mandatory' as const),
    remediationSteps: definition.remediationSteps,
    checklist: definition.checklist,
    references: definition.references,
    tags: tagsOf(definition),
    configSchema: configSchemaOf(definition.config),
  };
}

export function defineResourcePolicy<TConfig extends object = EmptyConfig>(
  definition: ResourcePolicyDefinition<TConfig>,
): SecurityResourcePolicy {
  const defaults = defaultsOf(definition.config);
  return {
    kind: 'resource',
    ...metadataOf(definition),
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
      if (!definition.appliesTo(args.type)) return;
      const config = effectiveConfig(defaults, args.getConfig<object>());
      const resource: CheckedResource = {
        type: args.type,
        name: args.name,
        urn: args.urn,
        props: resolveProperties(args.props),
      };
      definition.validate(resource, config, (message) => reportViolation(message));
    },
  };
}

export function defineStackPolicy<TConfig extends object = EmptyConfig>(
  definition: StackPolicyDefinition<TConfig>,
): SecurityStackPolicy {
  const defaults = defaultsOf(definition.config);
  return {
    kind: 'stack',
    ...metadataOf(definition),
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
      const config = effectiveConfig(defaults, args.getConfig<object>());
      const resources: StackResource[] = args.resources.map((resource) => ({
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
      definition.validate(resources, config, (message, urn) => reportViolation(message, urn));
    },
  };
}

/** A list-of-strings config property. */
export function stringListConfig(
  description: string,
  defaults: string[],
): PolicyConfigJSONSchema & { default: string[] } {
  return { type: 'array', items: { type: 'string' }, description, default: defaults };
}
