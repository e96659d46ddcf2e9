import type { CallToolResult } from '@modelcontextprotocol/server';

/** A successful tool result: structured content plus the same JSON as text for clients that only read text. */
export function structuredResult(value: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: value };
}

/** A tool error the model can read and act on (MCP tool execution error, not a protocol error). */
export function toolError(message: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: message }] };
}
