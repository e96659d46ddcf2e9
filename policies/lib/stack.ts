/** Helpers for stack policies: Kubernetes objects of the stack, and references between Azure resources. */
import type { StackResource } from './define';
import {
  type KubernetesType,
  namespaceOf,
  objectName,
  type PodTemplate,
  parseKubernetesType,
  podTemplateOf,
} from './kubernetes';
import { asString, isUnknown, UNKNOWN, type Unknown } from './values';

export interface KubernetesObject {
  resource: StackResource;
  api: KubernetesType;
  name: string;
  namespace: string;
}

export function kubernetesObjects(resources: readonly StackResource[]): KubernetesObject[] {
  return resources.flatMap((resource) => {
    const api = parseKubernetesType(resource.type);
    if (!api) return [];
    const name = objectName(resource.props, resource.name);
    const namespace = namespaceOf(resource.props);
    return [
      {
        resource,
        api,
        name: isUnknown(name) ? resource.name : name,
        namespace: isUnknown(namespace) ? 'default' : namespace,
      },
    ];
  });
}

export function objectsOfKind(objects: readonly KubernetesObject[], kind: string, group: string): KubernetesObject[] {
  return objects.filter((object) => object.api.kind === kind && object.api.group === group);
}

export interface Workload {
  object: KubernetesObject;
  template: PodTemplate;
}

export function workloadsOf(objects: readonly KubernetesObject[], kinds?: readonly string[]): Workload[] {
  return objects.flatMap((object) => {
    if (kinds && !kinds.includes(object.api.kind)) return [];
    const template = podTemplateOf(object.resource.type, object.resource.props, object.resource.name);
    return template ? [{ object, template }] : [];
  });
}

/** The ARM name of an Azure resource: its explicit name input (vaultName, resourceName ...) or `name`. */
export function armNameOf(resource: StackResource, nameProperty: string): string | undefined {
  return asString(resource.props[nameProperty]) ?? asString(resource.props.name);
}

/** Every resource `from` reaches through the engine's dependency edges (dependencies, property dependencies, parent). */
export function reachableUrns(resources: readonly StackResource[], from: readonly string[]): Set<string> {
  const byUrn = new Map(resources.map((resource) => [resource.urn, resource]));
  const seen = new Set<string>();
  const queue = [...from];
  while (queue.length > 0) {
    const urn = queue.pop() as string;
    if (seen.has(urn)) continue;
    seen.add(urn);
    const resource = byUrn.get(urn);
    if (!resource) continue;
    queue.push(...resource.dependencyUrns, ...Object.values(resource.propertyDependencyUrns).flat());
    if (resource.parentUrn) queue.push(resource.parentUrn);
  }
  return seen;
}

/**
 * Whether `referrer` points at `target` through `property` (e.g. a DiagnosticSetting's resourceUri): by the
 * engine's property dependencies, by the target's id, or by the ARM path segment `/<segment>/<name>` in the value.
 *
 * In a preview the value is mostly unknown (the target's id is not known before it exists), but the property
 * dependencies are: an unknown value can only come from the outputs of the resources the property depends on. So
 * when the engine recorded the property's dependencies and the target is not among them, nor reachable from them
 * (`resources`, when given, lets an intermediate resource count), the value cannot be the target's: false. UNKNOWN
 * only when nothing decides (no dependency record, or the target is reachable only indirectly).
 */
export function refersTo(
  referrer: StackResource,
  property: string,
  values: readonly unknown[],
  target: StackResource,
  armSegment: string,
  nameProperty: string,
  resources?: readonly StackResource[],
): boolean | Unknown {
  const dependencies = referrer.propertyDependencyUrns[property];
  if (dependencies?.includes(target.urn)) return true;
  const targetId = asString(target.props.id);
  const targetName = armNameOf(target, nameProperty)?.toLowerCase();
  let unknown = false;
  for (const value of values) {
    if (isUnknown(value)) {
      unknown = true;
      continue;
    }
    const text = asString(value);
    if (!text) continue;
    if (targetId && text.toLowerCase() === targetId.toLowerCase()) return true;
    if (targetName && text.toLowerCase().includes(`/${armSegment.toLowerCase()}/${targetName}`)) return true;
  }
  if (!unknown) return false;
  if (dependencies === undefined) return UNKNOWN;
  if (resources && reachableUrns(resources, dependencies).has(target.urn)) return UNKNOWN;
  return false;
}
