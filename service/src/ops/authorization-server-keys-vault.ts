import type { TokenCredential } from '@azure/identity';
import type { SecretClientOptions } from '@azure/keyvault-secrets';
import { lazySecretClient } from '../secrets/lazy-secret-client.js';
import { AuthorizationServerKeysError } from './authorization-server-keys-error.js';

/** The two calls the keys Job makes on Key Vault. */
export interface KeysVault {
  /** The secret's current value, or undefined when the vault has no such secret (404). */
  read(name: string): Promise<string | undefined>;
  /** Adds a new version of the secret (Key Vault keeps the previous ones); returns the new version's id. */
  write(name: string, value: string): Promise<{ version: string | undefined }>;
}

export interface KeyVaultKeysVaultOptions {
  vaultUrl: string;
  credential: TokenCredential;
  /** Passed to the SDK's client; tests trust their own CA (`tlsOptions`) and skip the challenge's resource check. */
  clientOptions?: SecretClientOptions;
}

/** Both secrets are JSON documents; the content type tells an operator browsing the vault what they hold. */
export const KEYS_CONTENT_TYPE = 'application/json';

// A Job that fails is retried by Kubernetes: a few quick retries here, not the SDK's long back-off.
const RETRY_OPTIONS = { maxRetries: 2, retryDelayInMs: 500, maxRetryDelayInMs: 4_000 };
const REQUEST_TIMEOUT_MS = 10_000;

/** The vault through @azure/keyvault-secrets, with its errors turned into ones that say what to fix. */
export function keyVaultKeysVault(options: KeyVaultKeysVaultOptions): KeysVault {
  const secretClient = lazySecretClient(options.vaultUrl, options.credential, RETRY_OPTIONS, options.clientOptions);
  return {
    async read(name) {
      try {
        const secret = await (await secretClient()).getSecret(name, {
          requestOptions: { timeout: REQUEST_TIMEOUT_MS },
        });
        return secret.value;
      } catch (error) {
        if (statusOf(error) === 404) return undefined;
        throw describeVaultError('read', name, options.vaultUrl, error);
      }
    },
    async write(name, value) {
      try {
        const secret = await (await secretClient()).setSecret(name, value, {
          contentType: KEYS_CONTENT_TYPE,
          requestOptions: { timeout: REQUEST_TIMEOUT_MS },
        });
        return { version: secret.properties.version };
      } catch (error) {
        throw describeVaultError('write', name, options.vaultUrl, error);
      }
    },
  };
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** The vault's own message is kept (it names the missing permission); request details and bodies are not. */
function describeVaultError(
  operation: 'read' | 'write',
  name: string,
  vaultUrl: string,
  error: unknown,
): AuthorizationServerKeysError {
  const status = statusOf(error);
  const detail = `${operation === 'read' ? 'reading' : 'writing'} secret "${name}" in ${vaultUrl}`;
  const vaultMessage = (error as Error)?.message ?? String(error);
  const cause = { cause: error };
  switch (status) {
    case 401:
      return new AuthorizationServerKeysError(
        'key_vault_unauthorized',
        `Key Vault rejected the Job's token (401) ${detail}: check the workload identity (federated credential, ` +
          `client id) of the service account (${vaultMessage})`,
        cause,
      );
    case 403:
      return new AuthorizationServerKeysError(
        'key_vault_forbidden',
        `Key Vault refused ${detail} (403): the Job's identity needs the "Key Vault Secrets Officer" role on the ` +
          `vault, or on these two secrets (${vaultMessage})`,
        cause,
      );
    case 409:
      return new AuthorizationServerKeysError(
        'key_vault_secret_deleted',
        `Key Vault refused ${detail} (409): the secret is deleted but recoverable (soft delete); recover it ` +
          `(az keyvault secret recover) or purge it, then run the Job again (${vaultMessage})`,
        cause,
      );
    default:
      return new AuthorizationServerKeysError(
        status === undefined || status >= 500 ? 'key_vault_unavailable' : 'key_vault_error',
        `Key Vault failed ${detail}${status === undefined ? '' : ` (${status})`}: ${vaultMessage}`,
        cause,
      );
  }
}
