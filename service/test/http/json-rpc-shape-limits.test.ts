import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonNestsDeeperThan, MAX_JSON_DEPTH } from '../../src/http/json-rpc-shape-limits.js';
import { rawRequest } from '../helpers/raw-http.js';
import { type ServiceUnderTest, startServiceUnderTest } from '../helpers/service-under-test.js';

const STACK_TRACE = /at .+\.(ts|js):\d+|node_modules|Maximum call stack|RangeError/;
const DEEP = 10_000;
const nestedArrays = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const nestedObjects = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const toolCall = (args: string) =>
  `{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"search_documents","arguments":${args}}}`;

describe('JSON nesting depth', () => {
  it('measures depth without recursing', () => {
    expect(jsonNestsDeeperThan(JSON.parse(nestedArrays(3)), 3)).toBe(false);
    expect(jsonNestsDeeperThan(JSON.parse(nestedArrays(4)), 3)).toBe(true);
    expect(jsonNestsDeeperThan({ a: [{ b: 1 }], c: 'text' }, 3)).toBe(false);
    expect(jsonNestsDeeperThan({ a: [{ b: {} }] }, 3)).toBe(true);
    expect(jsonNestsDeeperThan('scalar', 0)).toBe(false);
    expect(jsonNestsDeeperThan(JSON.parse(nestedObjects(100_000)), MAX_JSON_DEPTH)).toBe(true);
  });
});

describe('bodies nested too deeply for the MCP layer', () => {
  let target: ServiceUnderTest;
  let token: string;
  const lines: Array<Record<string, unknown>> = [];
  const post = (body: string, withToken = true) =>
    rawRequest(target.mcpUrl, {
      method: 'POST',
      headers: {
        ...(withToken && { authorization: `Bearer ${token}` }),
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body,
    });

  beforeAll(async () => {
    target = await startServiceUnderTest({
      backend: 'embedded',
      env: { LOG_LEVEL: 'info' },
      logDestination: { write: (line) => void lines.push(JSON.parse(line)) },
    });
    token = await target.tokenFor({ sub: 'alice', tenant: 'acme' });
  });
  afterAll(async () => {
    await target?.close();
  });

  it.each([
    ['a bare nested array', nestedArrays(DEEP), null],
    ['nested arrays in tool arguments', toolCall(`{"query":${nestedArrays(DEEP)}}`), 7],
    ['nested objects in tool arguments', toolCall(`{"query":"x","extra":${nestedObjects(DEEP)}}`), 7],
    [
      'nested objects as params',
      `{"jsonrpc":"2.0","id":"s-1","method":"tools/list","params":${nestedObjects(DEEP)}}`,
      's-1',
    ],
    ['a batch holding a deep message', `[${toolCall(`{"query":${nestedArrays(DEEP)}}`)}]`, null],
  ])('answers %s with a JSON-RPC Invalid Request and a reference, never a 500 or a stack', async (_, body, id) => {
    for (const withToken of [true, false]) {
      const response = await post(body, withToken);
      expect(response.status).toBe(400);
      expect(response.body).not.toMatch(STACK_TRACE);
      expect(JSON.parse(response.body)).toEqual({
        jsonrpc: '2.0',
        id,
        error: {
          code: -32600,
          message: `Invalid Request: the message nests deeper than ${MAX_JSON_DEPTH} levels. Reference: ${response.headers['x-request-id']}.`,
        },
      });
      const logged = lines.find((entry) => entry.reqId === response.headers['x-request-id'] && entry.refused);
      expect(logged).toMatchObject({ msg: 'request refused: message shape', refused: 'nested_too_deep' });
    }
  });

  it('still serves a message nested within the limit', async () => {
    const args = `{"query":"plan","limit":5,"deep":${nestedObjects(MAX_JSON_DEPTH - 4)}}`;
    const response = await post(toolCall(args));
    expect(response.status).toBe(200);
    expect(response.body).toContain('"id":7');
  });
});
