import { defineResourcePolicy } from '../lib/define';
import { isKind } from '../lib/kubernetes';
import { asArray, asRecord, at } from '../lib/values';
import { PORTS, WORKLOAD } from '../vendor/contract';

/** Every backend an Ingress routes to: the default backend and each rule path. */
function backendsOf(props: Record<string, unknown>): unknown[] {
  const backends: unknown[] = [];
  const fallback = at(props, 'spec', 'defaultBackend');
  if (fallback !== undefined) backends.push(fallback);
  for (const rule of asArray(at(props, 'spec', 'rules')) ?? []) {
    for (const path of asArray(at(rule, 'http', 'paths')) ?? []) backends.push(asRecord(path)?.backend);
  }
  return backends;
}

export const ingressNoMetricsBackend = defineResourcePolicy({
  name: 'kubernetes-ingress-no-metrics-backend',
  description: 'No Ingress routes to the metrics port: metrics stay inside the cluster, for Prometheus only.',
  severity: 'medium',
  checklist: ['net-gateway', 'mon-metrics'],
  references: ['Project contract (metrics on their own port)'],
  remediationSteps: `Route the Ingress to the ${WORKLOAD.httpPortName} port (${PORTS.http}); scrape ${WORKLOAD.metricsPortName} (${PORTS.metrics}) with a ServiceMonitor.`,
  appliesTo: (type) => isKind(type, 'Ingress', 'networking.k8s.io'),
  validate: ({ props }, _config, report) => {
    for (const backend of backendsOf(props)) {
      const portName = at(backend, 'service', 'port', 'name');
      const portNumber = at(backend, 'service', 'port', 'number');
      if (portName === WORKLOAD.metricsPortName || portNumber === PORTS.metrics) {
        report(`The Ingress exposes the metrics port of service ${String(at(backend, 'service', 'name'))}.`);
      }
    }
  },
});
