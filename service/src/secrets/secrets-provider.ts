import { ConfigError } from '../config.js';

/** One place a secret may live. `undefined` means "not here": the next source is asked. */
export interface SecretSource {
  /** For errors and logs, e.g. "files under /mnt/secrets-store"; never a value. */
  readonly description: string;
  read(name: string): Promise<string | undefined>;
}

/** Where the service's passwords come from: the first source that has a secret wins. */
export interface SecretsProvider {
  /** The secret's current value, or undefined when no source has it. */
  find(name: string): Promise<string | undefined>;
  /** The secret's current value; a secret no source has is a MissingSecretError naming it and every source asked. */
  get(name: string): Promise<string>;
  /** The sources in the order they are asked, described. */
  readonly sources: readonly string[];
}

/**
 * A secret the configuration needs and no source has: the fix is in the deployment (a missing vault secret, a wrong
 * mount), so it is a configuration error and the process exits with the configuration exit code.
 */
export class MissingSecretError extends ConfigError {
  constructor(
    readonly secretName: string,
    sources: readonly string[],
  ) {
    super([`secret "${secretName}" was not found in ${sources.length > 0 ? sources.join(', ') : 'any source'}`]);
    this.name = 'MissingSecretError';
  }
}

export function createSecretsProvider(sources: readonly SecretSource[]): SecretsProvider {
  const descriptions = sources.map((source) => source.description);
  const find = async (name: string): Promise<string | undefined> => {
    for (const source of sources) {
      const value = await source.read(name);
      if (value !== undefined) return value;
    }
    return undefined;
  };
  return {
    find,
    async get(name) {
      const value = await find(name);
      if (value === undefined) throw new MissingSecretError(name, descriptions);
      return value;
    },
    sources: descriptions,
  };
}
