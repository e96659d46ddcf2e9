import { AZURE_TYPES, isType } from '../lib/azure';
import { defineResourcePolicy } from '../lib/define';
import { asBoolean, asRecord, at, isUnknown } from '../lib/values';

export const logAnalyticsLocalAuthDisabled = defineResourcePolicy({
  name: 'azure-loganalytics-local-auth-disabled',
  description:
    'The Log Analytics workspace accepts Entra ID only: shared-key (local) auth is disabled, so a leaked workspace key cannot write forged logs or read audit data.',
  severity: 'high',
  checklist: ['data-audit', 'mon-security-events'],
  references: [
    'Azure security benchmark IM-1',
    'Azure Policy: Log Analytics workspaces should block non-Azure AD based ingestion',
  ],
  remediationSteps: 'Set `features: { disableLocalAuth: true }` on the workspace (agents use Entra ID via AMA).',
  appliesTo: isType(AZURE_TYPES.logAnalyticsWorkspace),
  validate: ({ props }, _config, report) => {
    const value = at(props, 'features', 'disableLocalAuth');
    if (isUnknown(value)) return;
    if (asBoolean(value) === true) return;
    report(
      asRecord(props.features) && value !== undefined
        ? 'The workspace accepts shared-key (local) auth: set features.disableLocalAuth to true.'
        : 'The workspace does not declare features.disableLocalAuth, so shared-key (local) auth stays enabled: set it to true.',
    );
  },
});
