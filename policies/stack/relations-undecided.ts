/**
 * The stack policies that relate resources (private endpoints, diagnostic settings) decide from the engine's
 * property dependencies when ids are unknown (lib/stack.ts refersTo). Where even those cannot decide (no dependency
 * record, or the target reachable only through another resource), those policies do not guess: this advisory policy
 * says so, so an undecided relation in a preview is visible instead of a silent pass. `pulumi up` decides them.
 */
import { defineStackPolicy } from '../lib/define';
import { ACR_DIAGNOSTICS, acrDiagnostics } from './acr-diagnostics';
import { AKS_AUDIT_DIAGNOSTICS, aksAuditDiagnostics } from './aks-audit-diagnostics';
import { type DiagnosticsRequirement, undecidedDiagnostics } from './diagnostics';
import { KEYVAULT_AUDIT_DIAGNOSTICS, keyVaultAuditDiagnostics } from './keyvault-audit-diagnostics';
import {
  type EndpointTarget,
  KEYVAULT_ENDPOINT_TARGET,
  keyVaultPrivateEndpoint,
  undecidedPrivateEndpoints,
} from './keyvault-private-endpoint';
import { POSTGRES_AUDIT_DIAGNOSTICS, postgresAuditDiagnostics } from './postgres-audit-diagnostics';
import { REDIS_DIAGNOSTICS, redisDiagnostics } from './redis-diagnostics';
import { REDIS_ENDPOINT_TARGET, redisPrivateEndpoint } from './redis-private-endpoint';

// The relations of the policies that decide them, named by those policies.
const ENDPOINTS: ReadonlyArray<{ what: string; policy: string; target: EndpointTarget }> = [
  { what: 'Key Vault', policy: keyVaultPrivateEndpoint.name, target: KEYVAULT_ENDPOINT_TARGET },
  { what: 'Redis cluster', policy: redisPrivateEndpoint.name, target: REDIS_ENDPOINT_TARGET },
];

const DIAGNOSTICS: ReadonlyArray<{ what: string; policy: string; requirement: DiagnosticsRequirement }> = [
  { what: 'AKS cluster', policy: aksAuditDiagnostics.name, requirement: AKS_AUDIT_DIAGNOSTICS },
  { what: 'Key Vault', policy: keyVaultAuditDiagnostics.name, requirement: KEYVAULT_AUDIT_DIAGNOSTICS },
  { what: 'Postgres server', policy: postgresAuditDiagnostics.name, requirement: POSTGRES_AUDIT_DIAGNOSTICS },
  { what: 'Redis database', policy: redisDiagnostics.name, requirement: REDIS_DIAGNOSTICS },
  { what: 'Container registry', policy: acrDiagnostics.name, requirement: ACR_DIAGNOSTICS },
];

const TARGET_TYPES = new Set<string>([
  ...ENDPOINTS.map((relation) => relation.target.targetType),
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
      for (const target of undecidedPrivateEndpoints(resources, relation.target)) {
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
