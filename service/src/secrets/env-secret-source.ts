import type { SecretSource } from './secrets-provider.js';

/** `postgres-app-password` → `POSTGRES_APP_PASSWORD`: the variable a secret is read from in development. */
export function secretEnvName(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

/**
 * Secrets as environment variables, for development only (SECRETS_FROM_ENV=true): in a cluster a password in the
 * pod spec would be readable by anyone who can read the Deployment, so production never enables it.
 */
export function envSecretSource(env: NodeJS.ProcessEnv): SecretSource {
  return {
    description: 'environment variables',
    async read(name) {
      const value = env[secretEnvName(name)]?.trim();
      return value ? value : undefined;
    },
  };
}
