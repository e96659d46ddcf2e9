/**
 * Runs policies the way the Pulumi engine's analyzer does (node_modules/@pulumi/policy/server.js): resource
 * policies once per resource with its inputs, stack policies once with every resource; props behind the
 * unknown-checking proxy; undefined members dropped; enforcement level from config, else the policy, else the pack;
 * an UnknownValueError becomes an advisory "can't run during preview" diagnostic. There is no official harness
 * (pulumi-policy issues #12 and #445), so this is ours, for tests and `npm run policy:check`.
 */
import {
  type EnforcementLevel,
  type PolicyResource,
  type PolicyResourceOptions,
  type ResourceValidationArgs,
  type StackValidationArgs,
  UnknownValueError,
  unknownCheckingProxy,
} from '@pulumi/policy';
import type { SecurityPolicy } from './define';

/** A resource to evaluate: what a mocks run or a test registers. */
export interface ResourceRecord {
  type: string;
  name: string;
  urn: string;
  /** Inputs (resource policies) — and, when no `state` is given, what stack policies see. */
  inputs: Record<string, unknown>;
  /** Outputs, when known (stack policies see outputs). */
  state?: Record<string, unknown>;
  parent?: string;
  dependencies?: readonly string[];
  propertyDependencies?: Readonly<Record<string, readonly string[]>>;
}

/** Per-policy config as `pulumi preview --policy-pack-config` passes it. */
export type PackConfig = Record<string, { enforcementLevel?: EnforcementLevel; [key: string]: unknown } | undefined>;

export interface Violation {
  policyName: string;
  enforcementLevel: EnforcementLevel;
  severity: string;
  message: string;
  urn?: string;
}

export interface EvaluateOptions {
  config?: PackConfig;
  packEnforcementLevel?: EnforcementLevel;
  /** 'advisory' mimics the engine; 'throw' lets an UnknownValueError escape (tests prove policies never raise it). */
  unknownValues?: 'advisory' | 'throw';
}

class NotApplicableError extends Error {}

const DEFAULT_OPTIONS: PolicyResourceOptions = {
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
};

const SECRET_SIG_KEY = '4dabf18193072939515e22adb298388d';
const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';

/**
 * What the engine's deserializeProperties does to a property bag before policies see it: members whose value is
 * undefined are dropped, secrets (wire form under mocks) are unwrapped to plaintext.
 */
function dropUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropUndefined);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    if ((value as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG) {
      return dropUndefined((value as Record<string, unknown>).value);
    }
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(value)) {
      if (member !== undefined) out[key] = dropUndefined(member);
    }
    return out;
  }
  return value;
}

function engineProps(props: Record<string, unknown>): Record<string, unknown> {
  return unknownCheckingProxy(dropUndefined(props) as Record<string, unknown>);
}

function configFor(config: PackConfig, policyName: string): () => object {
  return () => {
    const { enforcementLevel: _ignored, ...rest } = config[policyName] ?? {};
    return rest;
  };
}

function throwNotApplicable(reason?: string): never {
  throw new NotApplicableError(reason ?? 'not applicable');
}

const noType = () => false;
const noResource = () => undefined;

export function buildResourceValidationArgs(
  record: ResourceRecord,
  getConfig: () => object,
  stackTags: ReadonlyMap<string, string> = new Map(),
): ResourceValidationArgs {
  const props = engineProps(record.inputs);
  return {
    type: record.type,
    name: record.name,
    urn: record.urn,
    props,
    opts: { ...DEFAULT_OPTIONS, ...(record.parent ? { parent: record.parent } : {}) },
    stackTags,
    // Our policies match by type token; class-based matching is out of scope of this harness.
    isType: noType,
    asType: noResource as ResourceValidationArgs['asType'],
    getConfig: getConfig as ResourceValidationArgs['getConfig'],
    notApplicable: throwNotApplicable,
  };
}

