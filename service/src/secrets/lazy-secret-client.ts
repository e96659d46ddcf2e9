import type { TokenCredential } from '@azure/identity';
import type { SecretClient, SecretClientOptions } from '@azure/keyvault-secrets';

/**
 * A Key Vault SecretClient made on first use: the SDK is imported then, so a process that never talks to Key Vault
 * never loads it. `clientOptions` (tests: the fake vault's CA) override `retryOptions`.
 */
export function lazySecretClient(
  vaultUrl: string,
  credential: TokenCredential,
  retryOptions: NonNullable<SecretClientOptions['retryOptions']>,
  clientOptions?: SecretClientOptions,
): () => Promise<SecretClient> {
  let client: Promise<SecretClient> | undefined;
  return () => {
    client ??= import('@azure/keyvault-secrets').then(
      ({ SecretClient }) => new SecretClient(vaultUrl, credential, { retryOptions, ...clientOptions }),
    );
    return client;
  };
}
