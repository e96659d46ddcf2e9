import { UserAssignedIdentity } from '@pulumi/azure-native/managedidentity';
import * as pulumi from '@pulumi/pulumi';
import { grantRole } from './role-definitions';
import type { TagMap } from './tags';

export interface IdentityArgs {
  resourceGroupName: pulumi.Input<string>;
  location: string;
  subscriptionId: pulumi.Input<string>;
  namePrefix: string;
  /** The node subnets the cluster identity must join nodes and load balancers to. */
  nodeSubnetIds: pulumi.Input<string>[];
  /** Whether the stack runs the authorization server for MCP clients (its identity and its key Job's). */
  authorizationServer: boolean;
  tags: TagMap;
}

export interface ManagedIdentityRef {
  id: pulumi.Output<string>;
  clientId: pulumi.Output<string>;
  principalId: pulumi.Output<string>;
  name: pulumi.Output<string>;
}

/**
 * The user-assigned identities, each with one job:
 * - cluster (control plane): manages node subnets and assigns the kubelet identity to the nodes;
 * - kubelet: pulls images (AcrPull is granted on the registry by the Registry component);
 * - workload: the MCP pods' identity through workload identity federation (its grants live with the
 *   resources it reads: Key Vault, Redis, Postgres);
 * - databaseSetup: the migration Job's identity, a Postgres Entra administrator (the serving pods never are);
 * - gatewayRedis: Kong's Redis login, whose tokens a CronJob writes where Kong OSS reads its plugin config;
 * - authorizationServer: the MCP clients' authorization server (its own Postgres login, read on its key secrets);
 * - authorizationServerKeys: the Job that creates and rotates those keys (the only writer of those secrets).
 * User-assigned rather than system-assigned so grants exist before the cluster does and survive its recreation.
 */
export class Identity extends pulumi.ComponentResource {
  readonly cluster: ManagedIdentityRef;
  readonly kubelet: ManagedIdentityRef;
  readonly workload: ManagedIdentityRef;
  readonly databaseSetup: ManagedIdentityRef;
  readonly gatewayRedis: ManagedIdentityRef;
  readonly authorizationServer?: { server: ManagedIdentityRef; keys: ManagedIdentityRef };
  /** The cluster must wait for these, or its first node pool fails to join the subnet. */
  readonly clusterGrants: pulumi.Resource[];

  constructor(name: string, args: IdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super('secure-mcp:azure:Identity', name, {}, opts);
    const identity = (key: string) => {
      const created = new UserAssignedIdentity(
        `${name}-${key}`,
        {
          resourceGroupName: args.resourceGroupName,
          location: args.location,
          resourceName: `id-${args.namePrefix}-${key}`,
          tags: args.tags,
        },
        { parent: this },
      );
      return { id: created.id, clientId: created.clientId, principalId: created.principalId, name: created.name };
    };
    this.cluster = identity('cluster');
    this.kubelet = identity('kubelet');
    this.workload = identity('workload');
    this.databaseSetup = identity('db-setup');
    this.gatewayRedis = identity('gateway-redis');
    if (args.authorizationServer) {
      this.authorizationServer = {
        server: identity('authorization-server'),
        keys: identity('authorization-server-keys'),
      };
    }

    const subnetGrants = args.nodeSubnetIds.map((subnetId, index) =>
      grantRole(
        `${name}-cluster-network-${index}`,
        {
          role: 'networkContributor',
          principalId: this.cluster.principalId,
          principalType: 'ServicePrincipal',
          scope: subnetId,
          subscriptionId: args.subscriptionId,
        },
        { parent: this },
      ),
    );
    const kubeletOperator = grantRole(
      `${name}-cluster-kubelet-operator`,
      {
        role: 'managedIdentityOperator',
        principalId: this.cluster.principalId,
        principalType: 'ServicePrincipal',
        scope: this.kubelet.id,
        subscriptionId: args.subscriptionId,
      },
      { parent: this },
    );
    this.clusterGrants = [...subnetGrants, kubeletOperator];
    this.registerOutputs({ workloadClientId: this.workload.clientId });
  }
}
