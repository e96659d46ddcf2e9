import { RoleAssignment } from '@pulumi/azure-native/authorization';
import * as pulumi from '@pulumi/pulumi';

/** Built-in Azure role definition ids (identical in every tenant). Only the narrow roles this platform needs. */
export const BUILT_IN_ROLES = {
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6',
  /** Read, create and rotate secrets (no access to keys, certificates or the vault's settings and grants). */
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7',
  acrPull: '7f951dda-4ed3-4680-a7ca-43fe172d538d',
  networkContributor: '4d97b98b-1d4f-4787-a291-c67834d212e7',
  managedIdentityOperator: 'f1a07417-d97a-45cb-824c-7a7467783830',
  aksRbacClusterAdmin: 'b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b',
} as const;
export type BuiltInRoleName = keyof typeof BUILT_IN_ROLES;

export interface RoleGrant {
  role: BuiltInRoleName;
  principalId: pulumi.Input<string>;
  principalType: 'ServicePrincipal' | 'Group' | 'User';
  /** The narrowest scope that works: a resource id, never a subscription. */
  scope: pulumi.Input<string>;
  subscriptionId: pulumi.Input<string>;
}

/** Assigns a built-in role at a resource scope. */
export function grantRole(name: string, grant: RoleGrant, opts: pulumi.CustomResourceOptions): RoleAssignment {
  return new RoleAssignment(
    name,
    {
      principalId: grant.principalId,
      // Set explicitly so ARM does not look the principal up in Graph, which races with freshly created identities.
      principalType: grant.principalType,
      roleDefinitionId: pulumi.interpolate`/subscriptions/${grant.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${BUILT_IN_ROLES[grant.role]}`,
      scope: grant.scope,
    },
    opts,
  );
}
