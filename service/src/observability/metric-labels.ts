import type { InvalidTokenReason } from '../auth/auth-errors.js';
import type { BearerAuthFailure } from '../auth/bearer-auth.js';

/** Methods Node's parser accepts are many; the ones a client of this service sends are few (semconv's `_OTHER`). */
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export function httpMethodLabel(method: string): string {
  return KNOWN_METHODS.has(method) ? method : '_OTHER';
}

/** Requests no route matched (scanners, typos): one series for all of them, never the raw URL. */
export const UNMATCHED_ROUTE = 'unmatched';

const INVALID_TOKEN_REASONS = [
  'malformed',
  'too_large',
  'algorithm_not_allowed',
  'unknown_issuer',
  'unknown_key',
  'bad_signature',
  'expired',
  'not_yet_valid',
  'wrong_issuer',
  'wrong_audience',
  'wrong_type',
  'missing_claim',
  'invalid_claim',
] as const satisfies readonly InvalidTokenReason[];

const KNOWN_REASONS: ReadonlySet<string> = new Set<string>([...INVALID_TOKEN_REASONS, 'token_in_query']);

/**
 * The `reason` label of a refused request: the verifier's reason when it is one of the known ones, else the OAuth
 * error (missing_token, insufficient_scope, ...). A reason that names scopes or anything else open-ended never
 * becomes a label value.
 */
export function authFailureReasonLabel(failure: BearerAuthFailure): string {
  return failure.reason !== undefined && KNOWN_REASONS.has(failure.reason) ? failure.reason : failure.error;
}
