import { ConfigError } from '../../config.js';

/**
 * The signing key set cannot be used: the server must not start. A ConfigError, because the fix is in Key Vault (a
 * malformed entry, a rotation with a gap), so the process exits with the configuration exit code. Problems name the
 * key by index and `kid` and the rule broken, never a key member's value: the secret holds private keys.
 */
export class SigningKeysError extends ConfigError {
  constructor(problems: string[]) {
    super(problems);
    this.name = 'SigningKeysError';
  }
}
