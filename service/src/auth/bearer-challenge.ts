/**
 * The `WWW-Authenticate: Bearer` challenge (RFC 6750 §3, RFC 9728 §5.1). One formatter for every 401 and 403 this
 * server sends, so they agree on order and quoting.
 */
export interface BearerChallenge {
  /** Omitted when the request carried no token at all (RFC 6750 §3.1). */
  error?: 'invalid_request' | 'invalid_token' | 'insufficient_scope';
  errorDescription?: string;
  /** Where clients discover the authorization servers (RFC 9728). */
  resourceMetadata: string;
  /** The scopes the request needs (the MCP step-up challenge reads this). */
  scopes: readonly string[];
}

/** RFC 7230 quoted-string: escape backslash and quote; anything outside printable ASCII becomes a space. */
function quoted(value: string): string {
  return `"${value.replaceAll(/[\\"]/g, '\\$&').replaceAll(/[^\x20-\x7E]/g, ' ')}"`;
}

export function formatBearerChallenge(challenge: BearerChallenge): string {
  const params: string[] = [];
  if (challenge.error !== undefined) {
    params.push(`error=${quoted(challenge.error)}`);
    if (challenge.errorDescription !== undefined)
      params.push(`error_description=${quoted(challenge.errorDescription)}`);
  }
  params.push(`resource_metadata=${quoted(challenge.resourceMetadata)}`);
  if (challenge.scopes.length > 0) params.push(`scope=${quoted(challenge.scopes.join(' '))}`);
  return `Bearer ${params.join(', ')}`;
}
