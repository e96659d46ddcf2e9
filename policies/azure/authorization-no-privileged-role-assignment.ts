/**
 * Least privilege as an allow-list: every role assignment the program makes must be one of the (principal kind,
 * role, scope kind) grants the architecture needs (infra/azure/role-definitions.ts and its callers), and no
 * assignment is ever made at subscription, resource-group, management-group or root scope.
 */
import type { PolicyConfigJSONSchema } from '@pulumi/policy/schema';
import { AZURE_TYPES, isType } from '../lib/azure';
import { defineResourcePolicy, stringListConfig } from '../lib/define';
import { asString, isUnknown } from '../lib/values';

export interface AllowedAssignment {
  /** A readable name, for messages. */
  role: string;
  /** The built-in role definition id (GUID); matched against the end of roleDefinitionId, case-insensitively. */
  roleDefinitionId: string;
  /** `ServicePrincipal`, `Group`, `User`. */
  principalTypes: string[];
  /** ARM resource types the scope may be, e.g. `Microsoft.KeyVault/vaults/secrets`. */
  scopeTypes: string[];
}

/** The grants of this architecture, each on the narrowest scope that works. */
export const ARCHITECTURE_ASSIGNMENTS: AllowedAssignment[] = [
  {
    role: 'Key Vault Secrets User',
    roleDefinitionId: '4633458b-17de-408a-b874-0445c86b69e6',
    principalTypes: ['ServicePrincipal'],
    scopeTypes: ['Microsoft.KeyVault/vaults/secrets'],
  },
  {
    // The authorization server's key Job creates and rotates its key secrets, which therefore cannot be the scope.
    role: 'Key Vault Secrets Officer',
    roleDefinitionId: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7',
    principalTypes: ['ServicePrincipal'],
    scopeTypes: ['Microsoft.KeyVault/vaults'],
  },
  {
    role: 'AcrPull',
    roleDefinitionId: '7f951dda-4ed3-4680-a7ca-43fe172d538d',
    principalTypes: ['ServicePrincipal'],
    scopeTypes: ['Microsoft.ContainerRegistry/registries'],
  },
  {
    role: 'Network Contributor',
    roleDefinitionId: '4d97b98b-1d4f-4787-a291-c67834d212e7',
    principalTypes: ['ServicePrincipal'],
    // The node and ingress subnets AKS joins, and (prod) the egress route table it writes routes to.
    scopeTypes: ['Microsoft.Network/virtualNetworks/subnets', 'Microsoft.Network/routeTables'],
  },
  {
    role: 'Managed Identity Operator',
    roleDefinitionId: 'f1a07417-d97a-45cb-824c-7a7467783830',
    principalTypes: ['ServicePrincipal'],
    scopeTypes: ['Microsoft.ManagedIdentity/userAssignedIdentities'],
  },
  {
    role: 'Azure Kubernetes Service RBAC Cluster Admin',
    roleDefinitionId: 'b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b',
    principalTypes: ['Group', 'User', 'ServicePrincipal'],
    scopeTypes: ['Microsoft.ContainerService/managedClusters'],
  },
];

const GUID = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\s*$/i;

/** What an ARM scope id names: `subscription`, `resourceGroup`, `root`, or the resource type (`Microsoft.X/a/b`). */
export function scopeKindOf(scope: string): string {
  const segments = scope.split('/').filter((segment) => segment.length > 0);
  if (segments.length === 0) return 'root';
  const lower = segments.map((segment) => segment.toLowerCase());
  const provider = lower.lastIndexOf('providers');
  if (provider >= 0 && provider + 1 < segments.length) {
    const rest = segments.slice(provider + 1);
    const namespace = rest[0] as string;
    // namespace, then type/name pairs: Microsoft.KeyVault / vaults / kv / secrets / s → Microsoft.KeyVault/vaults/secrets
    const types = rest.slice(1).filter((_, index) => index % 2 === 0);
    return types.length > 0 ? [namespace, ...types].join('/') : namespace;
  }
  if (lower[0] === 'subscriptions') {
    if (lower.length <= 2) return 'subscription';
    if (lower[2] === 'resourcegroups') return 'resourceGroup';
  }
  return 'unrecognised';
}

