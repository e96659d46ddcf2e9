import { Secret } from '@pulumi/kubernetes/core/v1';
import { Chart } from '@pulumi/kubernetes/helm/v4';
import * as pulumi from '@pulumi/pulumi';
import { RandomPassword } from '@pulumi/random/randomPassword';
import { CLUSTER_NAMESPACES, MONITORING } from '../../service/src/contract';
import type { ObservabilityProfile } from '../../stacks';
import { CHARTS } from './charts/chart-pins';

export interface MonitoringArgs {
  namespace: pulumi.Input<string>;
  profile: ObservabilityProfile;
  registry: pulumi.Input<string>;
}

/** AKS's premium SSD class (zone-redundant storage needs the ZRS class; Prometheus data is rebuilt by scraping). */
export const PROMETHEUS_STORAGE_CLASS = 'managed-csi-premium';

/** Grafana's admin login, generated here (encrypted in state) and mounted as files, never rendered by the chart. */
export const GRAFANA_ADMIN_SECRET = 'grafana-admin';
const GRAFANA_ADMIN_PATH = '/etc/secrets/grafana-admin';

/** The values of kube-prometheus-stack: Prometheus, Alertmanager, Grafana with the dashboard sidecar, exporters. */
export function kubePrometheusStackValues(args: { registry: string; profile: ObservabilityProfile }) {
  const { profile } = args;
  return {
    // Every image of the chart and its subcharts from the stack's ACR (imported there by the deploy workflow).
    global: { imageRegistry: args.registry },
    crds: { enabled: true },
    windowsMonitoring: { enabled: false },
    prometheus: {
      prometheusSpec: {
        // Select ServiceMonitors and rules of every release, not only this chart's own (the service's are ours).
        serviceMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelectorNilUsesHelmValues: false,
        ruleSelectorNilUsesHelmValues: false,
        probeSelectorNilUsesHelmValues: false,
        retention: profile.prometheusRetention,
        resources: profile.prometheusResources,
        storageSpec: {
          volumeClaimTemplate: {
            spec: {
              storageClassName: PROMETHEUS_STORAGE_CLASS,
              accessModes: ['ReadWriteOnce'],
              resources: { requests: { storage: `${profile.prometheusStorageGi}Gi` } },
            },
          },
        },
      },
    },
    grafana: {
      // Dashboards come from ConfigMaps labelled grafana_dashboard=1 in the monitoring namespace (ours: the service's).
      sidecar: {
        dashboards: {
          enabled: true,
          label: MONITORING.dashboardLabel,
          labelValue: '1',
          searchNamespace: CLUSTER_NAMESPACES.monitoring,
          skipReload: true,
        },
        datasources: { skipReload: true, initDatasources: true },
      },
      // Reached with `kubectl port-forward` by Entra-authorized operators only; never published.
      ingress: { enabled: false },
      // The admin login comes from our Secret as files (Grafana's __FILE variables): the chart then neither renders a
      // random password at each preview (its lookup sees no cluster there) nor puts the password in any env var.
      // Without the password in env the sidecars cannot call Grafana's reload API: datasources load before Grafana
      // starts (init container) and dashboards through Grafana's own polling of the sidecar's folder.
      admin: { existingSecret: GRAFANA_ADMIN_SECRET },
      env: {
        GF_SECURITY_ADMIN_USER__FILE: `${GRAFANA_ADMIN_PATH}/admin-user`,
        GF_SECURITY_ADMIN_PASSWORD__FILE: `${GRAFANA_ADMIN_PATH}/admin-password`,
      },
      extraSecretMounts: [
        { name: GRAFANA_ADMIN_SECRET, secretName: GRAFANA_ADMIN_SECRET, mountPath: GRAFANA_ADMIN_PATH, readOnly: true },
      ],
      'grafana.ini': {
        'auth.anonymous': { enabled: false },
        users: { allow_sign_up: false },
        analytics: { reporting_enabled: false, check_for_updates: false },
      },
    },
  };
}

/**
 * kube-prometheus-stack, pinned, as a `helm.v4.Chart` (CrossGuard sees its pods; node-exporter's host access is the
 * one exemption, scoped to this namespace in the pack's config).
 */
export class Monitoring extends pulumi.ComponentResource {
  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super('secure-mcp:kubernetes:Monitoring', name, {}, opts);
    const password = new RandomPassword(
      `${name}-grafana-admin-password`,
      { length: 32, special: false },
      { parent: this },
    );
    const adminSecret = new Secret(
      `${name}-grafana-admin`,
      {
        metadata: { name: GRAFANA_ADMIN_SECRET, namespace: args.namespace },
        type: 'Opaque',
        stringData: { 'admin-user': 'admin', 'admin-password': password.result },
      },
      { parent: this },
    );
    new Chart(
      `${name}-chart`,
      {
        name: MONITORING.release,
        namespace: args.namespace,
        chart: CHARTS.kubePrometheusStack.chart,
        version: CHARTS.kubePrometheusStack.version,
        repositoryOpts: { repo: CHARTS.kubePrometheusStack.repo },
        values: pulumi
          .output(args.registry)
          .apply((registry) => kubePrometheusStackValues({ registry, profile: args.profile })),
      },
      { parent: this, dependsOn: [adminSecret] },
    );
    this.registerOutputs({});
  }
}
