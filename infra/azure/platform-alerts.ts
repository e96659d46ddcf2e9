import { ActionGroup, ActivityLogAlert, MetricAlert } from '@pulumi/azure-native/monitor';
import * as pulumi from '@pulumi/pulumi';
import type { TagMap } from './tags';

export interface PlatformAlertsArgs {
  resourceGroupName: pulumi.Input<string>;
  /** Used in rule names: `alert-<namePrefix>-...`. */
  namePrefix: string;
  /** At most 12 characters: what e-mails and SMS show as the sender. */
  groupShortName: string;
  emails: string[];
  clusterId: pulumi.Input<string>;
  postgresServerId: pulumi.Input<string>;
  redisClusterId: pulumi.Input<string>;
  keyVaultId: pulumi.Input<string>;
  tags: TagMap;
}

/**
 * One platform metric alert: the metric names, namespaces and aggregations are those of Azure Monitor's supported
 * metrics reference (MicrosoftDocs/azure-reference-other, azure-monitor-ref/supported-metrics).
 */
export interface PlatformMetricAlert {
  key: string;
  description: string;
  severity: 0 | 1 | 2 | 3 | 4;
  target: 'cluster' | 'postgres' | 'redis' | 'keyVault';
  metricNamespace: string;
  metricName: string;
  timeAggregation: 'Average' | 'Maximum' | 'Minimum' | 'Total';
  operator: 'GreaterThan' | 'LessThan';
  threshold: number;
  dimensions?: { name: string; operator: 'Include'; values: string[] }[];
  /** ISO 8601; never shorter than the metric's smallest time grain (Redis: PT5M). */
  windowSize: string;
  evaluationFrequency: string;
}

export const PLATFORM_METRIC_ALERTS: readonly PlatformMetricAlert[] = [
  {
    key: 'aks-node-not-ready',
    description: 'A node of the cluster reports Ready false or unknown.',
    severity: 1,
    target: 'cluster',
    metricNamespace: 'Microsoft.ContainerService/managedClusters',
    metricName: 'kube_node_status_condition',
    timeAggregation: 'Average',
    operator: 'GreaterThan',
    threshold: 0,
    // kube-state-metrics' label values for a node condition that is not true.
    dimensions: [
      { name: 'condition', operator: 'Include', values: ['Ready'] },
      { name: 'status', operator: 'Include', values: ['false', 'unknown'] },
    ],
    windowSize: 'PT15M',
    evaluationFrequency: 'PT5M',
  },
  {
    key: 'postgres-cpu',
    description: 'Postgres CPU above 80% for 15 minutes.',
    severity: 2,
    target: 'postgres',
    metricNamespace: 'Microsoft.DBforPostgreSQL/flexibleServers',
    metricName: 'cpu_percent',
    timeAggregation: 'Average',
    operator: 'GreaterThan',
    threshold: 80,
    windowSize: 'PT15M',
    evaluationFrequency: 'PT5M',
  },
  {
    key: 'postgres-storage',
    description: 'Postgres storage above 85%: grow it before the server turns read-only.',
    severity: 1,
    target: 'postgres',
    metricNamespace: 'Microsoft.DBforPostgreSQL/flexibleServers',
    metricName: 'storage_percent',
    timeAggregation: 'Maximum',
    operator: 'GreaterThan',
    threshold: 85,
    windowSize: 'PT15M',
    evaluationFrequency: 'PT5M',
  },
  {
    key: 'redis-server-load',
    description: 'Redis server load above 80% for 15 minutes: requests start to queue.',
    severity: 2,
    target: 'redis',
    metricNamespace: 'Microsoft.Cache/redisEnterprise',
    metricName: 'serverLoad',
    timeAggregation: 'Maximum',
    operator: 'GreaterThan',
    threshold: 80,
    windowSize: 'PT15M',
    evaluationFrequency: 'PT5M',
  },
  {
    key: 'keyvault-availability',
    description: 'Key Vault request availability below 99%: secret mounts and rotations fail.',
    severity: 1,
    target: 'keyVault',
    metricNamespace: 'Microsoft.KeyVault/vaults',
    metricName: 'Availability',
    timeAggregation: 'Average',
    operator: 'LessThan',
    threshold: 99,
    windowSize: 'PT15M',
    evaluationFrequency: 'PT5M',
  },
];

