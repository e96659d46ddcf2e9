import { jsonRpcPayloadOf } from '../bench/mcp-call.js';

/**
 * How one request ended. `ok` is a JSON-RPC result that is no tool error; every other outcome is an error kind of
 * the summary. 5xx, timeout and connection are the server failing (the exit status says so); the rest are answers
 * the server chose to give.
 */
export const OUTCOMES = [
  'ok',
  'http_401',
  'http_403',
  'http_429',
  'http_4xx',
  'http_5xx',
  'http_other',
  'timeout',
  'connection',
  'jsonrpc_error',
  'tool_error',
  'invalid_answer',
] as const;
export type Outcome = (typeof OUTCOMES)[number];
export type ErrorKind = Exclude<Outcome, 'ok'>;

export const FAILURE_KINDS: readonly ErrorKind[] = ['http_5xx', 'timeout', 'connection'];

export interface ClassifiedAnswer {
  outcome: Outcome;
  /** The JSON-RPC result when outcome is ok. */
  result?: Record<string, unknown>;
}

export function classifyStatus(status: number): Outcome | undefined {
  if (status === 401) return 'http_401';
  if (status === 403) return 'http_403';
  if (status === 429) return 'http_429';
  if (status >= 500) return 'http_5xx';
  if (status >= 400) return 'http_4xx';
  if (status < 200 || status >= 300) return 'http_other';
  return undefined;
}

/** A 2xx body: a JSON-RPC answer as JSON or as an event stream (whose last data line is the answer). */
export function classifyAnswer(status: number, body: string): ClassifiedAnswer {
  const byStatus = classifyStatus(status);
  if (byStatus) return { outcome: byStatus };
  const payload = jsonRpcPayloadOf(body.trimStart());
  let message: { result?: unknown; error?: unknown };
  try {
    message = JSON.parse(payload ?? '') as typeof message;
  } catch {
    return { outcome: 'invalid_answer' };
  }
  if (typeof message !== 'object' || message === null) return { outcome: 'invalid_answer' };
  if (message.error !== undefined) return { outcome: 'jsonrpc_error' };
  if (typeof message.result !== 'object' || message.result === null) return { outcome: 'invalid_answer' };
  const result = message.result as Record<string, unknown>;
  return result.isError === true ? { outcome: 'tool_error' } : { outcome: 'ok', result };
}

/** What fetch threw: our timeout, or the connection failing (refused, reset, DNS, TLS). */
export function classifyThrown(error: unknown): Outcome {
  return error instanceof Error && error.name === 'TimeoutError' ? 'timeout' : 'connection';
}
