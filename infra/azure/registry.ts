import { Registry as ContainerRegistry } from '@pulumi/azure-native/containerregistry';
import * as pulumi from '@pulumi/pulumi';
import type { RegistryProfile } from '../../stacks';
import { createDiagnosticSetting } from './diagnostic-setting';
import { createPrivateEndpoint } from './private-endpoint';
import { grantRole } from './role-definitions';
import type { TagMap } from './tags';

export interface RegistryArgs {
  resourceGroupName: pulumi.Input<string>;
  location: string;
  subscriptionId: pulumi.Input<string>;
  registryName: pulumi.Input<string>;
  profile: RegistryProfile;
  /** Required when the profile closes public access (Premium only). */
  privateEndpoint?: { subnetId: pulumi.Input<string>; privateDnsZoneId: pulumi.Input<string> };
  workspaceId: pulumi.Input<string>;
  /** The kubelet identity: AcrPull on this registry only. */
  pullerPrincipalId: pulumi.Input<string>;
  tags: TagMap;
}

/** ACR: no admin user (Entra tokens only), no anonymous pull, public access per profile, AcrPull for the kubelet. */
export class Registry extends pulumi.ComponentResource {
  readonly registryId: pulumi.Output<string>;
  readonly loginServer: pulumi.Output<string>;

  constructor(name: string, args: RegistryArgs, opts?: pulumi.ComponentResourceOptions) {
    super('secure-mcp:azure:Registry', name, {}, opts);
    const premium = args.profile.sku === 'Premium';
    if (!args.profile.publicNetworkAccess && (!premium || !args.privateEndpoint)) {
      throw new Error(
        'REGISTRY_PRIVATE_NEEDS_PREMIUM: a registry without public access needs the Premium SKU and a private endpoint',
      );
    }

    const registry = new ContainerRegistry(
      `${name}-registry`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        registryName: args.registryName,
        sku: { name: args.profile.sku },
        adminUserEnabled: false,
        anonymousPullEnabled: false,
        publicNetworkAccess: args.profile.publicNetworkAccess ? 'Enabled' : 'Disabled',
        ...(premium
          ? {
              zoneRedundancy: args.profile.zoneRedundant ? 'Enabled' : 'Disabled',
              networkRuleBypassOptions: 'None',
              dataEndpointEnabled: !args.profile.publicNetworkAccess,
              policies: {
                retentionPolicy: { status: 'enabled', days: 30 },
                exportPolicy: { status: args.profile.publicNetworkAccess ? 'enabled' : 'disabled' },
              },
            }
          : {}),
        tags: args.tags,
      },
      { parent: this },
    );

    if (args.privateEndpoint) {
      createPrivateEndpoint(
        `${name}-pe`,
        {
          resourceGroupName: args.resourceGroupName,
          location: args.location,
          subnetId: args.privateEndpoint.subnetId,
          targetResourceId: registry.id,
          groupId: 'registry',
          privateDnsZoneId: args.privateEndpoint.privateDnsZoneId,
          tags: args.tags,
        },
        { parent: this },
      );
    }

    createDiagnosticSetting(
      `${name}-diagnostics`,
      {
        targetResourceId: registry.id,
        workspaceId: args.workspaceId,
        logCategories: ['ContainerRegistryLoginEvents', 'ContainerRegistryRepositoryEvents'],
        includeMetrics: true,
      },
      { parent: this },
    );

    grantRole(
      `${name}-kubelet-acrpull`,
      {
        role: 'acrPull',
        principalId: args.pullerPrincipalId,
        principalType: 'ServicePrincipal',
        scope: registry.id,
        subscriptionId: args.subscriptionId,
      },
      { parent: this },
    );

    this.registryId = registry.id;
    this.loginServer = registry.loginServer;
    this.registerOutputs({ loginServer: this.loginServer });
  }
}
