import { describe, expect, it } from 'vitest';
import { singleAnswerAsJson } from '../../src/http/single-answer-as-json.js';

const encoder = new TextEncoder();
const result = { jsonrpc: '2.0', id: 7, result: { tools: [] } };
const notification = { jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'working' } };
const event = (message: unknown) => `event: message\ndata: ${JSON.stringify(message)}\n\n`;

/** An SSE response whose body arrives in these chunks, each split as given. */
function sse(...chunks: string[]): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
  return new Response(body, {
    status: 200,
    headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-request-id': 'r1' },
  });
}

describe('one answer as JSON, anything else as the stream it is', () => {
  it('sends a stream holding one response and nothing else as application/json, its other headers kept', async () => {
    const answer = await singleAnswerAsJson(sse(event(result)));
    expect(answer.headers.get('content-type')).toBe('application/json');
    expect(answer.headers.get('x-request-id')).toBe('r1');
    expect(await answer.json()).toEqual(result);
  });

  it('reads an event split across chunks, and an error response, the same way', async () => {
    const error = { jsonrpc: '2.0', id: 'a', error: { code: -32602, message: 'bad' } };
    const text = event(error);
    const answer = await singleAnswerAsJson(sse(text.slice(0, 9), text.slice(9, 40), text.slice(40)));
    expect(answer.headers.get('content-type')).toBe('application/json');
    expect(await answer.json()).toEqual(error);
  });

  it.each([
    ['a notification before the result', [event(notification), event(result)]],
    ['a notification and the result in one chunk', [event(notification) + event(result)]],
    ['two responses (a batch)', [event(result), event({ ...result, id: 8 })]],
    ['a keep-alive comment first', [': keep-alive\n\n', event(result)]],
    ['an event that is not a JSON-RPC response', ['event: message\ndata: not json\n\n']],
  ])('keeps %s as the event stream, byte for byte', async (_name, chunks) => {
    const answer = await singleAnswerAsJson(sse(...chunks));
    expect(answer.headers.get('content-type')).toBe('text/event-stream');
    expect(await answer.text()).toBe(chunks.join(''));
  });

  it('leaves a JSON answer, and a stream that ends before a whole event, as they are', async () => {
    const json = Response.json({ jsonrpc: '2.0', id: 1, error: { code: -32000, message: 'x' } }, { status: 406 });
    expect(await singleAnswerAsJson(json)).toBe(json);
    const cut = await singleAnswerAsJson(sse('event: message\ndata: {"jsonrpc"'));
    expect(cut.headers.get('content-type')).toBe('text/event-stream');
    expect(await cut.text()).toBe('event: message\ndata: {"jsonrpc"');
  });
});
