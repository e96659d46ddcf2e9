import { AUTHORIZATION_SERVER } from '../../contract.js';
import { DEFAULT_SCOPES } from '../upstream/scope-ceiling.js';

/**
 * An authorization request without `scope` asks for the default (mcp:read, upstream/scope-ceiling.ts). The MCP spec
 * lets a client omit it when the resource names no scopes, and RFC 6749 §3.3 lets the server pick; oidc-provider
 * itself would grant nothing and answer access_denied, so the default is written into the request before it sees it.
 * Only the query of GET /authorize: a POSTed request keeps what it says.
 */
export function withDefaultScope(requestUrl: string): string {
  const url = new URL(requestUrl, 'http://internal');
  if (url.pathname !== AUTHORIZATION_SERVER.paths.authorize) return requestUrl;
  if ((url.searchParams.get('scope') ?? '').trim() !== '') return requestUrl;
  url.searchParams.set('scope', DEFAULT_SCOPES.join(' '));
  return `${url.pathname}${url.search}`;
}
