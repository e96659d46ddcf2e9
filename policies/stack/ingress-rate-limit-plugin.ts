import { RATE_LIMIT_PLUGINS } from '../kubernetes/kongplugin-rate-limiting';
import { defineStackPolicy } from '../lib/define';
import { isKindOf } from '../lib/kubernetes';
import { kubernetesObjects, objectsOfKind } from '../lib/stack';
import { asString, at, isUnknown } from '../lib/values';
import { GATEWAY } from '../vendor/contract';

export const PLUGINS_ANNOTATION = 'konghq.com/plugins';

export const ingressRateLimitPlugin = defineStackPolicy<{ ingressClass: string }>({
  name: 'kubernetes-ingress-rate-limit-plugin',
  description:
    'Every Kong Ingress carries a rate-limiting plugin (konghq.com/plugins) that exists as a KongPlugin in its namespace or a KongClusterPlugin.',
  severity: 'high',
  checklist: ['net-rate-limit', 'net-gateway'],
  references: ['The guide (Kong rate limiting)', 'OWASP API4:2023 unrestricted resource consumption'],
  remediationSteps: `Annotate the Ingress \`${PLUGINS_ANNOTATION}: <plugin names>\` naming a KongPlugin with plugin 'rate-limiting'.`,
  config: {
    ingressClass: { type: 'string', description: 'The gateway’s IngressClass.', default: GATEWAY.ingressClass },
  },
  subjects: isKindOf({ kind: 'Ingress', group: 'networking.k8s.io' }),
  validate: (resources, config, report) => {
    const objects = kubernetesObjects(resources);
    const plugins = objectsOfKind(objects, 'KongPlugin', 'configuration.konghq.com');
    const clusterPlugins = objectsOfKind(objects, 'KongClusterPlugin', 'configuration.konghq.com');
    const isRateLimit = (props: Record<string, unknown>) => RATE_LIMIT_PLUGINS.includes(asString(props.plugin) ?? '');
    for (const ingress of objectsOfKind(objects, 'Ingress', 'networking.k8s.io')) {
      const props = ingress.resource.props;
      const ingressClass =
        asString(at(props, 'spec', 'ingressClassName')) ??
        asString(at(props, 'metadata', 'annotations', 'kubernetes.io/ingress.class'));
      if (ingressClass !== config.ingressClass) continue;
      const annotation = at(props, 'metadata', 'annotations', PLUGINS_ANNOTATION);
      if (isUnknown(annotation)) continue;
      const names = (asString(annotation) ?? '')
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean);
      const referenced = [
        ...plugins.filter((plugin) => plugin.namespace === ingress.namespace && names.includes(plugin.name)),
        ...clusterPlugins.filter((plugin) => names.includes(plugin.name)),
      ];
      if (referenced.some((plugin) => isRateLimit(plugin.resource.props))) continue;
      const missing = names.filter((name) => !referenced.some((plugin) => plugin.name === name));
      report(
        names.length === 0
          ? `Ingress ${ingress.namespace}/${ingress.name} has no ${PLUGINS_ANNOTATION} annotation: it is not rate limited.`
          : `Ingress ${ingress.namespace}/${ingress.name} references no existing rate-limiting plugin${missing.length > 0 ? ` (not found: ${missing.join(', ')})` : ''}.`,
        ingress.resource.urn,
      );
    }
  },
});
