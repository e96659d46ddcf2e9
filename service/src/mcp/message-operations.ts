import { DOCUMENT_RESOURCE_OPERATION, DOCUMENT_URI_TEMPLATE } from './document-resource.js';
import { TOOL_SCOPES } from './document-tools.js';

const DOCUMENT_URI_PREFIX = DOCUMENT_URI_TEMPLATE.slice(0, DOCUMENT_URI_TEMPLATE.indexOf('{'));

/** MCP methods a client of this server sends; anything else is named `mcp_request`, never by what the client wrote. */
const KNOWN_METHODS: ReadonlySet<string> = new Set([
  'initialize',
  'ping',
  'tools/list',
  'tools/call',
  'resources/list',
  'resources/templates/list',
  'resources/read',
  'prompts/list',
  'prompts/get',
  'completion/complete',
  'logging/setLevel',
  'server/discover',
]);
const OTHER = 'mcp_request';

function operationOf(message: unknown): string {
  if (typeof message !== 'object' || message === null) return OTHER;
  const { method, params } = message as { method?: unknown; params?: { name?: unknown; uri?: unknown } };
  if (typeof method !== 'string' || !KNOWN_METHODS.has(method)) return OTHER;
  if (method === 'tools/call' && typeof params?.name === 'string' && TOOL_SCOPES.has(params.name)) return params.name;
  if (method === 'resources/read' && typeof params?.uri === 'string' && params.uri.startsWith(DOCUMENT_URI_PREFIX)) {
    return DOCUMENT_RESOURCE_OPERATION;
  }
  return method;
}

/**
 * What a JSON-RPC message (or batch) asks for, named as the audit table names operations: the tool for a call of a
 * registered tool, `read_resource:document` for a document read, else the MCP method. Names come from a fixed set,
 * so a refusal's audit row (and its aggregation key) never carries a string the client made up. Deduplicated.
 */
export function operationsOfMessage(message: unknown): string[] {
  const messages = Array.isArray(message) ? message : [message];
  const names = new Set(messages.map(operationOf));
  return names.size > 0 ? [...names] : [OTHER];
}
