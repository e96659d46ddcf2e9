import { AZURE_TYPES, isType } from '../lib/azure';
import { defineResourcePolicy, stringListConfig } from '../lib/define';
import { asString } from '../lib/values';

/** Built-in role definition ids that grant write on everything (Owner, Contributor, User Access Administrator). */
const PRIVILEGED_ROLES: Record<string, string> = {
  '8e3af657-a8ff-443c-a75c-2fe8c4bcb635': 'Owner',
  'b24988ac-6180-42a0-ab88-20f7382dd24c': 'Contributor',
  '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9': 'User Access Administrator',
};

export const noPrivilegedRoleAssignment = defineResourcePolicy<{ allowedPrincipalIds: string[] }>({
  name: 'azure-authorization-least-privilege',
  description:
    'The program grants no Owner, Contributor or User Access Administrator role: identities get least-privilege roles.',
  severity: 'high',
  checklist: ['auth-rbac'],
  references: ['AKS baseline', 'Azure security benchmark PA-7'],
  remediationSteps:
    'Assign a narrow built-in role on the narrowest scope (Key Vault Secrets User on the vault, AcrPull on the registry, Network Contributor on a subnet).',
  config: {
    allowedPrincipalIds: stringListConfig('Principal ids allowed to receive a privileged role (break-glass).', []),
  },
  appliesTo: isType(AZURE_TYPES.roleAssignment),
  validate: ({ props }, config, report) => {
    const roleId = asString(props.roleDefinitionId)?.toLowerCase() ?? '';
    const principal = asString(props.principalId) ?? '';
    if (config.allowedPrincipalIds.includes(principal)) return;
    for (const [id, role] of Object.entries(PRIVILEGED_ROLES)) {
      if (roleId.endsWith(id)) report(`The role assignment grants ${role}: use a least-privilege role.`);
    }
  },
});
