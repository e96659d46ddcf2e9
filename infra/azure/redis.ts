import {
  AccessPolicyAssignment,
  Database,
  listDatabaseKeysOutput,
  RedisEnterprise,
} from '@pulumi/azure-native/redisenterprise';
import * as pulumi from '@pulumi/pulumi';
import type { RedisProfile } from '../../stacks';
import { createDiagnosticSetting } from './diagnostic-setting';
import { createPrivateEndpoint } from './private-endpoint';
import type { TagMap } from './tags';

export interface RedisArgs {
  resourceGroupName: pulumi.Input<string>;
  location: string;
  clusterName: pulumi.Input<string>;
  profile: RedisProfile;
  availabilityZones: string[];
  privateEndpointSubnetId: pulumi.Input<string>;
  privateDnsZoneId: pulumi.Input<string>;
  workspaceId: pulumi.Input<string>;
  /** Entra principals (object ids) given the default data access policy. */
  dataAccessPrincipalIds: pulumi.Input<string>[];
  tags: TagMap;
}

/** The Managed Redis database is always called `default`; clients connect to the cluster host on this port. */
export const REDIS_DATABASE_NAME = 'default';
export const REDIS_PORT = 10000;

/**
 * The access policy assignment's name: ARM (2025-07-01) allows only `^[A-Za-z0-9]{1,60}$`, so azure-native's
 * auto-name (`<logical name>` + 8 hex, with hyphens) is refused. The principal's object id without hyphens is
 * 32 alphanumerics, unique per principal, and says whom the assignment is for.
 */
export function accessPolicyAssignmentName(objectId: string): string {
  return objectId.replace(/-/g, '');
}

/**
 * Azure Managed Redis (Azure Cache for Redis is being retired): TLS 1.2+ only (`Encrypted` protocol),
 * no public network access (private endpoint), Entra ID authentication with access keys off unless the
 * profile needs them, zone placement where the profile has zones.
 */
export class Redis extends pulumi.ComponentResource {
  readonly hostName: pulumi.Output<string>;
  /** The cluster's ARM id (scope of its platform alerts). */
  readonly clusterId: pulumi.Output<string>;
  readonly port: number = REDIS_PORT;
  /** The primary access key, only when the profile enables keys (a secret). */
  readonly accessKey?: pulumi.Output<string>;

  constructor(name: string, args: RedisArgs, opts?: pulumi.ComponentResourceOptions) {
    super('secure-mcp:azure:Redis', name, {}, opts);
    const cluster = new RedisEnterprise(
      `${name}-cluster`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        clusterName: args.clusterName,
        sku: { name: args.profile.sku },
        minimumTlsVersion: '1.2',
        publicNetworkAccess: 'Disabled',
        highAvailability: args.profile.highAvailability ? 'Enabled' : 'Disabled',
        ...(args.availabilityZones.length > 0 ? { zones: args.availabilityZones } : {}),
        tags: args.tags,
      },
      { parent: this },
    );

    const database = new Database(
      `${name}-database`,
      {
        resourceGroupName: args.resourceGroupName,
        clusterName: cluster.name,
        databaseName: REDIS_DATABASE_NAME,
        clientProtocol: 'Encrypted',
        port: REDIS_PORT,
        // Rate-limit counters and token caches: evicting the least recently used key is the safe failure mode.
        evictionPolicy: 'AllKeysLRU',
        clusteringPolicy: 'NoCluster',
        accessKeysAuthentication: args.profile.accessKeysEnabled ? 'Enabled' : 'Disabled',
      },
      { parent: this },
    );

    args.dataAccessPrincipalIds.forEach((objectId, index) => {
      new AccessPolicyAssignment(
        `${name}-access-${index}`,
        {
          resourceGroupName: args.resourceGroupName,
          clusterName: cluster.name,
          databaseName: database.name,
          accessPolicyAssignmentName: pulumi.output(objectId).apply(accessPolicyAssignmentName),
          accessPolicyName: 'default',
          user: { objectId },
        },
        { parent: this },
      );
    });

    createPrivateEndpoint(
      `${name}-pe`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        subnetId: args.privateEndpointSubnetId,
        targetResourceId: cluster.id,
        groupId: 'redisEnterprise',
        privateDnsZoneId: args.privateDnsZoneId,
        tags: args.tags,
      },
      { parent: this },
    );

    createDiagnosticSetting(
      `${name}-diagnostics`,
      {
        targetResourceId: database.id,
        workspaceId: args.workspaceId,
        logCategories: ['ConnectionEvents'],
        includeMetrics: true,
      },
      { parent: this },
    );

    if (args.profile.accessKeysEnabled) {
      const keys = listDatabaseKeysOutput(
        { resourceGroupName: args.resourceGroupName, clusterName: cluster.name, databaseName: database.name },
        { parent: this },
      );
      this.accessKey = pulumi.secret(keys.primaryKey);
    }

    this.hostName = cluster.hostName;
    this.clusterId = cluster.id;
    this.registerOutputs({ hostName: this.hostName });
  }
}
