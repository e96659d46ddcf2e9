import { stringListConfig } from '../lib/define';
import { isServingWorkload, mainContainersOf } from '../lib/kubernetes';
import { definePodPolicy } from '../lib/pod-policy';
import { asArray, asRecord, asString, at, isUnknown } from '../lib/values';
import { CLUSTER_NAMESPACES, PATHS } from '../vendor/contract';

/** What a probe checks, as a comparable string; undefined when it cannot be known. */
function probeTarget(probe: unknown): string | undefined {
  const record = asRecord(probe);
  if (!record) return undefined;
  const http = asRecord(record.httpGet);
  if (http) return `http ${String(at(http, 'port') ?? '')} ${asString(http.path) ?? '/'}`;
  const exec = asArray(at(record, 'exec', 'command'));
  if (exec) return `exec ${exec.map(String).join(' ')}`;
  const grpc = asRecord(record.grpc);
  if (grpc) return `grpc ${String(grpc.port ?? '')} ${asString(grpc.service) ?? ''}`;
  const tcp = asRecord(record.tcpSocket);
  if (tcp) return `tcp ${String(tcp.port ?? '')}`;
  return undefined;
}

export const podLivenessIndependent = definePodPolicy<{ dependencyCheckPaths: string[] }>({
  name: 'kubernetes-pod-liveness-independent',
  description:
    'A liveness probe checks only that the process answers: it is not the readiness endpoint and never checks dependencies (a database outage would restart every pod).',
  severity: 'high',
  checklist: ['mon-metrics'],
  references: [
    'kube-score container-probes (identical probes)',
    'Kubernetes probe guidance',
    'the guide’s /health example',
  ],
  remediationSteps: `Point livenessProbe at ${PATHS.health} (process only) and readinessProbe at ${PATHS.ready} (dependencies).`,
  config: {
    dependencyCheckPaths: stringListConfig(
      'HTTP paths that check dependencies and so must never be a liveness probe.',
      [PATHS.ready],
    ),
  },
  namespaceScope: {
    exempt: [CLUSTER_NAMESPACES.monitoring, CLUSTER_NAMESPACES.tracing],
    reason:
      "the prometheus-operator (kube-prometheus-stack) and Jaeger charts hard-code one health endpoint (/healthz; /status on 13133) for both probes, with no value to change it; it is the process's own health check, not a dependency check.",
  },
  appliesTo: isServingWorkload,
  validatePod: ({ spec }, config, report) => {
    for (const { container, name } of mainContainersOf(spec)) {
      const liveness = container.livenessProbe;
      if (isUnknown(liveness) || liveness === undefined) continue;
      const livenessPath = asString(at(liveness, 'httpGet', 'path'));
      if (livenessPath !== undefined && config.dependencyCheckPaths.includes(livenessPath)) {
        report(`container ${name} liveness probe checks ${livenessPath}, a dependency check: use ${PATHS.health}.`);
        continue;
      }
      const livenessTarget = probeTarget(liveness);
      const readinessTarget = probeTarget(container.readinessProbe);
      if (livenessTarget !== undefined && livenessTarget === readinessTarget) {
        report(`container ${name} liveness and readiness probes are the same check (${livenessTarget}).`);
      }
    }
  },
});
