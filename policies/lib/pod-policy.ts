/**
 * Resource policies over the pod template of any workload kind (Pod, Deployment, StatefulSet, DaemonSet, Job, ...).
 * Every pod policy is scoped by namespace (config `exemptNamespaces`, see namespace-scope.ts): the system namespaces
 * by default, plus the platform namespaces its `namespaceScope` names with the reason.
 */
import {
  type CheckedResource,
  defineResourcePolicy,
  type ResourcePolicyDefinition,
  type SecurityResourcePolicy,
} from './define';
import { isWorkload, type PodTemplate, podTemplateOf } from './kubernetes';
import { SYSTEM_ONLY } from './namespace-scope';
import { isUnknown, type PropertyBag } from './values';

export interface PodUnderCheck {
  resource: CheckedResource;
  template: PodTemplate;
  spec: PropertyBag;
}

export interface PodPolicyDefinition<TConfig>
  extends Omit<ResourcePolicyDefinition<TConfig>, 'appliesTo' | 'validate'> {
  /** Narrower than every workload kind (e.g. only Deployments and StatefulSets). */
  appliesTo?: (type: string) => boolean;
  validatePod: (pod: PodUnderCheck, config: TConfig, report: (message: string) => void) => void;
}

export function describeWorkload(template: PodTemplate): string {
  return `${template.kind} ${template.namespace}/${template.name}`;
}

export function definePodPolicy<TConfig extends object = Record<string, never>>(
  definition: PodPolicyDefinition<TConfig>,
): SecurityResourcePolicy {
  const { validatePod, appliesTo, namespaceScope, ...rest } = definition;
  return defineResourcePolicy<TConfig>({
    ...rest,
    namespaceScope: namespaceScope ?? SYSTEM_ONLY,
    appliesTo: appliesTo ?? isWorkload,
    validate: (resource, config, report) => {
      const template = podTemplateOf(resource.type, resource.props, resource.name);
      if (!template || template.spec === undefined || isUnknown(template.spec)) return;
      const prefix = describeWorkload(template);
      validatePod({ resource, template, spec: template.spec }, config, (message) => report(`${prefix}: ${message}`));
    },
  });
}
