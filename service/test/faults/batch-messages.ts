import type { RawResponse } from '../helpers/raw-http.js';

export { postMcp } from '../helpers/raw-http.js';

export interface JsonRpcMessage {
  jsonrpc: '2.0';
  id: string | number | null;
  result?: { isError?: boolean; [key: string]: unknown };
  error?: { code: number; message: string };
}

/** A JSON-RPC batch of `size` tools/call messages (ids 1..size). */
export function toolCallBatch(size: number, name: string, args: Record<string, unknown>): string {
  return JSON.stringify(
    Array.from({ length: size }, (_, i) => ({
      jsonrpc: '2.0',
      id: i + 1,
      method: 'tools/call',
      params: { name, arguments: args },
    })),
  );
}

/** Every JSON-RPC message of an answer: a plain JSON body (one message or an array) or an event stream. */
export function messagesOf(response: RawResponse): JsonRpcMessage[] {
  const body = response.body.trim();
  if (body.startsWith('{') || body.startsWith('[')) return [JSON.parse(body)].flat() as JsonRpcMessage[];
  return body
    .split('\n')
    .filter((line) => line.startsWith('data: ') && line.length > 'data: '.length)
    .map((line) => JSON.parse(line.slice('data: '.length)) as JsonRpcMessage);
}
