import { APP_ROLES, MCP_SCOPES, type McpScope } from '../../contract.js';
import { UpstreamIdentityError } from './upstream-identity-error.js';

/** Our scopes in their normalised order; granted scopes are always listed in this order. */
const SCOPE_ORDER: readonly McpScope[] = [MCP_SCOPES.read, MCP_SCOPES.write, MCP_SCOPES.admin];

/**
 * What a client gets when it omits `scope` (RFC 6749 §3.3 lets the server pick a default; the MCP spec lets the
 * client omit it). Read only: writing needs the client to ask, and the resource server's `insufficient_scope`
 * challenge names the scope a tool needs, so a client can step up when it actually writes.
 */
export const DEFAULT_SCOPES: readonly McpScope[] = [MCP_SCOPES.read];

/** The most each of our scopes needs: read and write any mapped user of a tenant; admin only the `admin` role. */
function allowedFor(scope: McpScope, roles: readonly string[]): boolean {
  return scope !== MCP_SCOPES.admin || roles.includes(APP_ROLES.admin);
}

/**
 * Our scopes among a requested `scope` parameter (space-separated, RFC 6749 §3.3), deduplicated and ordered; other
 * values (`openid`, other APIs' scopes, anything malformed) are dropped. `undefined` when the client asked for
 * nothing at all, which is when the default applies.
 */
export function requestedMcpScopes(scope: string | undefined): McpScope[] | undefined {
  const tokens = (scope ?? '').split(' ').filter((token) => token.length > 0);
  if (tokens.length === 0) return undefined;
  return SCOPE_ORDER.filter((known) => tokens.includes(known));
}

/**
 * The scopes that may be granted for a request, given the user's mapped roles: the requested ones (or the default)
 * that the roles allow. Throws `no_scope_allowed` when that leaves nothing; `/authorize` answers `invalid_scope` if
 * `requestedMcpScopes` found none of ours in the request, `access_denied` if the roles refused them.
 */
export function grantableScopes(scope: string | undefined, roles: readonly string[]): McpScope[] {
  const requested = requestedMcpScopes(scope) ?? DEFAULT_SCOPES;
  const granted = requested.filter((known) => allowedFor(known, roles));
  if (granted.length === 0) {
    throw new UpstreamIdentityError(
      'no_scope_allowed',
      requested.length === 0
        ? `The client asked for no scope this service offers (${SCOPE_ORDER.join(', ')})`
        : `Your roles do not allow any of the access the client asked for (${requested.join(', ')})`,
    );
  }
  return granted;
}

export interface ConsentCoverage {
  /** What may be granted now: always within the role ceiling, whatever was remembered. */
  scopes: McpScope[];
  /** False when a remembered consent already covers every scope in `scopes`, so the consent page may be skipped. */
  consentRequired: boolean;
}

/**
 * Whether a remembered consent (`consent/consent-store.ts`) covers a request. The grant comes from the ceiling, not
 * from the remembered scopes: consent is the user's permission to the client, roles are the organisation's
 * permission to the user, and roles can shrink after consent was given (a removed admin keeps no `mcp:admin`).
 */
export function consentCoverage(
  scope: string | undefined,
  roles: readonly string[],
  remembered: { scopes: readonly string[] } | undefined,
): ConsentCoverage {
  const scopes = grantableScopes(scope, roles);
  const consented = new Set(remembered?.scopes ?? []);
  return { scopes, consentRequired: !scopes.every((granted) => consented.has(granted)) };
}
