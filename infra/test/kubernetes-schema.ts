/**
 * Strict schema validation of Kubernetes objects, for tests that run the Pulumi program under mocks:
 *
 *   for (const r of run.resources.filter((r) => r.type.startsWith('kubernetes:'))) {
 *     expect(validateKubernetesObject(unwrapSecrets(r.inputs) as KubernetesObject)).toEqual([]);
 *   }
 *
 * Strict means a field the schema does not declare is an error: the API server drops such a field (or rejects it
 * under `kubectl --validate=strict`), so a misspelt `imagePullPolcy` would otherwise vanish without a trace.
 *
 * - Built-in kinds (`BUILT_IN_KINDS`) use the validators that the `kubernetes-models` package precompiled from the
 *   Kubernetes OpenAPI spec (types, enums, int-or-string, quantity format, required fields). Those validators are
 *   not strict (the spec sets no `additionalProperties: false`) and the package ships no JSON schema to make strict,
 *   only compiled code. So the object is validated through a proxy that records which properties the validator
 *   reads: a compiled ajv validator reads every property its schema declares (`data.x !== undefined`) and enumerates
 *   the keys only of maps (`additionalProperties`). A key the validator never read is a key its schema does not
 *   declare, that is, an unknown field. An object it read nothing from is free-form (schema `type: object` alone).
 * - Custom resources use the CRD manifests vendored in `fixtures/crds/` (see its README): each served version's
 *   `openAPIV3Schema`, compiled with ajv after making it strict the way the API server prunes: unknown fields are
 *   errors except under `x-kubernetes-preserve-unknown-fields: true`; `x-kubernetes-int-or-string` is integer or
 *   string; `nullable` allows null. `metadata` is checked against the built-in ObjectMeta validator, as the API server
 *   does. Not checked: CEL rules (`x-kubernetes-validations`) and formats other than int32/int64/double/float/byte/
 *   date-time (the API server ignores unknown formats too).
 * - An apiVersion/kind without a schema is an error ("no schema for ..."), never a pass.
 *
 * Every schema is compiled once per process (built-ins at import, CRDs at first use).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validate as objectMeta } from '@kubernetes-models/apimachinery/_schemas/IoK8sApimachineryPkgApisMetaV1ObjectMeta';
import Ajv, { type ErrorObject, type Format, type ValidateFunction } from 'ajv';
import { validate as appsV1DaemonSet } from 'kubernetes-models/_schemas/IoK8sApiAppsV1DaemonSet';
import { validate as appsV1Deployment } from 'kubernetes-models/_schemas/IoK8sApiAppsV1Deployment';
import { validate as appsV1StatefulSet } from 'kubernetes-models/_schemas/IoK8sApiAppsV1StatefulSet';
import { validate as autoscalingV2HorizontalPodAutoscaler } from 'kubernetes-models/_schemas/IoK8sApiAutoscalingV2HorizontalPodAutoscaler';
import { validate as batchV1CronJob } from 'kubernetes-models/_schemas/IoK8sApiBatchV1CronJob';
import { validate as batchV1Job } from 'kubernetes-models/_schemas/IoK8sApiBatchV1Job';
import { validate as coreV1ConfigMap } from 'kubernetes-models/_schemas/IoK8sApiCoreV1ConfigMap';
import { validate as coreV1LimitRange } from 'kubernetes-models/_schemas/IoK8sApiCoreV1LimitRange';
import { validate as coreV1Namespace } from 'kubernetes-models/_schemas/IoK8sApiCoreV1Namespace';
import { validate as coreV1PersistentVolumeClaim } from 'kubernetes-models/_schemas/IoK8sApiCoreV1PersistentVolumeClaim';
import { validate as coreV1Pod } from 'kubernetes-models/_schemas/IoK8sApiCoreV1Pod';
import { validate as coreV1ResourceQuota } from 'kubernetes-models/_schemas/IoK8sApiCoreV1ResourceQuota';
import { validate as coreV1Secret } from 'kubernetes-models/_schemas/IoK8sApiCoreV1Secret';
import { validate as coreV1Service } from 'kubernetes-models/_schemas/IoK8sApiCoreV1Service';
import { validate as coreV1ServiceAccount } from 'kubernetes-models/_schemas/IoK8sApiCoreV1ServiceAccount';
import { validate as networkingV1Ingress } from 'kubernetes-models/_schemas/IoK8sApiNetworkingV1Ingress';
import { validate as networkingV1NetworkPolicy } from 'kubernetes-models/_schemas/IoK8sApiNetworkingV1NetworkPolicy';
import { validate as policyV1PodDisruptionBudget } from 'kubernetes-models/_schemas/IoK8sApiPolicyV1PodDisruptionBudget';
import { validate as rbacV1ClusterRole } from 'kubernetes-models/_schemas/IoK8sApiRbacV1ClusterRole';
import { validate as rbacV1ClusterRoleBinding } from 'kubernetes-models/_schemas/IoK8sApiRbacV1ClusterRoleBinding';
import { validate as rbacV1Role } from 'kubernetes-models/_schemas/IoK8sApiRbacV1Role';
import { validate as rbacV1RoleBinding } from 'kubernetes-models/_schemas/IoK8sApiRbacV1RoleBinding';
import { parseAllDocuments } from 'yaml';

export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  [key: string]: unknown;
}

/** The CRD manifests (YAML, as published upstream); every `*.yaml` here is loaded. */
const CRD_DIRECTORY = join(__dirname, 'fixtures', 'crds');

