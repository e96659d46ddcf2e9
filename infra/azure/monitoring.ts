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

/**
 * The Log Analytics workspaces. A daily cap stops ingestion into every Analytics and Basic table of its workspace
 * for the rest of the day (only Auxiliary tables are exempt, and diagnostic settings cannot write to those), so a cap
 * on the workspace that holds the audit logs would silently drop them. Hence two workspaces where a profile caps
 * ingestion: the audit workspace (diagnostic settings, Defender) never has a cap; the telemetry workspace (Container
 * Insights, flow-log traffic analytics: the bulk of the volume) carries the profile's cap. Without a cap, one
 * workspace holds both.
 */
export class Monitoring extends pulumi.ComponentResource {
  /** The audit workspace: every diagnostic setting and Defender write here. Never capped. */
  readonly workspaceId: pulumi.Output<string>;
  readonly workspaceCustomerId: pulumi.Output<string>;
  /** Container Insights and traffic analytics; the audit workspace itself when the profile has no cap. */
  readonly telemetryWorkspaceId: pulumi.Output<string>;
  readonly telemetryWorkspaceCustomerId: pulumi.Output<string>;

  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super('secure-mcp:azure:Monitoring', name, {}, opts);
    const workspace = (key: string, workspaceName: string, dailyQuotaGb: number) =>
      new Workspace(
        `${name}-${key}`,
        {
          resourceGroupName: args.resourceGroupName,
          location: args.location,
          workspaceName,
          sku: { name: 'PerGB2018' },
          retentionInDays: args.profile.retentionDays,
          // -1 is ARM's "no cap".
          workspaceCapping: { dailyQuotaGb },
          // Queries and ingestion go through Entra ID only; shared keys would be a bearer credential for the logs.
          features: { disableLocalAuth: true },
          tags: args.tags,
        },
        { parent: this },
      );

    const audit = workspace('workspace', args.workspaceName, -1);
    const capped = args.profile.dailyQuotaGb > 0;
    const telemetry = capped
      ? workspace('telemetry-workspace', `${args.workspaceName}-telemetry`, args.profile.dailyQuotaGb)
      : audit;

    this.workspaceId = audit.id;
    this.workspaceCustomerId = audit.customerId;
    this.telemetryWorkspaceId = telemetry.id;
    this.telemetryWorkspaceCustomerId = telemetry.customerId;
    this.registerOutputs({ workspaceId: this.workspaceId, telemetryWorkspaceId: this.telemetryWorkspaceId });
  }
}
