import { MCP_SCOPES, type McpScope } from '../contract.js';
import { DOCUMENT_URI_TEMPLATE } from './document-resource.js';
import { TOOL_SCOPES } from './document-tools.js';

const DOCUMENT_URI_PREFIX = DOCUMENT_URI_TEMPLATE.slice(0, DOCUMENT_URI_TEMPLATE.indexOf('{'));

/**
 * The scopes one JSON-RPC message needs, read before the MCP layer runs so that a token lacking them
 * gets the HTTP 403 insufficient_scope step-up challenge (MCP authorization spec) instead of a tool error.
 * Discovery (initialize, tools/list, ping, ...) needs only a valid token; data access needs its scope.
 */
export function requiredScopesForMessage(message: unknown): McpScope[] {
  if (Array.isArray(message)) return [...new Set(message.flatMap(requiredScopesForMessage))];
  if (typeof message !== 'object' || message === null) return [];
  const { method, params } = message as { method?: unknown; params?: { name?: unknown; uri?: unknown } };
  if (method === 'tools/call' && typeof params?.name === 'string') {
    const scope = TOOL_SCOPES.get(params.name);
    return scope ? [scope] : [];
  }
  if (method === 'resources/read' && typeof params?.uri === 'string' && params.uri.startsWith(DOCUMENT_URI_PREFIX)) {
    return [MCP_SCOPES.read];
  }
  return [];
}
