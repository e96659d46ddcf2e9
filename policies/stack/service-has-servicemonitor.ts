import { defineStackPolicy, stringListConfig } from '../lib/define';
import { isKindOf, selectorMatches, stringMap } from '../lib/kubernetes';
import { type KubernetesObject, kubernetesObjects, objectsOfKind } from '../lib/stack';
import { asArray, asBoolean, asRecord, asString, at, isUnknown, stringList } from '../lib/values';
import { WORKLOAD } from '../vendor/contract';

function metricsPortNames(service: KubernetesObject, portNames: readonly string[]): string[] {
  return (asArray(at(service.resource.props, 'spec', 'ports')) ?? [])
    .map((port) => asString(asRecord(port)?.name))
    .filter((name): name is string => name !== undefined && portNames.includes(name));
}

function monitorWatchesNamespace(monitor: KubernetesObject, namespace: string): boolean | 'unknown' {
  const selector = at(monitor.resource.props, 'spec', 'namespaceSelector');
  if (isUnknown(selector)) return 'unknown';
  if (asBoolean(at(selector, 'any')) === true) return true;
  const names = stringList(at(selector, 'matchNames'));
  if (isUnknown(names)) return 'unknown';
  // Without matchNames, the Prometheus operator looks only in the ServiceMonitor's own namespace.
  return names && names.length > 0 ? names.includes(namespace) : monitor.namespace === namespace;
}

export const serviceHasServiceMonitor = defineStackPolicy<{ metricsPortNames: string[] }>({
  name: 'kubernetes-service-has-servicemonitor',
  description:
    'Every Service that exposes a metrics port is scraped by a ServiceMonitor (selector, namespace and port match).',
  severity: 'medium',
  checklist: ['mon-metrics'],
  references: ['Prometheus operator', 'the guide (Prometheus metrics)'],
  remediationSteps: `Add a monitoring.coreos.com/v1 ServiceMonitor selecting the Service's labels with an endpoint on port '${WORKLOAD.metricsPortName}'.`,
  config: {
    metricsPortNames: stringListConfig('Service port names that serve Prometheus metrics.', [WORKLOAD.metricsPortName]),
  },
  subjects: isKindOf({ kind: 'Service', group: '' }),
  validate: (resources, config, report) => {
    const objects = kubernetesObjects(resources);
    const monitors = objectsOfKind(objects, 'ServiceMonitor', 'monitoring.coreos.com');
    for (const service of objectsOfKind(objects, 'Service', '')) {
      const ports = metricsPortNames(service, config.metricsPortNames);
      if (ports.length === 0) continue;
      const labels = stringMap(at(service.resource.props, 'metadata', 'labels'));
      const covered = monitors.some((monitor) => {
        const namespaceVerdict = monitorWatchesNamespace(monitor, service.namespace);
        if (namespaceVerdict === false) return false;
        const selects = selectorMatches(at(monitor.resource.props, 'spec', 'selector') ?? { matchLabels: {} }, labels);
        if (selects === false) return false;
        const endpoints = at(monitor.resource.props, 'spec', 'endpoints');
        if (isUnknown(endpoints) || isUnknown(selects) || namespaceVerdict === 'unknown') return true;
        return (asArray(endpoints) ?? []).some((endpoint) => ports.includes(asString(asRecord(endpoint)?.port) ?? ''));
      });
      if (!covered) {
        report(
          `Service ${service.namespace}/${service.name} exposes ${ports.join(', ')} but no ServiceMonitor scrapes it.`,
          service.resource.urn,
        );
      }
    }
  },
});