/** A validator precompiled by ajv's standalone mode, as `kubernetes-models` ships them (its .d.ts omits the rest). */
type CompiledValidator = ((data: unknown, context?: { instancePath?: string }) => boolean) & {
  errors?: ErrorObject[] | null;
};

const compiled = (validate: (data: unknown) => boolean) => validate as CompiledValidator;

/** `apiVersion/kind` -> validator from `kubernetes-models` (Kubernetes 1.36 API). */
const BUILT_IN_KINDS = new Map<string, CompiledValidator>([
  ['v1/ConfigMap', compiled(coreV1ConfigMap)],
  ['v1/LimitRange', compiled(coreV1LimitRange)],
  ['v1/Namespace', compiled(coreV1Namespace)],
  ['v1/PersistentVolumeClaim', compiled(coreV1PersistentVolumeClaim)],
  ['v1/Pod', compiled(coreV1Pod)],
  ['v1/ResourceQuota', compiled(coreV1ResourceQuota)],
  ['v1/Secret', compiled(coreV1Secret)],
  ['v1/Service', compiled(coreV1Service)],
  ['v1/ServiceAccount', compiled(coreV1ServiceAccount)],
  ['apps/v1/DaemonSet', compiled(appsV1DaemonSet)],
  ['apps/v1/Deployment', compiled(appsV1Deployment)],
  ['apps/v1/StatefulSet', compiled(appsV1StatefulSet)],
  ['autoscaling/v2/HorizontalPodAutoscaler', compiled(autoscalingV2HorizontalPodAutoscaler)],
  ['batch/v1/CronJob', compiled(batchV1CronJob)],
  ['batch/v1/Job', compiled(batchV1Job)],
  ['networking.k8s.io/v1/Ingress', compiled(networkingV1Ingress)],
  ['networking.k8s.io/v1/NetworkPolicy', compiled(networkingV1NetworkPolicy)],
  ['policy/v1/PodDisruptionBudget', compiled(policyV1PodDisruptionBudget)],
  ['rbac.authorization.k8s.io/v1/ClusterRole', compiled(rbacV1ClusterRole)],
  ['rbac.authorization.k8s.io/v1/ClusterRoleBinding', compiled(rbacV1ClusterRoleBinding)],
  ['rbac.authorization.k8s.io/v1/Role', compiled(rbacV1Role)],
  ['rbac.authorization.k8s.io/v1/RoleBinding', compiled(rbacV1RoleBinding)],
]);

const OBJECT_META = compiled(objectMeta);

/**
 * Validates one Kubernetes object (plain JSON, as Pulumi mocks give a resource's inputs after `unwrapSecrets`).
 * Returns human-readable errors, `path: problem`, sorted; empty when the object is valid.
 */
