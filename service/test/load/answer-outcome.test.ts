import { describe, expect, it } from 'vitest';
import { classifyAnswer, classifyThrown } from '../../load/answer-outcome.js';

const result = (value: unknown) => JSON.stringify({ jsonrpc: '2.0', id: 1, result: value });

describe('what a request’s answer counts as', () => {
  it('counts a JSON-RPC result as ok, as JSON or as an event stream', () => {
    expect(classifyAnswer(200, result({ content: [] }))).toEqual({ outcome: 'ok', result: { content: [] } });
    const stream = `event: message\ndata: ${result({ structuredContent: { n: 1 } })}\n\n`;
    expect(classifyAnswer(200, stream)).toEqual({ outcome: 'ok', result: { structuredContent: { n: 1 } } });
  });

  it('tells tool errors, JSON-RPC errors and non-answers apart', () => {
    expect(classifyAnswer(200, result({ isError: true, content: [] })).outcome).toBe('tool_error');
    const error = JSON.stringify({ jsonrpc: '2.0', id: 1, error: { code: -32602, message: 'bad' } });
    expect(classifyAnswer(200, error).outcome).toBe('jsonrpc_error');
    expect(classifyAnswer(200, '<html>proxy</html>').outcome).toBe('invalid_answer');
    expect(classifyAnswer(200, '').outcome).toBe('invalid_answer');
    expect(classifyAnswer(200, result('text')).outcome).toBe('invalid_answer');
  });

  it('classifies by status before the body: 401, 403, 429, other 4xx, 5xx', () => {
    const body = result({ content: [] });
    expect(classifyAnswer(401, body).outcome).toBe('http_401');
    expect(classifyAnswer(403, body).outcome).toBe('http_403');
    expect(classifyAnswer(429, body).outcome).toBe('http_429');
    expect(classifyAnswer(406, body).outcome).toBe('http_4xx');
    expect(classifyAnswer(503, body).outcome).toBe('http_5xx');
    expect(classifyAnswer(302, body).outcome).toBe('http_other');
  });

  it('tells our timeout from a failed connection', () => {
    expect(classifyThrown(new DOMException('The operation timed out.', 'TimeoutError'))).toBe('timeout');
    expect(classifyThrown(new TypeError('fetch failed'))).toBe('connection');
  });
});
