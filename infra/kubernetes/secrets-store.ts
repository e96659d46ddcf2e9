import { CustomResource } from '@pulumi/kubernetes/apiextensions';
import type * as pulumi from '@pulumi/pulumi';
import { SECRETS_MOUNT_PATH } from '../../service/src/contract';

export interface KeyVaultSecretProviderClassArgs {
  namespace: pulumi.Input<string>;
  /** Names the pod mounts it by (`volumeAttributes.secretProviderClass`). */
  className: string;
  keyVaultName: pulumi.Input<string>;
  tenantId: pulumi.Input<string>;
  /** The workload identity's client id: the CSI driver reads the vault as that identity, never the node's. */
  clientId: pulumi.Input<string>;
  /** Exactly the Key Vault secrets the pod reads; each becomes a file of the same name in the mount. */
  secretNames: readonly string[];
  labels: Record<string, string>;
}

/** The `objects` parameter of the Azure provider: a YAML array of `{objectName, objectType}` entries. */
export function keyVaultObjects(secretNames: readonly string[]): string {
  const entries = secretNames.map((name) => `  - |\n    objectName: ${name}\n    objectType: secret`);
  return `array:\n${entries.join('\n')}\n`;
}

/**
 * A Secrets Store CSI SecretProviderClass for Azure Key Vault with workload identity (no pod identity, no VM
 * identity) that mounts files only: nothing is copied into a Kubernetes Secret (no `secretObjects`).
 */
export function createKeyVaultSecretProviderClass(
  name: string,
  args: KeyVaultSecretProviderClassArgs,
  opts: pulumi.CustomResourceOptions,
): CustomResource {
  if (args.secretNames.length === 0) {
    throw new Error(`SECRET_PROVIDER_CLASS_EMPTY: ${args.className} would mount no secret; do not create it`);
  }
  return new CustomResource(
    name,
    {
      apiVersion: 'secrets-store.csi.x-k8s.io/v1',
      kind: 'SecretProviderClass',
      metadata: { name: args.className, namespace: args.namespace, labels: args.labels },
      spec: {
        provider: 'azure',
        parameters: {
          usePodIdentity: 'false',
          useVMManagedIdentity: 'false',
          clientID: args.clientId,
          keyvaultName: args.keyVaultName,
          tenantId: args.tenantId,
          cloudName: 'AzurePublicCloud',
          objects: keyVaultObjects(args.secretNames),
        },
      },
    },
    opts,
  );
}

/** The pod volume and container mount of a SecretProviderClass at SECRETS_MOUNT_PATH; none without a class. */
export function secretsStoreMount(className: string | undefined) {
  if (!className) return { volumes: [], volumeMounts: [] };
  return {
    volumes: [
      {
        name: 'secrets-store',
        csi: {
          driver: 'secrets-store.csi.k8s.io',
          readOnly: true,
          volumeAttributes: { secretProviderClass: className },
        },
      },
    ],
    volumeMounts: [{ name: 'secrets-store', mountPath: SECRETS_MOUNT_PATH, readOnly: true }],
  };
}
