import { AZURE_TYPES } from '../lib/azure';
import { defineDiagnosticsPolicy } from './diagnostics';

export const POSTGRES_AUDIT_DIAGNOSTICS = {
  targetType: AZURE_TYPES.postgresServer,
  armSegment: 'flexibleServers',
  nameProperty: 'serverName',
  categories: [['PostgreSQLLogs', 'audit', 'allLogs']],
} as const;

export const postgresAuditDiagnostics = defineDiagnosticsPolicy(
  {
    name: 'azure-postgres-audit-diagnostics',
    description: 'Every Postgres server sends its server log (connections, errors) to Log Analytics.',
    severity: 'medium',
    checklist: ['data-audit', 'mon-security-events'],
    references: ['Azure security benchmark LT-3', 'Checkov CKV_AZURE_146'],
    remediationSteps:
      "Add a `monitor.DiagnosticSetting` on the server with PostgreSQLLogs (or categoryGroup 'audit'/'allLogs').",
  },
  POSTGRES_AUDIT_DIAGNOSTICS,
  'Postgres server',
);
