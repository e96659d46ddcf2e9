import { AZURE_TYPES, isType } from '../lib/azure';
import { defineResourcePolicy } from '../lib/define';
import { at, isUnknown } from '../lib/values';

export const aksWorkloadIdentity = defineResourcePolicy({
  name: 'azure-aks-workload-identity',
  description: 'AKS uses workload identity with the OIDC issuer; the deprecated pod identity is off.',
  severity: 'high',
  checklist: ['infra-secrets-store', 'auth-rbac'],
  references: ['AKS baseline', 'AKS landing zone accelerator'],
  remediationSteps:
    'Set `oidcIssuerProfile.enabled: true`, `securityProfile.workloadIdentity.enabled: true`, and leave `podIdentityProfile` disabled.',
  appliesTo: isType(AZURE_TYPES.managedCluster),
  validate: ({ props }, _config, report) => {
    const oidc = at(props, 'oidcIssuerProfile', 'enabled');
    const workloadIdentity = at(props, 'securityProfile', 'workloadIdentity', 'enabled');
    const podIdentity = at(props, 'podIdentityProfile', 'enabled');
    if (!isUnknown(oidc) && oidc !== true) report('The AKS OIDC issuer is off: set oidcIssuerProfile.enabled to true.');
    if (!isUnknown(workloadIdentity) && workloadIdentity !== true) {
      report('AKS workload identity is off: set securityProfile.workloadIdentity.enabled to true.');
    }
    if (podIdentity === true) report('AKS pod-managed identity (deprecated) is on: disable podIdentityProfile.');
  },
});
