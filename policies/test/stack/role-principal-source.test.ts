/**
 * azure-authorization-principal-source: a grant is judged by where its principalId comes from (the engine's property
 * dependency, known in preview), not by the principalType the program declares.
 */
import { rolePrincipalSource } from '../../stack/role-principal-source';
import { AZURE_TYPES, CLUSTER_ID, roleAssignment, VAULT_ID } from '../fixtures/azure-baseline';
import { type StackDraft, toStackRecords } from '../fixtures/stack-baseline';
import { provePolicy } from '../helpers/policy-harness';

const roleId = (guid: string) =>
  `/subscriptions/00000000-0000-4000-8000-000000000001/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
const CLUSTER_ADMIN = roleId('b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b');

function grants(): StackDraft {
  return {
    'workload-identity': {
      type: AZURE_TYPES.userAssignedIdentity,
      props: { resourceName: 'id-mcp-workload', principalId: '55555555-5555-4555-8555-555555555555' },
    },
    // Key Vault Secrets User for the workload identity, on one secret (its principalId output).
    'workload-reads-secret': {
      type: AZURE_TYPES.roleAssignment,
      props: {
        ...roleAssignment(),
        principalId: '55555555-5555-4555-8555-555555555555',
        scope: `${VAULT_ID}/secrets/s`,
      },
      propertyDependencies: { principalId: ['workload-identity'] },
    },
    // Cluster admin for the admin group, an object id from config: no dependency.
    'admins-cluster-admin': {
      type: AZURE_TYPES.roleAssignment,
      props: {
        principalId: '11111111-1111-4111-8111-111111111111',
        principalType: 'Group',
        roleDefinitionId: CLUSTER_ADMIN,
        scope: CLUSTER_ID,
      },
    },
  };
}

provePolicy({
  policy: rolePrincipalSource,
  baseline: grants,
  toRecords: toStackRecords,
  passing: [
    {
      name: 'cluster admin for the deployer (a ServicePrincipal from outside the stack)',
      change: (d) => {
        d['admins-cluster-admin']!.props.principalType = 'ServicePrincipal';
      },
    },
  ],
  failing: [
    {
      rule: "cluster admin for the workload identity, declared a ServicePrincipal like the deployer's",
      change: (d) => {
        d['admins-cluster-admin']!.props.principalType = 'ServicePrincipal';
        d['admins-cluster-admin']!.props.principalId = '55555555-5555-4555-8555-555555555555';
        d['admins-cluster-admin']!.propertyDependencies = { principalId: ['workload-identity'] };
      },
      message:
        /admins-cluster-admin grants Azure Kubernetes Service RBAC Cluster Admin to workload-identity, an identity this stack creates/,
    },
    {
      rule: 'a workload role for a principal id from outside the stack',
      change: (d) => {
        d['workload-reads-secret']!.props.principalId = '66666666-6666-4666-8666-666666666666';
        d['workload-reads-secret']!.propertyDependencies = {};
      },
      message: /workload-reads-secret grants Key Vault Secrets User to 66666666-.*a principal from outside the stack/,
    },
    {
      rule: 'a managed identity declared a Group',
      change: (d) => {
        d['workload-reads-secret']!.props.principalType = 'Group';
      },
      message: /declares principalType 'Group' for the managed identity workload-identity/,
    },
  ],
  // The principal id is unknown in a first preview; the dependency on the identity is not.
  preview: [['workload-reads-secret', 'props', 'principalId']],
});
