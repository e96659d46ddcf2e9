import { MCP_SCOPES, type McpScope } from '../../contract.js';

/** What each scope lets the client do, in the words the consent page shows the user. */
export const SCOPE_DESCRIPTIONS: Record<McpScope, string> = {
  [MCP_SCOPES.read]: 'Read your documents',
  [MCP_SCOPES.write]: 'Create and change documents',
  [MCP_SCOPES.admin]: "Delete other people's documents",
};

export function isMcpScope(scope: string): scope is McpScope {
  return Object.hasOwn(SCOPE_DESCRIPTIONS, scope);
}

/** An unknown scope is shown by name as not recognised, never silently left out of what the user approves. */
export function describeScope(scope: string): string {
  return isMcpScope(scope) ? SCOPE_DESCRIPTIONS[scope] : 'A permission this server does not recognise';
}
