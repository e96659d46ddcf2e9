import { AZURE_TYPES, isType } from '../lib/azure';
import { defineResourcePolicy } from '../lib/define';

export const acrAdminDisabled = defineResourcePolicy({
  name: 'azure-acr-admin-disabled',
  description: 'The container registry admin user (a shared static credential) is off.',
  severity: 'high',
  checklist: ['infra-secrets-store', 'auth-rbac'],
  references: ['AKS baseline', 'Checkov CKV_AZURE_137'],
  remediationSteps: 'Set `adminUserEnabled: false`; the kubelet identity pulls with the AcrPull role.',
  appliesTo: isType(AZURE_TYPES.containerRegistry),
  validate: ({ props }, _config, report) => {
    if (props.adminUserEnabled === true) report('The registry admin user is enabled: set adminUserEnabled to false.');
    if (props.anonymousPullEnabled === true)
      report('The registry allows anonymous pull: set anonymousPullEnabled to false.');
  },
});
