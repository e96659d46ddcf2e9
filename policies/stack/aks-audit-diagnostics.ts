import { AZURE_TYPES } from '../lib/azure';
import { defineDiagnosticsPolicy } from './diagnostics';

export const AKS_AUDIT_DIAGNOSTICS = {
  targetType: AZURE_TYPES.managedCluster,
  armSegment: 'managedClusters',
  nameProperty: 'resourceName',
  categories: [
    ['kube-audit-admin', 'kube-audit', 'audit', 'allLogs'],
    ['guard', 'audit', 'allLogs'],
  ],
} as const;

export const aksAuditDiagnostics = defineDiagnosticsPolicy(
  {
    name: 'azure-aks-audit-diagnostics',
    description:
      'Every AKS cluster sends its API audit log (kube-audit-admin) and Entra authentication log (guard) to Log Analytics.',
    severity: 'high',
    checklist: ['mon-security-events', 'data-audit'],
    references: ['AKS baseline', 'AKS landing zone accelerator', 'Azure security benchmark LT-3'],
    remediationSteps:
      "Add a `monitor.DiagnosticSetting` on the cluster with logs kube-audit-admin (or kube-audit, or categoryGroup 'audit') and guard, workspaceId set.",
  },
  AKS_AUDIT_DIAGNOSTICS,
  'AKS cluster',
);
