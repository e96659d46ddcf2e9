import { AZURE_TYPES } from '../lib/azure';
import { defineStackPolicy } from '../lib/define';
import { missingDiagnostics } from './diagnostics';

export const keyVaultAuditDiagnostics = defineStackPolicy({
  name: 'azure-keyvault-audit-diagnostics',
  description: 'Every Key Vault sends its AuditEvent log (each secret read) to Log Analytics.',
  severity: 'high',
  checklist: ['data-audit', 'mon-security-events'],
  references: ['Azure security benchmark LT-3', 'Checkov CKV_AZURE (Key Vault logging)'],
  remediationSteps:
    "Add a `monitor.DiagnosticSetting` on the vault with the AuditEvent category (or categoryGroup 'audit').",
  subjects: (type) => type === AZURE_TYPES.vault,
  validate: (resources, _config, report) => {
    const gaps = missingDiagnostics(resources, {
      targetType: AZURE_TYPES.vault,
      armSegment: 'vaults',
      nameProperty: 'vaultName',
      categories: [['AuditEvent', 'audit', 'allLogs']],
    });
    for (const { target, missing } of gaps) {
      report(`Key Vault ${target.name} does not send ${missing.join(', ')} logs to a diagnostic setting.`, target.urn);
    }
  },
});
