import type { TokenCredential } from '@azure/identity';
import type { SecretClientOptions } from '@azure/keyvault-secrets';
import type { ServiceConfig } from '../config.js';
import { envSecretSource } from './env-secret-source.js';
import { fileSecretSource } from './file-secret-source.js';
import { type KeyVaultLogger, keyVaultSecretSource } from './key-vault-secret-source.js';
import {
  createSecretsProvider,
  MissingSecretError,
  type SecretSource,
  type SecretsProvider,
} from './secrets-provider.js';
import { workloadIdentityCredential } from './workload-identity-credential.js';

export interface SecretsFromConfigOptions {
  /** Read only when the configuration allows secrets from the environment (development). */
  env: NodeJS.ProcessEnv;
  logger: KeyVaultLogger;
  onStaleRead?: (name: string) => void;
  /** The pod's workload identity unless given (tests pass a fake one). */
  credential?: TokenCredential;
  /** The clock of the Key Vault cache (tests move it). */
  now?: () => number;
  /** Options of the Key Vault client (a test double on localhost turns off the challenge's resource check). */
  keyVaultClientOptions?: SecretClientOptions;
}

/**
 * The service's secrets: files under the CSI mount, then Key Vault itself when KEY_VAULT_URL is set, then (in
 * development only) environment variables. The mount comes first because it is what the platform provisions; Key
 * Vault directly serves a pod without the mount; the environment is last so it never shadows a real secret.
 */
export function secretsFromConfig(config: ServiceConfig, options: SecretsFromConfigOptions): SecretsProvider {
  const sources: SecretSource[] = [fileSecretSource(config.secretsDir)];
  if (config.keyVaultUrl) {
    sources.push(
      keyVaultSecretSource({
        vaultUrl: config.keyVaultUrl,
        credential: options.credential ?? workloadIdentityCredential(),
        cacheTtlMs: config.secrets.cacheTtlMs,
        maxStaleMs: config.secrets.maxStaleMs,
        logger: options.logger,
        onStaleRead: options.onStaleRead,
        now: options.now,
        clientOptions: options.keyVaultClientOptions,
      }),
    );
  }
  if (config.secrets.fromEnv) sources.push(envSecretSource(options.env));
  return createSecretsProvider(sources);
}

/**
 * A password for a client that opens connections over time, read at start so a missing one stops the start:
 * - found: a function giving the current value (each new connection asks, so a rotation is picked up);
 * - not found with Key Vault configured: MissingSecretError naming the secret, the vault and the mount;
 * - not found otherwise: undefined (development: the URL's own password, or none).
 */
export async function startupPassword(
  secrets: SecretsProvider,
  name: string,
  options: { required: boolean },
): Promise<(() => Promise<string>) | undefined> {
  const value = await secrets.find(name);
  if (value === undefined) {
    if (options.required) throw new MissingSecretError(name, secrets.sources);
    return undefined;
  }
  return () => secrets.get(name);
}