/**
 * Azure Monitor alerts for the platform, sent to one action group whose e-mail receivers come from config. The API
 * server's availability has no platform metric: its Resource Health (an activity log alert, free) says when the
 * cluster is unavailable or degraded. Workload alerts (error rates, latency) live in Prometheus (infra/kubernetes).
 */
export class PlatformAlerts extends pulumi.ComponentResource {
  readonly actionGroupId?: pulumi.Output<string>;

  constructor(name: string, args: PlatformAlertsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('secure-mcp:azure:PlatformAlerts', name, {}, opts);
    const targets = {
      cluster: args.clusterId,
      postgres: args.postgresServerId,
      redis: args.redisClusterId,
      keyVault: args.keyVaultId,
    };

    // Without recipients the alerts still fire and show in the portal; an empty action group would only mislead.
    const actionGroup =
      args.emails.length > 0
        ? new ActionGroup(
            `${name}-action-group`,
            {
              resourceGroupName: args.resourceGroupName,
              actionGroupName: `ag-${args.namePrefix}-platform`,
              groupShortName: args.groupShortName,
              location: 'Global',
              enabled: true,
              emailReceivers: args.emails.map((emailAddress, index) => ({
                name: `email-${index}`,
                emailAddress,
                useCommonAlertSchema: true,
              })),
              tags: args.tags,
            },
            { parent: this },
          )
        : undefined;
    const actions = actionGroup ? [{ actionGroupId: actionGroup.id }] : [];

    for (const alert of PLATFORM_METRIC_ALERTS) {
      new MetricAlert(
        `${name}-${alert.key}`,
        {
          resourceGroupName: args.resourceGroupName,
          ruleName: `alert-${args.namePrefix}-${alert.key}`,
          location: 'global',
          description: alert.description,
          severity: alert.severity,
          enabled: true,
          scopes: [targets[alert.target]],
          evaluationFrequency: alert.evaluationFrequency,
          windowSize: alert.windowSize,
          autoMitigate: true,
          criteria: {
            odataType: 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria',
            allOf: [
              {
                criterionType: 'StaticThresholdCriterion',
                name: alert.key,
                metricNamespace: alert.metricNamespace,
                metricName: alert.metricName,
                timeAggregation: alert.timeAggregation,
                operator: alert.operator,
                threshold: alert.threshold,
                ...(alert.dimensions ? { dimensions: alert.dimensions } : {}),
              },
            ],
          },
          actions,
          tags: args.tags,
        },
        { parent: this },
      );
    }

    new ActivityLogAlert(
      `${name}-aks-resource-health`,
      {
        resourceGroupName: args.resourceGroupName,
        activityLogAlertName: `alert-${args.namePrefix}-aks-resource-health`,
        location: 'Global',
        description: 'The AKS cluster (API server) is unavailable or degraded according to Azure Resource Health.',
        enabled: true,
        scopes: [args.clusterId],
        condition: {
          allOf: [
            { field: 'category', equals: 'ResourceHealth' },
            {
              anyOf: [
                { field: 'properties.currentHealthStatus', equals: 'Unavailable' },
                { field: 'properties.currentHealthStatus', equals: 'Degraded' },
              ],
            },
          ],
        },
        actions: { actionGroups: actionGroup ? [{ actionGroupId: actionGroup.id }] : [] },
        tags: args.tags,
      },
      { parent: this },
    );

    if (actionGroup) this.actionGroupId = actionGroup.id;
    this.registerOutputs({});
  }
}