export function validateKubernetesObject(object: KubernetesObject): string[] {
  const problems: string[] = [];
  const data = toPlainData(object, [], problems);
  if (!isRecord(data)) return [`(root): must be an object (got ${describeValue(data)})`];
  const { apiVersion, kind } = data;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    return [
      `(root): apiVersion and kind must be strings (got apiVersion ${describeValue(apiVersion)}, kind ${describeValue(kind)})`,
    ];
  }
  const key = `${apiVersion}/${kind}`;
  const builtIn = BUILT_IN_KINDS.get(key);
  if (builtIn) return [...problems, ...validateTracked(builtIn, data, [], data)].sort();
  const custom = customResources().get(key);
  if (custom?.served) return [...problems, ...validateCustomResource(custom, data)].sort();
  return [noSchemaMessage(apiVersion, kind, custom)];
}

/** Every `apiVersion/kind` that has a schema (built-in and served CRD versions), sorted. */
export function knownKinds(): string[] {
  const crds = [...customResources()].filter(([, entry]) => entry.served).map(([key]) => key);
  return [...BUILT_IN_KINDS.keys(), ...crds].sort();
}

function noSchemaMessage(apiVersion: string, kind: string, custom: CustomResourceVersion | undefined): string {
  const prefix = `no schema for ${apiVersion} ${kind}`;
  if (custom) return `${prefix}: version ${custom.version} is not served by CRD ${custom.crdName} (${custom.file})`;
  const sameKind = knownKinds().filter((known) => known.endsWith(`/${kind}`));
  if (sameKind.length > 0) return `${prefix} (known: ${sameKind.join(', ')})`;
  return `${prefix} (not a built-in kind here, nor in a CRD under fixtures/crds; see knownKinds())`;
}

// ---------------------------------------------------------------------------------------------------------------
// Built-in kinds: the kubernetes-models validator plus read tracking for unknown fields.

interface ReadRecord {
  keys: Set<string>;
  enumerated: boolean;
}

/** Validates `data` with a compiled validator and reports both its errors and the fields it never read. */
function validateTracked(validate: CompiledValidator, data: unknown, at: Segment[], root: unknown): string[] {
  const reads = new WeakMap<object, ReadRecord>();
  const proxies = new WeakMap<object, object>();
  const wrap = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object') return value;
    const existing = proxies.get(value);
    if (existing) return existing;
    const record: ReadRecord = { keys: new Set(), enumerated: false };
    reads.set(value, record);
    const proxy = new Proxy(value, {
      get(target, key) {
        if (typeof key === 'string') record.keys.add(key);
        return wrap(Reflect.get(target, key));
      },
      has(target, key) {
        if (typeof key === 'string') record.keys.add(key);
        return Reflect.has(target, key);
      },
      ownKeys(target) {
        record.enumerated = true;
        return Reflect.ownKeys(target);
      },
    });
    proxies.set(value, proxy);
    return proxy;
  };

  validate(wrap(data), { instancePath: toInstancePath(at) });
  const errors = formatErrors(validate.errors ?? [], root);

  const walk = (value: unknown, path: Segment[]): void => {
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) walk(item, [...path, index]);
      return;
    }
    if (!isRecord(value)) return;
    const record = reads.get(value);
    // Never reached (under a field already reported) or free-form (its schema declares no properties).
    if (!record || (!record.enumerated && record.keys.size === 0)) return;
    for (const [key, child] of Object.entries(value)) {
      if (record.enumerated || record.keys.has(key)) walk(child, [...path, key]);
      else errors.push(unknownFieldMessage([...path, key], [...record.keys]));
    }
  };
  walk(data, at);
  return errors;
}

// ---------------------------------------------------------------------------------------------------------------
// Custom resources: CRD openAPIV3Schema made strict, compiled with ajv.

interface CustomResourceVersion {
  crdName: string;
  file: string;
  version: string;
  served: boolean;
  schema: JsonSchema;
  validate?: ValidateFunction;
  compileError?: string;
}

type JsonSchema = Record<string, unknown>;

let crdIndex: Map<string, CustomResourceVersion> | undefined;

function customResources(): Map<string, CustomResourceVersion> {
  crdIndex ??= loadCustomResourceDefinitions(CRD_DIRECTORY);
  return crdIndex;
}

