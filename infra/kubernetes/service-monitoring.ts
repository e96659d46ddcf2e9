import { CustomResource } from '@pulumi/kubernetes/apiextensions';
import { ConfigMap } from '@pulumi/kubernetes/core/v1';
import * as pulumi from '@pulumi/pulumi';
import { MONITORING, PATHS, WORKLOAD } from '../../service/src/contract';
import { buildAlertRuleGroups } from './observability/alert-rules';
import { MCP_SERVER_DASHBOARD_JSON } from './observability/dashboards';

export interface ServiceMonitoringArgs {
  serviceNamespace: pulumi.Input<string>;
  monitoringNamespace: pulumi.Input<string>;
  /** Where the alerts' runbook links point: the docs/runbooks.md of this repository as the operators browse it. */
  runbookBaseUrl: string;
  labels: Record<string, string>;
  /** The prometheus-operator CRDs must exist first (the kube-prometheus-stack chart). */
  dependsOn: pulumi.Input<pulumi.Resource>[];
}

/**
 * How Prometheus and Grafana see the service: a ServiceMonitor on the metrics port, the alert rules, and the
 * dashboard as a ConfigMap the Grafana sidecar provisions. The release label is the one kube-prometheus-stack
 * selects on by default, so the rules are picked up even where its selectors are left at the chart's defaults.
 */
export class ServiceMonitoring extends pulumi.ComponentResource {
  constructor(name: string, args: ServiceMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super('secure-mcp:kubernetes:ServiceMonitoring', name, {}, opts);
    const labels = { ...args.labels, release: MONITORING.release };
    const crdOpts = { parent: this, dependsOn: args.dependsOn };

    new CustomResource(
      `${name}-service-monitor`,
      {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        metadata: { name: WORKLOAD.name, namespace: args.serviceNamespace, labels },
        spec: {
          selector: { matchLabels: { ...WORKLOAD.labels } },
          namespaceSelector: { matchNames: [args.serviceNamespace] },
          endpoints: [{ port: WORKLOAD.metricsPortName, path: PATHS.metrics, interval: '30s', scrapeTimeout: '10s' }],
        },
      },
      crdOpts,
    );

    new CustomResource(
      `${name}-alert-rules`,
      {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PrometheusRule',
        metadata: { name: WORKLOAD.name, namespace: args.serviceNamespace, labels },
        spec: { groups: buildAlertRuleGroups({ runbookBaseUrl: args.runbookBaseUrl }) },
      },
      crdOpts,
    );

    new ConfigMap(
      `${name}-dashboard`,
      {
        metadata: {
          name: `${WORKLOAD.name}-dashboard`,
          namespace: args.monitoringNamespace,
          labels: { ...args.labels, [MONITORING.dashboardLabel]: '1' },
        },
        data: { 'mcp-server.json': MCP_SERVER_DASHBOARD_JSON },
      },
      { parent: this },
    );
    this.registerOutputs({});
  }
}