/** Scope kinds that grant on everything in them: never allowed. */
const BROAD_SCOPES: Record<string, string> = {
  root: 'the tenant root',
  subscription: 'a subscription',
  resourceGroup: 'a resource group',
  'Microsoft.Management/managementGroups': 'a management group',
};

interface LeastPrivilegeConfig {
  allowedAssignments: AllowedAssignment[];
  allowedPrincipalIds: string[];
}

const allowedAssignmentSchema: PolicyConfigJSONSchema = {
  type: 'object',
  required: ['roleDefinitionId', 'principalTypes', 'scopeTypes'],
  properties: {
    role: { type: 'string' },
    roleDefinitionId: { type: 'string' },
    principalTypes: { type: 'array', items: { type: 'string' } },
    scopeTypes: { type: 'array', items: { type: 'string' } },
  },
};

function sameId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

export const noPrivilegedRoleAssignment = defineResourcePolicy<LeastPrivilegeConfig>({
  name: 'azure-authorization-least-privilege',
  description:
    'Every role assignment is one the architecture needs (an allow-list of principal kind, role and scope kind), and none is made at subscription, resource-group or wider scope.',
  severity: 'high',
  checklist: ['auth-rbac'],
  references: ['AKS baseline', 'Azure security benchmark PA-7'],
  remediationSteps:
    'Assign a narrow built-in role on the narrowest scope (Key Vault Secrets User on a secret, AcrPull on the registry, Network Contributor on a subnet); a new grant the architecture needs goes into the allowedAssignments config.',
  config: {
    allowedAssignments: {
      type: 'array',
      items: allowedAssignmentSchema,
      description: 'The (principal types, role definition id, scope types) grants the architecture needs.',
      default: ARCHITECTURE_ASSIGNMENTS as unknown as PolicyConfigJSONSchema['default'] & AllowedAssignment[],
    },
    allowedPrincipalIds: stringListConfig(
      'Principal ids exempt from the allow-list (break-glass); never from the scope check.',
      [],
    ),
  },
  appliesTo: isType(AZURE_TYPES.roleAssignment),
  validate: ({ props }, config, report) => {
    const scope = props.scope;
    const scopeKind = typeof scope === 'string' ? scopeKindOf(scope) : undefined;
    const broad = scopeKind === undefined ? undefined : BROAD_SCOPES[scopeKind];
    if (broad)
      report(`The role assignment is made at the scope of ${broad} (${String(scope)}): scope it to a resource.`);

    if (isUnknown(props.roleDefinitionId) || isUnknown(props.principalType)) return;
    const principal = asString(props.principalId);
    if (principal !== undefined && config.allowedPrincipalIds.includes(principal)) return;
    const roleId = GUID.exec(asString(props.roleDefinitionId) ?? '')?.[1] ?? '';
    const principalType = asString(props.principalType) ?? '(undeclared)';
    const forRole = config.allowedAssignments.filter((entry) => sameId(entry.roleDefinitionId, roleId));
    const label = forRole[0]?.role ?? `role ${roleId || String(props.roleDefinitionId)}`;
    if (forRole.length === 0) {
      report(`The role assignment grants ${label}, which the architecture does not need: use a least-privilege role.`);
      return;
    }
    const forPrincipal = forRole.filter((entry) => entry.principalTypes.some((type) => sameId(type, principalType)));
    if (forPrincipal.length === 0) {
      report(`The role assignment grants ${label} to a ${principalType}, which the allow-list does not permit.`);
      return;
    }
    // In preview the scope is often a not-yet-known resource id: the scope kind is judged again at `pulumi up`.
    if (scopeKind === undefined || broad) return;
    if (!forPrincipal.some((entry) => entry.scopeTypes.some((type) => sameId(type, scopeKind)))) {
      const expected = forPrincipal.flatMap((entry) => entry.scopeTypes).join(', ');
      report(
        `The role assignment grants ${label} on a ${scopeKind} scope; the allow-list permits it only on ${expected}.`,
      );
    }
  },
});
