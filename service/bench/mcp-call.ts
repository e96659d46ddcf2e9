/** One JSON-RPC request as the load sends it, answered as JSON or as a one-event SSE stream. */

export interface RpcMessage {
  method: string;
  params?: Record<string, unknown>;
}

export interface RpcAnswer {
  status: number;
  result?: Record<string, unknown>;
  error?: { code: number; message: string };
  raw: string;
}

/**
 * What a 2025-era client sends on every request after initialize. Both servers are stateless, so a request needs no
 * session: the same headers go to the service and the reference (the reference ignores the token).
 */
export function mcpHeaders(token: string): Record<string, string> {
  return {
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': '2025-11-25',
  };
}

/** The JSON-RPC message of an answer: the body itself, or the last `data:` line of an event stream. */
export function jsonRpcPayloadOf(raw: string): string | undefined {
  return raw.startsWith('{')
    ? raw
    : raw
        .split('\n')
        .filter((line) => line.startsWith('data: '))
        .map((line) => line.slice('data: '.length))
        .at(-1);
}

export function rpcBody(message: RpcMessage): string {
  return JSON.stringify({ jsonrpc: '2.0', id: 1, ...message });
}

export async function postRpc(url: string, headers: Record<string, string>, message: RpcMessage): Promise<RpcAnswer> {
  const response = await fetch(url, { method: 'POST', headers, body: rpcBody(message) });
  const raw = await response.text();
  const json = jsonRpcPayloadOf(raw);
  let parsed: Pick<RpcAnswer, 'result' | 'error'> = {};
  try {
    parsed = json ? (JSON.parse(json) as Pick<RpcAnswer, 'result' | 'error'>) : {};
  } catch {
    // Not JSON-RPC at all: reported by the caller as an answer without a result.
  }
  return { status: response.status, result: parsed.result, error: parsed.error, raw };
}

/**
 * The test the load generator applies to every answer body (it sees no status): a JSON-RPC result that is not a
 * tool error. Escaped inside a text content these strings cannot occur, so a document's text cannot fake them.
 */
export function isGoodAnswerBody(body: string): boolean {
  return body.includes('"result":') && !body.includes('"isError":true');
}
