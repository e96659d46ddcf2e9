import { ACCESS_TOKEN_LIFETIME_SECONDS } from '../signing-keys/key-selection.js';

const MINUTE = 60;
const DAY = 24 * 60 * MINUTE;

/**
 * How long what the authorization server issues lives. Access tokens are short (a revoked grant or a removed role
 * stops working within 10 minutes, since JWTs are not looked up); refresh tokens rotate on every use and a family
 * lives at most REFRESH_TOKEN_ABSOLUTE_SECONDS from its sign-in, however often it is refreshed.
 */
export const TOKEN_LIFETIMES = {
  accessToken: ACCESS_TOKEN_LIFETIME_SECONDS,
  authorizationCode: MINUTE,
  interaction: 10 * MINUTE,
  session: DAY,
  refreshTokenIdle: 14 * DAY,
  refreshTokenAbsolute: 30 * DAY,
  grant: 30 * DAY,
} as const;

/** A rotated refresh token lives the idle lifetime, but never past the family's absolute end. */
export function refreshTokenLifetime(initialIssuedAt: number | undefined, nowSeconds: number): number {
  const absoluteEnd = (initialIssuedAt ?? nowSeconds) + TOKEN_LIFETIMES.refreshTokenAbsolute;
  return Math.max(1, Math.min(TOKEN_LIFETIMES.refreshTokenIdle, absoluteEnd - nowSeconds));
}
