/**
 * The allow-list (azure/authorization-no-privileged-role-assignment.ts) judges a grant by the principalType the
 * program declares, which is whatever the program writes: cluster admin for a pod's workload identity passed as a
 * "ServicePrincipal" like the deployer. This policy judges by where the principalId comes from, which the engine
 * records (known in preview): an identity this stack creates, or a principal from outside it (an admin group, a
 * person, the deployer). Each role of the architecture is for one of the two.
 */
import type { PolicyConfigJSONSchema } from '@pulumi/policy/schema';
import { ARCHITECTURE_ASSIGNMENTS } from '../azure/authorization-no-privileged-role-assignment';
import { AZURE_TYPES } from '../lib/azure';
import { defineStackPolicy, type StackResource } from '../lib/define';
import { asString, isUnknown } from '../lib/values';

export type PrincipalSource = 'stack-identity' | 'external';

const role = (name: string) => ARCHITECTURE_ASSIGNMENTS.find((entry) => entry.role === name)?.roleDefinitionId ?? '';

/** Role definition id (GUID, lower case) → the principals it may go to. */
export const PRINCIPAL_SOURCES: Record<string, PrincipalSource> = {
  // Workloads and the cluster's own machinery: identities the stack creates, never a person's or a group's id.
  [role('Key Vault Secrets User')]: 'stack-identity',
  [role('AcrPull')]: 'stack-identity',
  [role('Network Contributor')]: 'stack-identity',
  [role('Managed Identity Operator')]: 'stack-identity',
  // People, groups and the deployer: never an identity a pod or the cluster can use.
  [role('Azure Kubernetes Service RBAC Cluster Admin')]: 'external',
};

/** Identities the stack creates whose principal id a grant can name. */
const IDENTITY_TYPES = new Set<string>([AZURE_TYPES.userAssignedIdentity, AZURE_TYPES.managedCluster]);

const GUID = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\s*$/i;

export const rolePrincipalSource = defineStackPolicy<{ principalSources: Record<string, PrincipalSource> }>({
  name: 'azure-authorization-principal-source',
  description:
    'Each role of the architecture goes to the kind of principal it is for, judged by where its principalId comes from (an identity the stack creates, or a group, person or deployer from outside), not by the principalType the program declares.',
  severity: 'high',
  checklist: ['auth-rbac'],
  references: ['AKS baseline', 'Azure security benchmark PA-7'],
  remediationSteps:
    'Grant workload and cluster roles to the managed identity the stack creates (its `principalId` output), and cluster admin only to the admin group or the deployer; a new pairing goes into the principalSources config.',
  config: {
    principalSources: {
      type: 'object',
      additionalProperties: { type: 'string', enum: ['stack-identity', 'external'] },
      description: "Role definition id (GUID) → 'stack-identity' or 'external'. Roles not listed are not judged here.",
      default: PRINCIPAL_SOURCES as unknown as PolicyConfigJSONSchema['default'] & Record<string, PrincipalSource>,
    },
  },
  subjects: (type) => type === AZURE_TYPES.roleAssignment,
  validate: (resources, config, report) => {
    const byUrn = new Map(resources.map((resource) => [resource.urn, resource]));
    const sources = new Map(Object.entries(config.principalSources).map(([id, source]) => [id.toLowerCase(), source]));
    for (const grant of resources.filter((resource) => resource.type === AZURE_TYPES.roleAssignment)) {
      if (isUnknown(grant.props.roleDefinitionId)) continue;
      const roleId = GUID.exec(asString(grant.props.roleDefinitionId) ?? '')?.[1]?.toLowerCase() ?? '';
      const wanted = sources.get(roleId);
      const identity = (grant.propertyDependencyUrns.principalId ?? [])
        .map((urn) => byUrn.get(urn))
        .find((resource): resource is StackResource => resource !== undefined && IDENTITY_TYPES.has(resource.type));
      const label = ARCHITECTURE_ASSIGNMENTS.find((entry) => entry.roleDefinitionId === roleId)?.role ?? roleId;
      const declared = asString(grant.props.principalType);
      if (identity && declared !== undefined && declared !== 'ServicePrincipal') {
        report(
          `Role assignment ${grant.name} declares principalType '${declared}' for the managed identity ${identity.name}: a managed identity is a ServicePrincipal.`,
          grant.urn,
        );
      }
      if (wanted === 'external' && identity) {
        report(
          `Role assignment ${grant.name} grants ${label} to ${identity.name}, an identity this stack creates for a workload or the cluster: ${label} is for the admin group or the deployer only.`,
          grant.urn,
        );
      } else if (wanted === 'stack-identity' && !identity && !isUnknown(grant.props.principalId)) {
        report(
          `Role assignment ${grant.name} grants ${label} to ${String(grant.props.principalId)}, a principal from outside the stack: ${label} is for an identity the stack creates (its principalId output).`,
          grant.urn,
        );
      }
    }
  },
});
