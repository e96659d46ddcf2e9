import type { AuditTarget } from './check.js';
import { type AuditResponse, send } from './http-client.js';
import type { AuditOptions } from './options.js';

const MCP_PATH = '/mcp';

/** The MCP endpoint under the base URL (a base already ending in /mcp is the endpoint). */
export function auditTarget(options: AuditOptions): AuditTarget {
  const url = new URL(options.baseUrl);
  const path = url.pathname.replace(/\/+$/, '');
  const mcpPath = path.endsWith(MCP_PATH) ? path : `${path}${MCP_PATH}`;
  return { options, mcpUrl: `${url.origin}${mcpPath}`, origin: url.origin, learnt: {} };
}

/** A harmless JSON-RPC call every MCP server answers and any read scope allows. */
export function toolsListMessage(id: number): { jsonrpc: '2.0'; id: number; method: string; params: object } {
  return { jsonrpc: '2.0', id, method: 'tools/list', params: {} };
}

/** A POST to the MCP endpoint as a Streamable HTTP client sends it, with whatever the check changes. */
export function postMcp(
  target: AuditTarget,
  options: { token?: string; body?: string; headers?: Record<string, string>; query?: string; host?: string } = {},
): Promise<AuditResponse> {
  const url = options.query === undefined ? target.mcpUrl : `${target.mcpUrl}?${options.query}`;
  return send(
    url,
    {
      method: 'POST',
      host: options.host,
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2025-06-18',
        ...(options.token !== undefined && { authorization: `Bearer ${options.token}` }),
        ...options.headers,
      },
      body: options.body ?? JSON.stringify(toolsListMessage(1)),
    },
    target.options,
  );
}

/** Shortens a value for a one-line reason. */
export function clip(value: string, max = 120): string {
  const line = value.replaceAll(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
