import { DataCollectionRule, DataCollectionRuleAssociation } from '@pulumi/azure-native/monitor';
import * as pulumi from '@pulumi/pulumi';
import type { TagMap } from './tags';

export interface ContainerInsightsArgs {
  resourceGroupName: pulumi.Input<string>;
  location: string;
  clusterName: string;
  clusterId: pulumi.Input<string>;
  workspaceId: pulumi.Input<string>;
  tags: TagMap;
}

/** What the Container Insights agent collects (the AKS baseline's list, without Syslog: node syslog is volume, not insight). */
export const CONTAINER_INSIGHTS_STREAMS = [
  'Microsoft-ContainerLogV2',
  'Microsoft-KubeEvents',
  'Microsoft-KubePodInventory',
  'Microsoft-KubeNodeInventory',
  'Microsoft-KubePVInventory',
  'Microsoft-KubeServices',
  'Microsoft-KubeMonAgentEvents',
  'Microsoft-InsightsMetrics',
  'Microsoft-ContainerInventory',
  'Microsoft-ContainerNodeInventory',
  'Microsoft-Perf',
];

/** Namespaces whose container logs are not collected: platform chatter that Azure already monitors. */
export const CONTAINER_INSIGHTS_EXCLUDED_NAMESPACES = ['kube-system', 'gatekeeper-system'];

/**
 * Container Insights as a data collection rule associated with the cluster (after mspnp/aks-baseline). The
 * monitoring add-on authenticates with its managed identity (`useAADAuth`) because the workspace refuses shared keys;
 * in that mode the agent only sends what a DCR associated with the cluster names, so without this rule it collects
 * nothing.
 */
export class ContainerInsights extends pulumi.ComponentResource {
  readonly dataCollectionRuleId: pulumi.Output<string>;

  constructor(name: string, args: ContainerInsightsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('secure-mcp:azure:ContainerInsights', name, {}, opts);
    const destination = 'workspace';
    const rule = new DataCollectionRule(
      `${name}-dcr`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        dataCollectionRuleName: `MSCI-${args.location}-${args.clusterName}`,
        kind: 'Linux',
        description: `Container Insights for ${args.clusterName}`,
        dataSources: {
          extensions: [
            {
              name: 'ContainerInsightsExtension',
              extensionName: 'ContainerInsights',
              streams: CONTAINER_INSIGHTS_STREAMS,
              extensionSettings: {
                dataCollectionSettings: {
                  interval: '1m',
                  namespaceFilteringMode: 'Exclude',
                  namespaces: CONTAINER_INSIGHTS_EXCLUDED_NAMESPACES,
                  enableContainerLogV2: true,
                },
              },
            },
          ],
        },
        destinations: { logAnalytics: [{ name: destination, workspaceResourceId: args.workspaceId }] },
        dataFlows: [{ streams: CONTAINER_INSIGHTS_STREAMS, destinations: [destination] }],
        tags: args.tags,
      },
      { parent: this },
    );

    new DataCollectionRuleAssociation(
      `${name}-dcr-association`,
      {
        resourceUri: args.clusterId,
        associationName: `MSCI-${args.location}-${args.clusterName}`,
        dataCollectionRuleId: rule.id,
        description: 'Container Insights data collection of this cluster',
      },
      { parent: this },
    );

    this.dataCollectionRuleId = rule.id;
    this.registerOutputs({ dataCollectionRuleId: this.dataCollectionRuleId });
  }
}
