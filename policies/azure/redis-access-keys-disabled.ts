import { AZURE_TYPES, isType } from '../lib/azure';
import { defineResourcePolicy } from '../lib/define';
import { isUnknown, sameText } from '../lib/values';

export const redisAccessKeysDisabled = defineResourcePolicy({
  name: 'azure-redis-access-keys-disabled',
  description: 'Azure Managed Redis databases turn access keys off in favour of Entra ID authentication.',
  severity: 'high',
  checklist: ['infra-secrets-store', 'auth-rbac'],
  references: ['Azure security benchmark', 'Azure Managed Redis guidance'],
  remediationSteps:
    "Set `accessKeysAuthentication: 'Disabled'` on the database and grant the workload identity an access policy assignment.",
  appliesTo: isType(AZURE_TYPES.redisDatabase),
  validate: ({ props }, _config, report) => {
    if (isUnknown(props.accessKeysAuthentication)) return;
    if (!sameText(props.accessKeysAuthentication, 'Disabled')) {
      report("Redis access keys are enabled: set accessKeysAuthentication to 'Disabled' and use Entra ID.");
    }
  },
});
