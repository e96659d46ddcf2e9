import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATHS } from '../../src/contract.js';
import { type ServiceUnderTest, startServiceUnderTest } from '../helpers/service-under-test.js';

/** A functional bound: "the server closes the connection" must not mean "after the 75 s keep-alive timeout". */
const CLOSES_WITHIN_MS = 2_000;

interface SocketExchange {
  /** Everything the server sent until it closed the socket, or until the deadline. */
  received: string;
  closedByServer: boolean;
}

/** Sends raw HTTP/1.1 requests on one socket and collects what comes back, until the server closes it or time is up. */
function exchange(port: number, requests: string[], untilMs: number): Promise<SocketExchange> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1');
    let received = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ received, closedByServer: false });
    }, untilMs);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
    });
    socket.on('end', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ received, closedByServer: true });
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('connect', () => socket.write(requests.join('')));
  });
}

const headOf = (text: string) => text.slice(0, text.indexOf('\r\n\r\n')).toLowerCase();
const statusLines = (text: string) => text.match(/^HTTP\/1\.1 \d{3}/gm) ?? [];

describe('Connection: close is honoured', () => {
  let target: ServiceUnderTest;
  let port: number;
  let token: string;
  const mcpRequest = (connection: 'close' | 'keep-alive') => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    return [
      `POST ${PATHS.mcp} HTTP/1.1`,
      `Host: 127.0.0.1:${port}`,
      `Authorization: Bearer ${token}`,
      'Content-Type: application/json',
      'Accept: application/json, text/event-stream',
      `Content-Length: ${Buffer.byteLength(body)}`,
      `Connection: ${connection}`,
      '',
      body,
    ].join('\r\n');
  };

  beforeAll(async () => {
    target = await startServiceUnderTest({ backend: 'embedded' });
    port = Number(new URL(target.baseUrl).port);
    token = await target.tokenFor({ sub: 'alice', tenant: 'acme' });
  });
  afterAll(async () => {
    await target?.close();
  });

  it('answers an MCP request with Connection: close and closes, when the client asks', async () => {
    const { received, closedByServer } = await exchange(port, [mcpRequest('close')], CLOSES_WITHIN_MS);
    expect(statusLines(received)).toEqual(['HTTP/1.1 200']);
    expect(headOf(received)).toContain('content-type: application/json');
    expect(headOf(received)).toContain('connection: close');
    expect(headOf(received)).not.toContain('keep-alive');
    expect(closedByServer).toBe(true);
  });

  it('keeps the connection for the next request when the client does not ask to close', async () => {
    const { received, closedByServer } = await exchange(
      port,
      [mcpRequest('keep-alive'), mcpRequest('close')],
      CLOSES_WITHIN_MS,
    );
    expect(statusLines(received)).toEqual(['HTTP/1.1 200', 'HTTP/1.1 200']);
    expect(headOf(received)).toContain('connection: keep-alive');
    expect(closedByServer).toBe(true);
  });

  it('asks every client to close while draining, and closes after the answer', async () => {
    target.service.lifecycle.draining = true;
    try {
      const { received, closedByServer } = await exchange(port, [mcpRequest('keep-alive')], CLOSES_WITHIN_MS);
      expect(statusLines(received)).toEqual(['HTTP/1.1 200']);
      expect(headOf(received)).toContain('connection: close');
      expect(closedByServer).toBe(true);
    } finally {
      target.service.lifecycle.draining = false;
    }
  });
});