function loadCustomResourceDefinitions(directory: string): Map<string, CustomResourceVersion> {
  const index = new Map<string, CustomResourceVersion>();
  for (const file of readdirSync(directory)
    .filter((name) => name.endsWith('.yaml'))
    .sort()) {
    for (const document of parseAllDocuments(readFileSync(join(directory, file), 'utf8'))) {
      if (document.errors.length > 0) throw new Error(`${file}: ${document.errors[0]?.message}`);
      const crd: unknown = document.toJS();
      if (crd === null || crd === undefined) continue;
      if (!isRecord(crd) || crd.apiVersion !== 'apiextensions.k8s.io/v1' || crd.kind !== 'CustomResourceDefinition') {
        throw new Error(`${file}: expected only apiextensions.k8s.io/v1 CustomResourceDefinition documents`);
      }
      const metadata = crd.metadata as { name: string };
      const spec = crd.spec as {
        group: string;
        names: { kind: string };
        versions: { name: string; served: boolean; schema?: { openAPIV3Schema?: JsonSchema } }[];
      };
      for (const version of spec.versions) {
        const key = `${spec.group}/${version.name}/${spec.names.kind}`;
        if (index.has(key)) throw new Error(`${file}: ${key} is also defined in ${index.get(key)?.file}`);
        const schema = version.schema?.openAPIV3Schema;
        if (!schema) throw new Error(`${file}: ${key} has no openAPIV3Schema`);
        index.set(key, { crdName: metadata.name, file, version: version.name, served: version.served, schema });
      }
    }
  }
  return index;
}

/** Formats the API server checks in CRD schemas that ajv can check the same way; others are dropped. */
const CRD_FORMATS: Record<string, Format> = {
  int32: { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n <= 2 ** 31 - 1 },
  int64: { type: 'number', validate: (n: number) => Number.isInteger(n) },
  float: { type: 'number', validate: () => true },
  double: { type: 'number', validate: () => true },
  byte: /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/,
  'date-time': /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/,
};

/** CRD patterns are Go (RE2) regular expressions: accept RE2's leading inline flags, e.g. `^(?i)(abort|warn)?$`. */
const goRegExp = Object.assign(
  (pattern: string, unicode: string) => {
    const inline = /^(\^?)\(\?([ims]+)\)/.exec(pattern);
    if (!inline) return new RegExp(pattern, unicode);
    const flags = [...new Set(inline[2])].join('');
    return new RegExp(inline[1] + pattern.slice(inline[0].length), unicode + flags);
  },
  { code: 'goRegExp' },
);

let crdAjv: Ajv | undefined;

function customResourceAjv(): Ajv {
  crdAjv ??= new Ajv({
    strict: false,
    allErrors: true,
    verbose: true,
    unicodeRegExp: false,
    formats: CRD_FORMATS,
    code: { regExp: goRegExp },
  });
  return crdAjv;
}

function validateCustomResource(entry: CustomResourceVersion, data: Record<string, unknown>): string[] {
  if (!entry.validate && !entry.compileError) {
    try {
      entry.validate = customResourceAjv().compile(strictSchema(entry.schema, 'root'));
    } catch (error) {
      entry.compileError = `cannot compile the ${entry.version} schema of ${entry.crdName}: ${(error as Error).message}`;
    }
  }
  if (!entry.validate) return [`(root): ${entry.compileError}`];
  const { metadata, ...rest } = data;
  const errors = metadata === undefined ? [] : validateTracked(OBJECT_META, metadata, ['metadata'], data);
  entry.validate(rest);
  return [...errors, ...formatErrors(entry.validate.errors ?? [], data)];
}

/**
 * The CRD schema as ajv should see it: strict where the API server prunes. `place` is `junction` under
 * allOf/anyOf/oneOf/not, where a structural schema only adds value checks (no additionalProperties there).
 */
