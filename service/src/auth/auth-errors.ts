/**
 * Errors of the auth layer. Each carries the OAuth error code a client acts on and a short description that is safe
 * to send back (no token content, no internal detail); `reason` is for logs and metrics only.
 */

/** Why a token was refused; never sent to the client, useful in logs and as a metric label. */
export type InvalidTokenReason =
  | 'malformed'
  | 'too_large'
  | 'algorithm_not_allowed'
  | 'unknown_issuer'
  | 'unknown_key'
  | 'bad_signature'
  | 'expired'
  | 'not_yet_valid'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'wrong_type'
  | 'missing_claim'
  | 'invalid_claim';

/** The token is not acceptable: the client should obtain a new one (RFC 6750 `invalid_token`, HTTP 401). */
export class InvalidTokenError extends Error {
  readonly code = 'invalid_token';
  constructor(
    readonly reason: InvalidTokenReason,
    /** Safe to send to the client. */
    readonly description: string,
    options?: { cause?: unknown },
  ) {
    super(description, options);
    this.name = 'InvalidTokenError';
  }
}

/**
 * The token could not be checked because the issuer's keys are unreachable; not the client's fault, so it answers
 * 503 and the client may retry.
 */
export class AuthUnavailableError extends Error {
  readonly code = 'temporarily_unavailable';
  readonly description = 'The authorization server keys are unavailable; retry shortly';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AuthUnavailableError';
  }
}

/** The auth layer was configured wrongly; thrown at construction so the process fails at start, listing every problem. */
export class AuthConfigError extends Error {
  readonly code = 'auth_config_invalid';
  constructor(readonly problems: string[]) {
    super(`Invalid auth configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'AuthConfigError';
  }
}
