import { containersOf } from '../lib/kubernetes';
import { definePodPolicy } from '../lib/pod-policy';
import { asArray, asRecord, asString, at, isUnknown } from '../lib/values';

/** Env var names that announce a secret. */
const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL|CONNECTION_?STRING)/i;
/** Names that point at a secret rather than hold one (SECRETS_DIR, TOKEN_FILE, KEY_VAULT_URL ...). */
const REFERENCE_NAME = /_(DIR|PATH|FILE|MOUNT|NAME|ID|URL|URI|ENDPOINT)$/i;
/** URLs with credentials inside (scheme://user:password@host). */
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i;

export const podNoSecretEnv = definePodPolicy({
  name: 'kubernetes-pod-no-secret-env',
  description:
    'No secret reaches a container through its environment (literal values, secretKeyRef, envFrom secretRef): secrets come from the Key Vault CSI mount.',
  severity: 'high',
  checklist: ['infra-secrets-store'],
  references: ['Checkov CKV_K8S_35', 'Kubescape C-0012', 'AKS baseline (Secrets Store CSI)'],
  remediationSteps:
    'Mount the secret with the Secrets Store CSI driver (SecretProviderClass) and read it from the file; keep only non-secret settings in env.',
  validatePod: ({ spec }, _config, report) => {
    for (const { container, name } of containersOf(spec)) {
      for (const item of asArray(container.env) ?? []) {
        const variable = asRecord(item);
        if (!variable) continue;
        const variableName = asString(variable.name) ?? '';
        if (at(variable, 'valueFrom', 'secretKeyRef') !== undefined) {
          report(
            `container ${name} reads the secret ${variableName} from a Kubernetes Secret into env: mount it with the CSI driver.`,
          );
          continue;
        }
        if (isUnknown(variable.value)) continue;
        const value = asString(variable.value);
        if (value === undefined || value === '') continue;
        if (URL_WITH_PASSWORD.test(value)) {
          report(`container ${name} env ${variableName} holds a URL with a password.`);
        } else if (SECRET_NAME.test(variableName) && !REFERENCE_NAME.test(variableName)) {
          report(`container ${name} env ${variableName} holds a literal secret value.`);
        }
      }
      for (const item of asArray(container.envFrom) ?? []) {
        if (asRecord(item)?.secretRef !== undefined) {
          report(`container ${name} loads a whole Kubernetes Secret into env (envFrom.secretRef).`);
        }
      }
    }
  },
});