export function buildStackValidationArgs(
  records: readonly ResourceRecord[],
  getConfig: () => object,
  stackTags: ReadonlyMap<string, string> = new Map(),
): StackValidationArgs {
  const byUrn = new Map<string, PolicyResource>();
  const resources = records.map((record) => {
    const resource: PolicyResource = {
      type: record.type,
      name: record.name,
      urn: record.urn,
      props: engineProps(record.state ?? record.inputs),
      opts: { ...DEFAULT_OPTIONS, ...(record.parent ? { parent: record.parent } : {}) },
      dependencies: [],
      propertyDependencies: {},
      isType: noType,
      asType: noResource as PolicyResource['asType'],
    };
    byUrn.set(record.urn, resource);
    return resource;
  });
  records.forEach((record, index) => {
    const resource = resources[index]!;
    if (record.parent) resource.parent = byUrn.get(record.parent);
    resource.dependencies = (record.dependencies ?? []).flatMap((urn) => byUrn.get(urn) ?? []);
    for (const [key, urns] of Object.entries(record.propertyDependencies ?? {})) {
      resource.propertyDependencies[key] = urns.flatMap((urn) => byUrn.get(urn) ?? []);
    }
  });
  return {
    resources,
    stackTags,
    getConfig: getConfig as StackValidationArgs['getConfig'],
    notApplicable: throwNotApplicable,
  };
}

function enforcementOf(policy: SecurityPolicy, options: EvaluateOptions): EnforcementLevel {
  const level =
    options.config?.[policy.name]?.enforcementLevel ?? policy.enforcementLevel ?? options.packEnforcementLevel;
  // Remediation is not used by this pack; a remaining violation is reported as mandatory, like the engine does.
  return level === 'remediate' ? 'mandatory' : (level ?? 'advisory');
}

async function guarded(
  policy: SecurityPolicy,
  options: EvaluateOptions,
  violations: Violation[],
  urn: string | undefined,
  run: () => Promise<void> | void,
): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (error instanceof NotApplicableError) return;
    if (error instanceof UnknownValueError && options.unknownValues !== 'throw') {
      violations.push({
        policyName: policy.name,
        enforcementLevel: 'advisory',
        severity: policy.severity,
        message: `can't run policy '${policy.name}' during preview: ${(error as Error).message}`,
        urn,
      });
      return;
    }
    throw error;
  }
}

/** Every violation the pack reports for these resources: resource policies per resource, then stack policies. */
export async function evaluatePolicies(
  policies: readonly SecurityPolicy[],
  records: readonly ResourceRecord[],
  options: EvaluateOptions = {},
): Promise<Violation[]> {
  const config = options.config ?? {};
  const violations: Violation[] = [];
  for (const policy of policies) {
    const enforcementLevel = enforcementOf(policy, options);
    if (enforcementLevel === 'disabled') continue;
    const getConfig = configFor(config, policy.name);
    if (policy.kind === 'resource') {
      const validations = Array.isArray(policy.validateResource)
        ? policy.validateResource
        : policy.validateResource
          ? [policy.validateResource]
          : [];
      for (const record of records) {
        for (const validation of validations) {
          const report = (message: string) =>
            violations.push({
              policyName: policy.name,
              enforcementLevel,
              severity: policy.severity,
              message,
              urn: record.urn,
            });
          await guarded(policy, options, violations, record.urn, () =>
            validation(buildResourceValidationArgs(record, getConfig), report),
          );
        }
      }
    } else {
      const report = (message: string, urn?: string) =>
        violations.push({ policyName: policy.name, enforcementLevel, severity: policy.severity, message, urn });
      await guarded(policy, options, violations, undefined, () =>
        policy.validateStack(buildStackValidationArgs(records, getConfig), report),
      );
    }
  }
  return violations;
}

/** A URN the way the engine writes it, for resources built by hand. */
export function makeUrn(type: string, name: string, stack = 'test', project = 'secure-mcp-azure'): string {
  return `urn:pulumi:${stack}::${project}::${type}::${name}`;
}
