/** Why the keys Job stopped; `code` is what its log line carries, the message says what to do. */
export type AuthorizationServerKeysFailure =
  | 'key_vault_forbidden'
  | 'key_vault_unauthorized'
  | 'key_vault_secret_deleted'
  | 'key_vault_unavailable'
  | 'key_vault_error'
  | 'stored_keys_invalid'
  | 'planned_keys_invalid';

export class AuthorizationServerKeysError extends Error {
  override readonly name = 'AuthorizationServerKeysError';
  constructor(
    readonly code: AuthorizationServerKeysFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
