/**
 * Span attribute names. Stable OpenTelemetry semantic conventions come from the package; the MCP and GenAI ones are
 * still "development" status, and the package's own advice is to copy unstable names rather than import its
 * `incubating` entry point (which may change in any minor release).
 */
export {
  ATTR_DB_NAMESPACE,
  ATTR_DB_SYSTEM_NAME,
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_SERVICE_NAME,
  ATTR_SERVICE_VERSION,
  DB_SYSTEM_NAME_VALUE_POSTGRESQL,
} from '@opentelemetry/semantic-conventions';

/** The JSON-RPC method of an MCP message, e.g. `tools/call` (semconv `mcp.method.name`). */
export const ATTR_MCP_METHOD_NAME = 'mcp.method.name';
/** The resource a `resources/read` asks for (semconv `mcp.resource.uri`). */
export const ATTR_MCP_RESOURCE_URI = 'mcp.resource.uri';
/** The tool a `tools/call` runs (semconv `gen_ai.tool.name`, which the MCP conventions reuse). */
export const ATTR_GEN_AI_TOOL_NAME = 'gen_ai.tool.name';
/** The JSON-RPC request id (semconv `jsonrpc.request.id`). */
export const ATTR_JSONRPC_REQUEST_ID = 'jsonrpc.request.id';
/** Ours: the audit outcome of a data access (ok, not_found, forbidden, invalid, error), as in `audit_events`. */
export const ATTR_AUDIT_OUTCOME = 'audit.outcome';
