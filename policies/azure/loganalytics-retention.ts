import { AZURE_TYPES, isType } from '../lib/azure';
import { defineResourcePolicy } from '../lib/define';
import { asNumber, isUnknown } from '../lib/values';

export const logAnalyticsRetention = defineResourcePolicy<{ minimumRetentionDays: number }>({
  name: 'azure-loganalytics-retention',
  description: 'The Log Analytics workspace keeps audit and security logs long enough for an investigation.',
  severity: 'medium',
  checklist: ['data-retention', 'data-audit'],
  references: ['Azure security benchmark LT-6', 'Checkov CKV_AZURE (log retention)'],
  remediationSteps: 'Set `retentionInDays` to at least 30 (90 or more where regulation asks).',
  config: {
    minimumRetentionDays: {
      type: 'integer',
      minimum: 30,
      maximum: 730,
      description: 'Minimum retention in days.',
      default: 30,
    },
  },
  appliesTo: isType(AZURE_TYPES.logAnalyticsWorkspace),
  validate: ({ props }, config, report) => {
    if (isUnknown(props.retentionInDays)) return;
    const days = asNumber(props.retentionInDays);
    if (days === undefined) {
      report(`The workspace does not declare retentionInDays: set at least ${config.minimumRetentionDays}.`);
    } else if (days < config.minimumRetentionDays) {
      report(`The workspace keeps logs ${days} days: keep at least ${config.minimumRetentionDays}.`);
    }
  },
});
