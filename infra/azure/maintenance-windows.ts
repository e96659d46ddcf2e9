import { MaintenanceConfiguration } from '@pulumi/azure-native/containerservice';
import * as pulumi from '@pulumi/pulumi';
import type { MaintenanceWindowProfile } from '../../stacks';

/**
 * AKS binds a planned maintenance window to an auto-upgrade channel by the configuration's reserved name alone
 * (containerservice 2025-09-01, MaintenanceConfigurations_CreateOrUpdate): any other name gates nothing.
 */
export const MAINTENANCE_CONFIG_NAMES = {
  clusterUpgrade: 'aksManagedAutoUpgradeSchedule',
  nodeOsUpgrade: 'aksManagedNodeOSUpgradeSchedule',
} as const;

export interface MaintenanceWindowsArgs {
  resourceGroupName: pulumi.Input<string>;
  clusterName: pulumi.Input<string>;
  /** When the channels' upgrades may start, per profile (staggered: dev first, prod last). */
  windows: { clusterUpgrade: MaintenanceWindowProfile; nodeOsUpgrade: MaintenanceWindowProfile };
}

function maintenanceWindow(window: MaintenanceWindowProfile) {
  return {
    schedule: { weekly: { dayOfWeek: window.dayOfWeek, intervalWeeks: 1 } },
    // The API accepts 4 to 24 hours; a window shorter than the rollout of every node pauses it until the next one.
    durationHours: window.durationHours,
    startTime: window.startTimeUtc,
    utcOffset: '+00:00',
  };
}

/**
 * The cluster's auto-upgrades (Kubernetes patch releases on the `patch` channel, node images on `NodeImage`) only
 * start inside these weekly windows, never in business hours of a release day.
 */
export class MaintenanceWindows extends pulumi.ComponentResource {
  constructor(name: string, args: MaintenanceWindowsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('secure-mcp:azure:MaintenanceWindows', name, {}, opts);
    for (const [key, configName] of Object.entries(MAINTENANCE_CONFIG_NAMES) as [
      keyof typeof MAINTENANCE_CONFIG_NAMES,
      string,
    ][]) {
      new MaintenanceConfiguration(
        `${name}-${key === 'clusterUpgrade' ? 'cluster' : 'node-os'}`,
        {
          resourceGroupName: args.resourceGroupName,
          resourceName: args.clusterName,
          configName,
          maintenanceWindow: maintenanceWindow(args.windows[key]),
        },
        { parent: this },
      );
    }
    this.registerOutputs({});
  }
}
