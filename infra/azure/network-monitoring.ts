import { FlowLog } from '@pulumi/azure-native/network';
import { StorageAccount } from '@pulumi/azure-native/storage';
import * as pulumi from '@pulumi/pulumi';
import { createDiagnosticSetting } from './diagnostic-setting';
import type { TagMap } from './tags';

/**
 * Where Azure creates the region's Network Watcher automatically (one per subscription and region; it cannot be
 * created twice). Flow logs are its child resources, so they live in its resource group, not the stack's.
 */
export const NETWORK_WATCHER_RESOURCE_GROUP = 'NetworkWatcherRG';
export const networkWatcherName = (location: string) => `NetworkWatcher_${location}`;

/** NSG log categories: which rule matched (events) and how often each rule fired (counters). */
export const NSG_LOG_CATEGORIES = ['NetworkSecurityGroupEvent', 'NetworkSecurityGroupRuleCounter'];

export interface NetworkMonitoringArgs {
  resourceGroupName: pulumi.Input<string>;
  location: string;
  vnetId: pulumi.Input<string>;
  /** Unique within the region's Network Watcher, which every stack of the subscription shares. */
  flowLogName: string;
  /** NSGs by a short key (`nodes`, `postgres`...): each gets a diagnostic setting. */
  networkSecurityGroupIds: Record<string, pulumi.Input<string>>;
  /** Globally unique, 3-24 lowercase letters and digits. */
  storageAccountName: pulumi.Input<string>;
  /** Days the raw flow-log blobs are kept. */
  flowLogRetentionDays: number;
  /** Traffic analytics aggregation: 10 or 60 minutes (10 costs more per GB processed). */
  trafficAnalyticsIntervalMinutes: 10 | 60;
  workspaceId: pulumi.Input<string>;
  workspaceCustomerId: pulumi.Input<string>;
  auditWorkspaceId: pulumi.Input<string>;
  tags: TagMap;
}

/**
 * VNet flow logs (NSG flow logs can no longer be created since mid-2025) to a storage account, with traffic
 * analytics into the telemetry workspace, and NSG diagnostic settings into the audit workspace.
 */
export class NetworkMonitoring extends pulumi.ComponentResource {
  readonly flowLogStorageAccountId: pulumi.Output<string>;

  constructor(name: string, args: NetworkMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super('secure-mcp:azure:NetworkMonitoring', name, {}, opts);

    const storage = new StorageAccount(
      `${name}-flow-logs-storage`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        accountName: args.storageAccountName,
        kind: 'StorageV2',
        sku: { name: 'Standard_LRS' },
        accessTier: 'Hot',
        enableHttpsTrafficOnly: true,
        minimumTlsVersion: 'TLS1_2',
        allowBlobPublicAccess: false,
        allowCrossTenantReplication: false,
        // Flow logs write with the account key: writing with a managed identity is only in preview (Nov 2025), so
        // shared keys stay on; people and tools reading the logs still get Entra ID by default.
        allowSharedKeyAccess: true,
        defaultToOAuthAuthentication: true,
        allowedCopyScope: 'AAD',
        // Network Watcher writes as a trusted Azure service; nothing else reaches the account over the network.
        networkRuleSet: { defaultAction: 'Deny', bypass: 'AzureServices', ipRules: [], virtualNetworkRules: [] },
        tags: args.tags,
      },
      { parent: this },
    );

    new FlowLog(
      `${name}-vnet-flow-log`,
      {
        resourceGroupName: NETWORK_WATCHER_RESOURCE_GROUP,
        networkWatcherName: networkWatcherName(args.location),
        location: args.location,
        flowLogName: args.flowLogName,
        targetResourceId: args.vnetId,
        storageId: storage.id,
        enabled: true,
        format: { type: 'JSON', version: 2 },
        retentionPolicy: { enabled: true, days: args.flowLogRetentionDays },
        flowAnalyticsConfiguration: {
          networkWatcherFlowAnalyticsConfiguration: {
            enabled: true,
            workspaceResourceId: args.workspaceId,
            workspaceId: args.workspaceCustomerId,
            workspaceRegion: args.location,
            trafficAnalyticsInterval: args.trafficAnalyticsIntervalMinutes,
          },
        },
        tags: args.tags,
      },
      { parent: this },
    );

    for (const [key, nsgId] of Object.entries(args.networkSecurityGroupIds)) {
      createDiagnosticSetting(
        `${name}-nsg-${key}-diagnostics`,
        {
          targetResourceId: nsgId,
          workspaceId: args.auditWorkspaceId,
          logCategories: NSG_LOG_CATEGORIES,
          // NSGs have no metrics to export.
          includeMetrics: false,
        },
        { parent: this },
      );
    }

    this.flowLogStorageAccountId = storage.id;
    this.registerOutputs({ flowLogStorageAccountId: this.flowLogStorageAccountId });
  }
}