function strictSchema(node: JsonSchema, place: 'root' | 'structural' | 'junction'): JsonSchema {
  const inner = place === 'junction' ? 'junction' : 'structural';
  const out: JsonSchema = {};
  for (const [keyword, value] of Object.entries(node)) {
    if (keyword === 'description' || keyword === 'nullable' || keyword.startsWith('x-kubernetes-')) continue;
    if (keyword === 'properties' && isRecord(value)) {
      out.properties = Object.fromEntries(
        Object.entries(value).map(([name, child]) => [name, strictSchema(child as JsonSchema, inner)]),
      );
    } else if ((keyword === 'items' || keyword === 'additionalProperties' || keyword === 'not') && isRecord(value)) {
      out[keyword] = strictSchema(value, keyword === 'not' ? 'junction' : inner);
    } else if ((keyword === 'allOf' || keyword === 'anyOf' || keyword === 'oneOf') && Array.isArray(value)) {
      out[keyword] = value.map((child) => strictSchema(child as JsonSchema, 'junction'));
    } else if (keyword === 'format') {
      if (typeof value === 'string' && value in CRD_FORMATS) out.format = value;
    } else {
      out[keyword] = value;
    }
  }
  if (node['x-kubernetes-int-or-string'] === true) {
    out.type = ['integer', 'string'];
    // The conventional `anyOf: [{type: integer}, {type: string}]` only repeats that.
    const anyOf = out.anyOf as JsonSchema[] | undefined;
    if (anyOf?.every((branch) => Object.keys(branch).length === 1 && 'type' in branch)) delete out.anyOf;
  }
  if (node.nullable === true) {
    if (out.type !== undefined) out.type = [...(Array.isArray(out.type) ? out.type : [out.type]), 'null'];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
  }
  if (place === 'root' || node['x-kubernetes-embedded-resource'] === true) {
    // Always allowed there; the root's metadata is validated as ObjectMeta separately.
    out.properties = { ...(out.properties as object), apiVersion: { type: 'string' }, kind: { type: 'string' } };
    (out.properties as JsonSchema).metadata = place === 'root' ? {} : { type: 'object' };
  }
  const isObject = out.type === 'object' || out.properties !== undefined;
  if (place !== 'junction' && isObject && out.additionalProperties === undefined) {
    if (node['x-kubernetes-preserve-unknown-fields'] !== true) out.additionalProperties = false;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Input normalisation and messages.

type Segment = string | number;

/** Pulumi's wire markers (as in harness.ts): a secret `{ [SIG_KEY]: ..., value }`; a value unknown in a preview. */
const PULUMI_SECRET_SIG_KEY = '4dabf18193072939515e22adb298388d';
const PULUMI_UNKNOWN_VALUE = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';

/** A deep copy as plain JSON data (undefined properties dropped, as Pulumi does); reports what is not JSON. */
function toPlainData(value: unknown, path: Segment[], problems: string[]): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) problems.push(`${formatPath(path)}: must be a finite number (got ${value})`);
    return value;
  }
  if (Array.isArray(value)) return value.map((item, index) => toPlainData(item, [...path, index], problems));
  if (typeof value === 'object') {
    if (PULUMI_SECRET_SIG_KEY in value) {
      problems.push(`${formatPath(path)}: a Pulumi secret in wire form; validate unwrapSecrets(inputs)`);
      return toPlainData((value as { value?: unknown }).value, path, problems);
    }
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) {
      problems.push(`${formatPath(path)}: not plain JSON data (a ${prototype?.constructor?.name ?? 'object'})`);
    }
    const copy: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      if (child !== undefined) copy[key] = toPlainData(child, [...path, key], problems);
    }
    return copy;
  }
  problems.push(`${formatPath(path)}: not a JSON value (got ${typeof value})`);
  return null;
}

function formatErrors(errors: ErrorObject[], root: unknown): string[] {
  const byPath = new Map<string, ErrorObject[]>();
  for (const error of errors) byPath.set(error.instancePath, [...(byPath.get(error.instancePath) ?? []), error]);
  const messages: string[] = [];
  for (const [instancePath, group] of byPath) {
    const path = fromInstancePath(instancePath);
    const value = valueAt(root, path);
    const where = formatPath(path);
    const junction = group.find((error) => error.keyword === 'oneOf' || error.keyword === 'anyOf');
    if (junction) {
      const branches = group.filter((error) => error.keyword !== 'oneOf' && error.keyword !== 'anyOf');
      messages.push(`${where}: ${describeAlternatives(branches, value)}`);
      continue;
    }
    for (const error of group) {
      const params = error.params as Record<string, unknown>;
      if (error.keyword === 'required') {
        messages.push(`${formatPath([...path, String(params.missingProperty)])}: required field is missing`);
      } else if (error.keyword === 'additionalProperties') {
        const declared = Object.keys((error.parentSchema?.properties as object | undefined) ?? {});
        messages.push(unknownFieldMessage([...path, String(params.additionalProperty)], declared));
      } else {
        messages.push(`${where}: ${describeProblem(error, value)}`);
      }
    }
  }
  return messages;
}

