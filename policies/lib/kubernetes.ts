/**
 * Kubernetes objects as CrossGuard sees them. Objects registered directly with @pulumi/kubernetes and the children of
 * `kubernetes:yaml/v2:ConfigGroup` or `kubernetes:helm.sh/v4:Chart` all register as `kubernetes:<group>/<version>:<Kind>`
 * (core group written `core`), custom resources included, so policies recognise them by type token alone.
 */
import {
  asArray,
  asNumber,
  asRecord,
  asString,
  at,
  isUnknown,
  type PropertyBag,
  UNKNOWN,
  type Unknown,
} from './values';

export interface KubernetesType {
  /** '' for the core group. */
  group: string;
  version: string;
  kind: string;
}

/** Component and provider tokens under the kubernetes package that are not API objects. */
const NOT_OBJECTS = /^kubernetes:(helm\.sh|yaml|kustomize)\//;

export function parseKubernetesType(type: string): KubernetesType | undefined {
  if (!type.startsWith('kubernetes:') || NOT_OBJECTS.test(type)) return undefined;
  const match = /^kubernetes:([^:]+):([A-Za-z0-9]+)$/.exec(type);
  if (!match) return undefined;
  const groupVersion = match[1] ?? '';
  const kind = match[2] ?? '';
  // Patch and List variants are not objects a policy should judge as whole objects.
  if (kind.endsWith('Patch') || kind.endsWith('List')) return undefined;
  const slash = groupVersion.lastIndexOf('/');
  const group = slash === -1 ? '' : groupVersion.slice(0, slash);
  const version = slash === -1 ? groupVersion : groupVersion.slice(slash + 1);
  return { group: group === 'core' ? '' : group, version, kind };
}

export function isKind(type: string, kind: string, group?: string): boolean {
  const parsed = parseKubernetesType(type);
  return parsed !== undefined && parsed.kind === kind && (group === undefined || parsed.group === group);
}

export const isKindOf =
  (...kinds: ReadonlyArray<{ kind: string; group: string }>) =>
  (type: string): boolean =>
    kinds.some((k) => isKind(type, k.kind, k.group));

/** Kinds that carry a pod template, with the group each lives in. */
export const WORKLOAD_KINDS = [
  { kind: 'Pod', group: '' },
  { kind: 'ReplicationController', group: '' },
  { kind: 'Deployment', group: 'apps' },
  { kind: 'StatefulSet', group: 'apps' },
  { kind: 'DaemonSet', group: 'apps' },
  { kind: 'ReplicaSet', group: 'apps' },
  { kind: 'Job', group: 'batch' },
  { kind: 'CronJob', group: 'batch' },
] as const;

export const isWorkload = isKindOf(...WORKLOAD_KINDS);

/** Long-running, replicated workloads: the ones that need probes, replicas, spread, disruption budgets. */
export const isServingWorkload = isKindOf(
  { kind: 'Deployment', group: 'apps' },
  { kind: 'StatefulSet', group: 'apps' },
);

export interface PodTemplate {
  kind: string;
  /** metadata.name of the workload, or the Pulumi resource name when auto-named. */
  name: string;
  namespace: string;
  labels: Record<string, string> | Unknown;
  spec: PropertyBag | Unknown | undefined;
}

export function namespaceOf(props: PropertyBag): string | Unknown {
  const namespace = at(props, 'metadata', 'namespace');
  if (isUnknown(namespace)) return UNKNOWN;
  return asString(namespace) ?? 'default';
}

export function objectName(props: PropertyBag, resourceName: string): string | Unknown {
  const name = at(props, 'metadata', 'name');
  if (isUnknown(name)) return UNKNOWN;
  return asString(name) ?? resourceName;
}

export function stringMap(value: unknown): Record<string, string> | Unknown {
  if (isUnknown(value)) return UNKNOWN;
  const record = asRecord(value) ?? {};
  const out: Record<string, string> = {};
  for (const [key, member] of Object.entries(record)) {
    if (isUnknown(member)) return UNKNOWN;
    if (typeof member === 'string') out[key] = member;
  }
  return out;
}

