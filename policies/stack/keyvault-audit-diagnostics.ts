import { AZURE_TYPES } from '../lib/azure';
import { defineDiagnosticsPolicy } from './diagnostics';

export const KEYVAULT_AUDIT_DIAGNOSTICS = {
  targetType: AZURE_TYPES.vault,
  armSegment: 'vaults',
  nameProperty: 'vaultName',
  categories: [['AuditEvent', 'audit', 'allLogs']],
} as const;

export const keyVaultAuditDiagnostics = defineDiagnosticsPolicy(
  {
    name: 'azure-keyvault-audit-diagnostics',
    description: 'Every Key Vault sends its AuditEvent log (each secret read) to Log Analytics.',
    severity: 'high',
    checklist: ['data-audit', 'mon-security-events'],
    references: ['Azure security benchmark LT-3', 'Checkov CKV_AZURE (Key Vault logging)'],
    remediationSteps:
      "Add a `monitor.DiagnosticSetting` on the vault with the AuditEvent category (or categoryGroup 'audit').",
  },
  KEYVAULT_AUDIT_DIAGNOSTICS,
  'Key Vault',
);