function describeProblem(error: ErrorObject, value: unknown): string {
  const params = error.params as Record<string, unknown>;
  const got = `(got ${describeValue(value)})`;
  switch (error.keyword) {
    case 'type':
      return `must be ${String(params.type).split(',').join(' or ')} ${got}`;
    case 'enum':
      return `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')} ${got}`;
    case 'const':
      return `must be ${JSON.stringify(params.allowedValue)} ${got}`;
    case 'format':
      return `must be in format "${String(params.format)}" ${got}`;
    case 'pattern':
      return `must match the pattern ${String(params.pattern)} ${got}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `must be ${String(params.comparison)} ${String(params.limit)} ${got}`;
    case 'minLength':
    case 'minItems':
    case 'minProperties':
      return `must have at least ${String(params.limit)} ${unitOf(error.keyword)} ${got}`;
    case 'maxLength':
    case 'maxItems':
    case 'maxProperties':
      return `must have at most ${String(params.limit)} ${unitOf(error.keyword)} ${got}`;
    default:
      return `${error.message ?? `fails "${error.keyword}" ${JSON.stringify(params)}`} ${got}`;
  }
}

function unitOf(keyword: string): string {
  if (keyword.endsWith('Length')) return 'characters';
  return keyword.endsWith('Items') ? 'items' : 'properties';
}

/**
 * oneOf/anyOf, in built-in schemas only int-or-string (`string | integer`) and quantity (`number | string` in format
 * "quantity"): one message saying what would have been accepted. A numeric format (int32) only bounds the integer.
 */
function describeAlternatives(branches: ErrorObject[], value: unknown): string {
  const types = new Set<string>();
  const others = new Set<string>();
  for (const error of branches) {
    const params = error.params as Record<string, unknown>;
    if (error.keyword === 'type') for (const type of String(params.type).split(',')) types.add(type);
    else if (error.keyword === 'format' && params.format === 'quantity') types.add('quantity');
    else if (error.keyword !== 'format' || !['int32', 'int64', 'float', 'double'].includes(String(params.format))) {
      others.add(describeProblem(error, value).replace(/ \(got .*\)$/s, ''));
    }
  }
  if (types.has('quantity')) {
    types.delete('quantity');
    types.delete('string');
    types.add('a quantity string such as "250m" or "1Gi"');
  }
  const accepted = [...(types.size > 0 ? [[...types].join(' or ')] : []), ...others];
  return `must be ${accepted.join(', or ')} (got ${describeValue(value)})`;
}

function unknownFieldMessage(path: Segment[], declared: string[]): string {
  const field = String(path.at(-1));
  const suggestion = closest(field, declared);
  return `${formatPath(path)}: unknown field${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`;
}

/** The declared field nearest to a misspelt one, if near enough (case-insensitive edit distance). */
function closest(field: string, declared: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(field.length / 3)) + 1;
  for (const candidate of declared) {
    const distance = editDistance(field.toLowerCase().replace(/_/g, ''), candidate.toLowerCase().replace(/_/g, ''));
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value === PULUMI_UNKNOWN_VALUE) return 'a value unknown until apply (a preview run)';
  if (typeof value === 'string')
    return `string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

/** `spec.template.spec.containers[0].ports[0].containerPort`; keys that are not identifiers as `["a.b/c"]`. */
function formatPath(path: Segment[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((segment, index) => {
      if (typeof segment === 'number') return `[${segment}]`;
      if (/^[A-Za-z_$][\w$]*$/.test(segment)) return index === 0 ? segment : `.${segment}`;
      return `[${JSON.stringify(segment)}]`;
    })
    .join('');
}

function toInstancePath(path: Segment[]): string {
  return path.map((segment) => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** JSON pointer segments back to keys; a segment is an index where the data there is an array. */
function fromInstancePath(instancePath: string): Segment[] {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The value at a path; also turns array-index segments into numbers, in place. */
function valueAt(root: unknown, path: Segment[]): unknown {
  let current = root;
  path.forEach((segment, index) => {
    if (Array.isArray(current)) {
      path[index] = Number(segment);
      current = current[Number(segment)];
    } else {
      current = isRecord(current) ? current[segment] : undefined;
    }
  });
  return current;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