/** The pod template of a workload object; undefined for other kinds. */
export function podTemplateOf(type: string, props: PropertyBag, resourceName: string): PodTemplate | undefined {
  const parsed = parseKubernetesType(type);
  if (!parsed || !isWorkload(type)) return undefined;
  const templatePath: string[] =
    parsed.kind === 'Pod'
      ? []
      : parsed.kind === 'CronJob'
        ? ['spec', 'jobTemplate', 'spec', 'template']
        : ['spec', 'template'];
  const template = templatePath.length === 0 ? props : at(props, ...templatePath);
  const name = objectName(props, resourceName);
  const namespace = namespaceOf(props);
  const spec = at(template, 'spec');
  return {
    kind: parsed.kind,
    name: isUnknown(name) ? resourceName : name,
    namespace: isUnknown(namespace) ? 'default' : namespace,
    labels: stringMap(at(template, 'metadata', 'labels')),
    spec: isUnknown(spec) ? UNKNOWN : asRecord(spec),
  };
}

export interface ContainerEntry {
  container: PropertyBag;
  name: string;
  role: 'container' | 'initContainer' | 'ephemeralContainer';
}

/** Every container of a pod spec, init and ephemeral ones included; unknown entries are skipped. */
export function containersOf(podSpec: PropertyBag): ContainerEntry[] {
  const entries: ContainerEntry[] = [];
  const roles = [
    ['containers', 'container'],
    ['initContainers', 'initContainer'],
    ['ephemeralContainers', 'ephemeralContainer'],
  ] as const;
  for (const [field, role] of roles) {
    for (const item of asArray(podSpec[field]) ?? []) {
      const container = asRecord(item);
      if (!container) continue;
      entries.push({ container, name: asString(container.name) ?? '(unnamed)', role });
    }
  }
  return entries;
}

/** Regular (long-running) containers only. */
export function mainContainersOf(podSpec: PropertyBag): ContainerEntry[] {
  return containersOf(podSpec).filter((entry) => entry.role === 'container');
}

/**
 * Whether a label selector selects the labels. An empty selector selects everything (NetworkPolicy podSelector);
 * UNKNOWN when either side is not known yet.
 */
export function selectorMatches(selector: unknown, labels: Record<string, string> | Unknown): boolean | Unknown {
  if (isUnknown(selector) || isUnknown(labels)) return UNKNOWN;
  const record = asRecord(selector);
  if (!record) return true;
  const matchLabels = stringMap(record.matchLabels);
  if (isUnknown(matchLabels)) return UNKNOWN;
  for (const [key, value] of Object.entries(matchLabels)) {
    if (labels[key] !== value) return false;
  }
  const expressions = record.matchExpressions;
  if (isUnknown(expressions)) return UNKNOWN;
  for (const item of asArray(expressions) ?? []) {
    const expression = asRecord(item);
    if (!expression) continue;
    const key = asString(expression.key) ?? '';
    const operator = asString(expression.operator);
    const values = (asArray(expression.values) ?? []).filter((v): v is string => typeof v === 'string');
    const present = Object.hasOwn(labels, key);
    const value = labels[key];
    const holds =
      operator === 'In'
        ? present && value !== undefined && values.includes(value)
        : operator === 'NotIn'
          ? !present || (value !== undefined && !values.includes(value))
          : operator === 'Exists'
            ? present
            : operator === 'DoesNotExist'
              ? !present
              : false;
    if (!holds) return false;
  }
  return true;
}

/** Whether a Service-style selector (a plain label map) selects the labels. */
export function mapSelectorMatches(selector: unknown, labels: Record<string, string> | Unknown): boolean | Unknown {
  const map = stringMap(selector);
  if (isUnknown(map) || isUnknown(labels)) return UNKNOWN;
  const entries = Object.entries(map);
  if (entries.length === 0) return false;
  return entries.every(([key, value]) => labels[key] === value);
}

export function replicasOf(props: PropertyBag): number | Unknown | undefined {
  const replicas = at(props, 'spec', 'replicas');
  if (isUnknown(replicas)) return UNKNOWN;
  return asNumber(replicas);
}
