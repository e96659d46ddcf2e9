import { DiagnosticSetting } from '@pulumi/azure-native/monitor';
import type * as pulumi from '@pulumi/pulumi';

export interface DiagnosticSettingArgs {
  targetResourceId: pulumi.Input<string>;
  workspaceId: pulumi.Input<string>;
  /** Log categories to ship (named explicitly: `allLogs` on AKS would ship kube-apiserver too, at great cost). */
  logCategories: string[];
  includeMetrics: boolean;
}

/** Sends a resource's logs to the Log Analytics workspace, into resource-specific tables. */
export function createDiagnosticSetting(
  name: string,
  args: DiagnosticSettingArgs,
  opts: pulumi.CustomResourceOptions,
): DiagnosticSetting {
  return new DiagnosticSetting(
    name,
    {
      name: 'to-log-analytics',
      resourceUri: args.targetResourceId,
      workspaceId: args.workspaceId,
      logAnalyticsDestinationType: 'Dedicated',
      logs: args.logCategories.map((category) => ({ category, enabled: true })),
      metrics: args.includeMetrics ? [{ category: 'AllMetrics', enabled: true }] : [],
    },
    opts,
  );
}
