import { defineResourcePolicy } from '../lib/define';
import { isKind } from '../lib/kubernetes';
import { asArray, asBoolean, asString, at, isUnknown } from '../lib/values';

export const isSecretProviderClass = (type: string) =>
  isKind(type, 'SecretProviderClass', 'secrets-store.csi.x-k8s.io');

export const secretProviderClassWorkloadIdentity = defineResourcePolicy<{ allowSecretSync: boolean }>({
  name: 'kubernetes-secretproviderclass-workload-identity',
  description:
    "Key Vault SecretProviderClasses authenticate with the workload's own identity (workload identity clientID), not the node's (VM managed identity, pod identity), and do not copy secrets into Kubernetes Secrets.",
  severity: 'high',
  checklist: ['infra-secrets-store'],
  references: ['AKS baseline (Secrets Store CSI + workload identity)', 'Azure Key Vault provider docs'],
  remediationSteps:
    "Set parameters `usePodIdentity: 'false'`, `clientID: <workload identity client id>`, remove useVMManagedIdentity and `secretObjects`.",
  config: {
    allowSecretSync: {
      type: 'boolean',
      description: 'Allow secretObjects (sync to a Kubernetes Secret, stored in etcd).',
      default: false,
    },
  },
  appliesTo: isSecretProviderClass,
  validate: ({ props }, config, report) => {
    const provider = at(props, 'spec', 'provider');
    if (isUnknown(provider) || asString(provider) !== 'azure') return;
    const parameters = at(props, 'spec', 'parameters');
    if (isUnknown(parameters)) return;
    if (asBoolean(at(parameters, 'usePodIdentity')) === true) {
      report(
        'The SecretProviderClass uses pod identity (deprecated): set usePodIdentity to "false" and use workload identity.',
      );
    }
    if (asBoolean(at(parameters, 'useVMManagedIdentity')) === true) {
      report(
        "The SecretProviderClass uses the node's VM managed identity: every pod on the node could read the vault; use workload identity (clientID).",
      );
    }
    const clientId = at(parameters, 'clientID');
    if (!isUnknown(clientId) && !asString(clientId)) {
      report("The SecretProviderClass has no clientID: set the workload identity's client id.");
    }
    if (!config.allowSecretSync && (asArray(at(props, 'spec', 'secretObjects'))?.length ?? 0) > 0) {
      report(
        'The SecretProviderClass copies Key Vault secrets into a Kubernetes Secret (secretObjects): read the mounted files instead.',
      );
    }
  },
});
