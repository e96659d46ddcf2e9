import { stringListConfig } from '../lib/define';
import { mainContainersOf } from '../lib/kubernetes';
import { definePodPolicy } from '../lib/pod-policy';
import { asArray, asRecord, asString, isUnknown } from '../lib/values';
import { ENV, WORKLOAD } from '../vendor/contract';

export const workloadTracingConfigured = definePodPolicy<{ containers: string[] }>({
  name: 'kubernetes-workload-tracing-configured',
  description: `The MCP server container exports traces: ${ENV.otlpEndpoint} is set, so every request is traced end to end.`,
  severity: 'low',
  checklist: ['mon-tracing'],
  references: ['The guide (distributed tracing)', 'OpenTelemetry SDK environment variables'],
  remediationSteps: `Set the ${ENV.otlpEndpoint} env var on the container to the collector (Jaeger/OTel collector) endpoint.`,
  config: { containers: stringListConfig('Names of the containers that must export traces.', [WORKLOAD.container]) },
  validatePod: ({ spec }, config, report) => {
    for (const { container, name } of mainContainersOf(spec)) {
      if (!config.containers.includes(name) || isUnknown(container.env)) continue;
      const names = (asArray(container.env) ?? []).map((item) => asString(asRecord(item)?.name));
      if (!names.includes(ENV.otlpEndpoint))
        report(`container ${name} does not set ${ENV.otlpEndpoint}: no traces leave it.`);
    }
  },
});
