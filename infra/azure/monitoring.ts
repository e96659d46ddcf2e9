import { Workspace } from '@pulumi/azure-native/operationalinsights';
import * as pulumi from '@pulumi/pulumi';
import type { MonitoringProfile } from '../../stacks';
import type { TagMap } from './tags';

export interface MonitoringArgs {
  resourceGroupName: pulumi.Input<string>;
  location: string;
  workspaceName: string;
  profile: MonitoringProfile;
  tags: TagMap;
}

/** The Log Analytics workspace that every diagnostic setting, Container Insights and Defender write to. */
export class Monitoring extends pulumi.ComponentResource {
  readonly workspaceId: pulumi.Output<string>;
  readonly workspaceCustomerId: pulumi.Output<string>;

  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super('secure-mcp:azure:Monitoring', name, {}, opts);
    const workspace = new Workspace(
      `${name}-workspace`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        workspaceName: args.workspaceName,
        sku: { name: 'PerGB2018' },
        retentionInDays: args.profile.retentionDays,
        workspaceCapping: { dailyQuotaGb: args.profile.dailyQuotaGb },
        // Queries and ingestion go through Entra ID only; shared keys would be a bearer credential for the logs.
        features: { disableLocalAuth: true },
        tags: args.tags,
      },
      { parent: this },
    );
    this.workspaceId = workspace.id;
    this.workspaceCustomerId = workspace.customerId;
    this.registerOutputs({ workspaceId: this.workspaceId });
  }
}
