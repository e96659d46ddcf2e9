/** A bearer token and who it speaks for, as far as the load can tell (for the summary's per-tenant figures). */
export interface LoadToken {
  token: string;
  /** The tenant_id claim; "unknown" for a token that is not a readable JWT. */
  tenant: string;
  /** The sub claim; "unknown" likewise. */
  user: string;
}

/** Tokens could not be had (no dev server, a file that is not a token list): the command exits 2 with the message. */
export class LoadTokenError extends Error {
  readonly code = 'load_tokens_unusable';
  constructor(message: string) {
    super(message);
    this.name = 'LoadTokenError';
  }
}

/**
 * Reads tenant and user out of a JWT's payload without verifying it: the labels only group the summary, and the
 * server under load is what judges the token.
 */
export function labelToken(token: string): LoadToken {
  const payload = token.split('.')[1];
  try {
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    return {
      token,
      tenant: typeof claims.tenant_id === 'string' ? claims.tenant_id : 'unknown',
      user: typeof claims.sub === 'string' ? claims.sub : 'unknown',
    };
  } catch {
    return { token, tenant: 'unknown', user: 'unknown' };
  }
}
