import { CustomResource } from '@pulumi/kubernetes/apiextensions';
import * as pulumi from '@pulumi/pulumi';
import { AUTHORIZATION_SERVER, MONITORING, PATHS } from '../../service/src/contract';
import { AUTHORIZATION_SERVER_METRICS_PORT_NAME } from './authorization-server';
import { buildAuthorizationServerAlertRuleGroups } from './observability/authorization-server-alert-rules';

export interface AuthorizationServerMonitoringArgs {
  /** The service namespace, where the authorization server's Service lives. */
  namespace: pulumi.Input<string>;
  /** Where the alerts' runbook links point (docs/runbooks.md as the operators browse it). */
  runbookBaseUrl: string;
  labels: Record<string, string>;
  /** The prometheus-operator CRDs must exist first (the kube-prometheus-stack chart). */
  dependsOn: pulumi.Input<pulumi.Resource>[];
}

/**
 * How Prometheus sees the authorization server, as ServiceMonitoring does for the MCP server: a ServiceMonitor on its
 * Service's metrics port and its own PrometheusRule, both with the release label kube-prometheus-stack selects on.
 * Created only where the authorization server is deployed, so a stack trusting an external issuer has no target and
 * no alert waiting for one.
 */
export class AuthorizationServerMonitoring extends pulumi.ComponentResource {
  constructor(name: string, args: AuthorizationServerMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super('secure-mcp:kubernetes:AuthorizationServerMonitoring', name, {}, opts);
    const labels = { ...args.labels, release: MONITORING.release };
    const metadata = { name: AUTHORIZATION_SERVER.name, namespace: args.namespace, labels };
    const crdOpts = { parent: this, dependsOn: args.dependsOn };

    new CustomResource(
      `${name}-service-monitor`,
      {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        metadata,
        spec: {
          selector: { matchLabels: { ...AUTHORIZATION_SERVER.labels } },
          namespaceSelector: { matchNames: [args.namespace] },
          endpoints: [
            {
              port: AUTHORIZATION_SERVER_METRICS_PORT_NAME,
              path: PATHS.metrics,
              interval: '30s',
              scrapeTimeout: '10s',
            },
          ],
        },
      },
      crdOpts,
    );

    new CustomResource(
      `${name}-alert-rules`,
      {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PrometheusRule',
        metadata,
        spec: { groups: buildAuthorizationServerAlertRuleGroups({ runbookBaseUrl: args.runbookBaseUrl }) },
      },
      crdOpts,
    );
    this.registerOutputs({});
  }
}
