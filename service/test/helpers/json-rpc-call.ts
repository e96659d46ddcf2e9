import { jsonRpcPayloadOf } from '../../bench/mcp-call.js';

/** One stateless JSON-RPC call to /mcp with a bearer token; reads a JSON or a single-event SSE answer. */
export interface JsonRpcAnswer {
  status: number;
  /** The raw body, for assertions on what must never appear in it. */
  raw: string;
  result?: Record<string, unknown>;
  error?: { code: number; message: string };
}

let nextId = 1;

export async function jsonRpcCall(
  mcpUrl: string,
  token: string,
  method: string,
  params: unknown,
): Promise<JsonRpcAnswer> {
  const response = await fetch(mcpUrl, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params }),
  });
  const raw = await response.text();
  const json = jsonRpcPayloadOf(raw);
  const message = json
    ? (JSON.parse(json) as { result?: Record<string, unknown>; error?: JsonRpcAnswer['error'] })
    : {};
  return { status: response.status, raw, result: message.result, error: message.error };
}

export interface ToolAnswer {
  raw: string;
  isError: boolean;
  text: string;
  structured?: Record<string, unknown>;
}

export async function callTool(
  mcpUrl: string,
  token: string,
  name: string,
  args: Record<string, unknown>,
): Promise<ToolAnswer> {
  const answer = await jsonRpcCall(mcpUrl, token, 'tools/call', { name, arguments: args });
  if (answer.status !== 200 || !answer.result) {
    throw new Error(`tools/call ${name} answered ${answer.status}: ${answer.raw}`);
  }
  const result = answer.result as {
    isError?: boolean;
    content?: Array<{ text?: string }>;
    structuredContent?: Record<string, unknown>;
  };
  return {
    raw: answer.raw,
    isError: result.isError === true,
    text: result.content?.map((c) => c.text ?? '').join('') ?? '',
    structured: result.structuredContent,
  };
}
