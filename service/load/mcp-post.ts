import { mcpHeaders } from '../bench/mcp-call.js';
import { type ClassifiedAnswer, classifyAnswer, classifyThrown } from './answer-outcome.js';

export interface PostedCall extends ClassifiedAnswer {
  /** Milliseconds from sending to the whole answer read; undefined when no HTTP answer came (timeout, connection). */
  latencyMs: number | undefined;
}

let nextId = 1;

/**
 * One stateless MCP request (no initialize: the service keeps no session) with Node's fetch, whose undici pool keeps
 * connections alive between requests. The timeout covers the whole exchange, body included.
 */
export async function postToolCall(
  url: string,
  token: string,
  tool: string,
  args: Record<string, unknown>,
  timeoutMs: number,
): Promise<PostedCall> {
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: nextId++,
    method: 'tools/call',
    params: { name: tool, arguments: args },
  });
  const started = performance.now();
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: mcpHeaders(token),
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    return { ...classifyAnswer(response.status, text), latencyMs: performance.now() - started };
  } catch (error) {
    return { outcome: classifyThrown(error), latencyMs: undefined };
  }
}
