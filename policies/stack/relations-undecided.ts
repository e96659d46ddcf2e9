/**
 * The stack policies that relate resources (private endpoints, diagnostic settings) decide from the engine's
 * property dependencies when ids are unknown (lib/stack.ts refersTo). Where even those cannot decide (no dependency
 * record, or the target reachable only through another resource), those policies do not guess: this advisory policy
 * says so, so an undecided relation in a preview is visible instead of a silent pass. `pulumi up` decides them.
 */
import { AZURE_TYPES } from '../lib/azure';
import { defineStackPolicy } from '../lib/define';
import { ACR_DIAGNOSTICS } from './acr-diagnostics';
import { type DiagnosticsRequirement, undecidedDiagnostics } from './diagnostics';
import { undecidedPrivateEndpoints } from './keyvault-private-endpoint';
import { REDIS_DIAGNOSTICS } from './redis-diagnostics';

interface EndpointRelation {
  what: string;
  policy: string;
  targetType: string;
  armSegment: string;
  nameProperty: string;
}

const ENDPOINTS: readonly EndpointRelation[] = [
  {
    what: 'Key Vault',
    policy: 'azure-keyvault-private-endpoint',
    targetType: AZURE_TYPES.vault,
    armSegment: 'vaults',
    nameProperty: 'vaultName',
  },
  {
    what: 'Redis cluster',
    policy: 'azure-redis-private-endpoint',
    targetType: AZURE_TYPES.redisEnterprise,
    armSegment: 'redisEnterprise',
    nameProperty: 'clusterName',
  },
];

const DIAGNOSTICS: ReadonlyArray<{ what: string; policy: string; requirement: DiagnosticsRequirement }> = [
  {
    what: 'AKS cluster',
    policy: 'azure-aks-audit-diagnostics',
    requirement: {
      targetType: AZURE_TYPES.managedCluster,
      armSegment: 'managedClusters',
      nameProperty: 'resourceName',
      categories: [
        ['kube-audit-admin', 'kube-audit', 'audit', 'allLogs'],
        ['guard', 'audit', 'allLogs'],
      ],
    },
  },
  {
    what: 'Key Vault',
    policy: 'azure-keyvault-audit-diagnostics',
    requirement: {
      targetType: AZURE_TYPES.vault,
      armSegment: 'vaults',
      nameProperty: 'vaultName',
      categories: [['AuditEvent', 'audit', 'allLogs']],
    },
  },
  {
    what: 'Postgres server',
    policy: 'azure-postgres-audit-diagnostics',
    requirement: {
      targetType: AZURE_TYPES.postgresServer,
      armSegment: 'flexibleServers',
      nameProperty: 'serverName',
      categories: [['PostgreSQLLogs', 'audit', 'allLogs']],
    },
  },
  { what: 'Redis database', policy: 'azure-redis-diagnostics', requirement: REDIS_DIAGNOSTICS },
  { what: 'Container registry', policy: 'azure-acr-diagnostics', requirement: ACR_DIAGNOSTICS },
];

const TARGET_TYPES = new Set<string>([
  ...ENDPOINTS.map((relation) => relation.targetType),
  ...DIAGNOSTICS.map((relation) => relation.requirement.targetType),
]);

export const relationsUndecided = defineStackPolicy({
  name: 'azure-stack-relations-undecided',
  description:
    'Advisory: names each private-endpoint or diagnostic-setting relation the stack policies cannot decide yet (values unknown in preview and no dependency record to decide by), instead of passing it silently.',
  severity: 'medium',
  enforcementLevel: 'advisory',
  checklist: ['net-private', 'data-audit'],
  references: ['Pulumi CrossGuard: unknown values during preview', 'this pack: lib/stack.ts refersTo'],
  remediationSteps:
    'Nothing to change when `pulumi up` passes the named policy; to decide in preview, pass the target resource itself (its `.id` output), so the engine records the property dependency.',
  subjects: (type) => TARGET_TYPES.has(type),
  validate: (resources, _config, report) => {
    for (const relation of ENDPOINTS) {
      for (const target of undecidedPrivateEndpoints(
        resources,
        relation.targetType,
        relation.armSegment,
        relation.nameProperty,
      )) {
        report(
          `${relation.what} ${target.name}: whether a private endpoint reaches it cannot be decided in preview (${relation.policy} decides at pulumi up).`,
          target.urn,
        );
      }
    }
    for (const relation of DIAGNOSTICS) {
      for (const target of undecidedDiagnostics(resources, relation.requirement)) {
        report(
          `${relation.what} ${target.name}: whether its diagnostic settings send the required logs cannot be decided in preview (${relation.policy} decides at pulumi up).`,
          target.urn,
        );
      }
    }
  },
});
