import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * CSRF token of the consent form: an HMAC (SHA-256, server secret) over the interaction id, the tenant, the user and
 * an expiry, carried in a hidden field. Why this and not a double-submit `__Host-` cookie: the interaction is already
 * server-side state tied to one signed-in user, so binding the token to it needs no second cookie and no cookie
 * prefix rules (`__Host-` requires https, which local development and the tests do not have); a token leaked from
 * one interaction is useless for any other interaction, user or tenant; and it expires on its own. The MAC is
 * compared in constant time. Verification fails closed: anything it cannot vouch for is refused, with a code.
 *
 * Format: `v1.<expires-at, unix seconds>.<base64url MAC>`.
 */
export interface CsrfBinding {
  interactionId: string;
  tenantId: string;
  userId: string;
}

export type CsrfFailureCode = 'csrf_missing' | 'csrf_malformed' | 'csrf_expired' | 'csrf_invalid';

export class CsrfTokenError extends Error {
  constructor(
    readonly code: CsrfFailureCode,
    message: string,
  ) {
    super(message);
    this.name = 'CsrfTokenError';
  }
}

export interface CsrfTokens {
  issue(binding: CsrfBinding): string;
  /** Throws CsrfTokenError unless `token` was issued for exactly this binding and has not expired. */
  verify(token: unknown, binding: CsrfBinding): void;
}

export interface CsrfTokenOptions {
  /** At least 32 bytes. */
  secret: Uint8Array;
  /** How long a token is valid; the default suits a person reading the page. */
  lifetimeSeconds?: number;
  now?: () => number;
}

const VERSION = 'v1';
const MIN_SECRET_BYTES = 32;
const DEFAULT_LIFETIME_SECONDS = 10 * 60;
const TOKEN_SHAPE = /^v1\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

export function createCsrfTokens(options: CsrfTokenOptions): CsrfTokens {
  if (options.secret.byteLength < MIN_SECRET_BYTES) {
    throw new Error(`The CSRF secret must be at least ${MIN_SECRET_BYTES} bytes`);
  }
  const secret = Buffer.from(options.secret);
  const lifetime = options.lifetimeSeconds ?? DEFAULT_LIFETIME_SECONDS;
  const nowSeconds = () => Math.floor((options.now ?? Date.now)() / 1000);
  const mac = (binding: CsrfBinding, expiresAt: number) =>
    // JSON of an array: no separator inside one field can make two different bindings sign the same bytes.
    createHmac('sha256', secret)
      .update(JSON.stringify([VERSION, binding.interactionId, binding.tenantId, binding.userId, expiresAt]))
      .digest();

  return {
    issue(binding) {
      const expiresAt = nowSeconds() + lifetime;
      return `${VERSION}.${expiresAt}.${mac(binding, expiresAt).toString('base64url')}`;
    },
    verify(token, binding) {
      if (typeof token !== 'string' || token === '') {
        throw new CsrfTokenError('csrf_missing', 'The form was sent without its security token. Start again.');
      }
      const match = TOKEN_SHAPE.exec(token);
      if (!match) throw new CsrfTokenError('csrf_malformed', 'The form security token is not valid. Start again.');
      const expiresAt = Number(match[1]);
      const given = Buffer.from(match[2] as string, 'base64url');
      const expected = mac(binding, expiresAt);
      // The MAC is checked before the expiry, so an expired-token answer is only given for a token we issued.
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new CsrfTokenError(
          'csrf_invalid',
          'The form security token does not belong to this request. Start again.',
        );
      }
      if (nowSeconds() >= expiresAt) {
        throw new CsrfTokenError('csrf_expired', 'The form has expired. Start again.');
      }
    },
  };
}
