import { AZURE_TYPES } from '../lib/azure';
import { defineStackPolicy } from '../lib/define';
import { missingDiagnostics } from './diagnostics';

export const postgresAuditDiagnostics = defineStackPolicy({
  name: 'azure-postgres-audit-diagnostics',
  description: 'Every Postgres server sends its server log (connections, errors) to Log Analytics.',
  severity: 'medium',
  checklist: ['data-audit', 'mon-security-events'],
  references: ['Azure security benchmark LT-3', 'Checkov CKV_AZURE_146'],
  remediationSteps:
    "Add a `monitor.DiagnosticSetting` on the server with PostgreSQLLogs (or categoryGroup 'audit'/'allLogs').",
  subjects: (type) => type === AZURE_TYPES.postgresServer,
  validate: (resources, _config, report) => {
    const gaps = missingDiagnostics(resources, {
      targetType: AZURE_TYPES.postgresServer,
      armSegment: 'flexibleServers',
      nameProperty: 'serverName',
      categories: [['PostgreSQLLogs', 'audit', 'allLogs']],
    });
    for (const { target, missing } of gaps) {
      report(
        `Postgres server ${target.name} does not send ${missing.join(', ')} logs to a diagnostic setting.`,
        target.urn,
      );
    }
  },
});
