import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ENV, PATHS } from '../../src/contract.js';
import { callTool } from '../helpers/json-rpc-call.js';
import { rawRequest } from '../helpers/raw-http.js';
import { type ServiceUnderTest, startServiceUnderTest } from '../helpers/service-under-test.js';

interface ReceivedExport {
  method: string;
  path: string;
  contentType: string | undefined;
  body: string;
}

/** A stand-in OTLP/HTTP collector: records every request and answers as a collector does (200, empty success). */
async function startOtlpReceiver(): Promise<{ url: string; received: ReceivedExport[]; close(): Promise<void> }> {
  const received: ReceivedExport[] = [];
  const server: Server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        method: request.method ?? '',
        path: request.url ?? '',
        contentType: request.headers['content-type'],
        body: Buffer.concat(chunks).toString('utf8'),
      });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

interface OtlpJson {
  resourceSpans?: Array<{
    resource?: { attributes?: Array<{ key: string; value: { stringValue?: string } }> };
    scopeSpans?: Array<{ spans?: Array<{ name: string; traceId: string }> }>;
  }>;
}

describe('OTLP export to a real collector endpoint', () => {
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  let target: ServiceUnderTest;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    target = await startServiceUnderTest({ backend: 'embedded', env: { [ENV.otlpEndpoint]: receiver.url } });
  });
  afterAll(async () => {
    await target?.close();
    await receiver?.close();
  });

  it('sends the spans to <endpoint>/v1/traces; stop() flushes them and closes the metrics listener', async () => {
    expect(target.service.telemetry.tracing.enabled).toBe(true);
    const token = await target.tokenFor({ sub: 'otlp-user', tenant: 'otlp-tenant' });
    expect((await callTool(target.mcpUrl, token, 'list_documents', {})).isError).toBe(false);
    const metricsUrl = `${target.service.metricsAddress}${PATHS.metrics}`;
    expect((await rawRequest(metricsUrl)).status).toBe(200);

    await target.service.stop();

    const exports = receiver.received.filter((entry) => entry.path === '/v1/traces');
    expect(exports.length).toBeGreaterThan(0);
    expect(exports.every((entry) => entry.method === 'POST' && entry.contentType === 'application/json')).toBe(true);
    const payloads = exports.map((entry) => JSON.parse(entry.body) as OtlpJson);
    const resourceSpans = payloads.flatMap((payload) => payload.resourceSpans ?? []);
    const serviceNames = resourceSpans.flatMap(
      (rs) => rs.resource?.attributes?.filter((a) => a.key === 'service.name').map((a) => a.value.stringValue) ?? [],
    );
    expect(new Set(serviceNames)).toEqual(new Set(['mcp-server']));
    const spanNames = resourceSpans
      .flatMap((rs) => rs.scopeSpans?.flatMap((ss) => ss.spans ?? []) ?? [])
      .map((s) => s.name);
    expect(spanNames).toEqual(
      expect.arrayContaining([`POST ${PATHS.mcp}`, 'tools/call list_documents', 'postgresql transaction']),
    );

    await expect(rawRequest(metricsUrl)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});

describe('tracing without an endpoint', () => {
  const logLines: string[] = [];
  let target: ServiceUnderTest;

  beforeAll(async () => {
    target = await startServiceUnderTest({
      backend: 'embedded',
      env: { [ENV.logLevel]: 'info' },
      logDestination: { write: (line) => void logLines.push(line) },
    });
  });
  afterAll(async () => {
    await target?.close();
  });

  it('records nothing, yet still logs the trace id a caller sent', async () => {
    const { tracing } = target.service.telemetry;
    expect(tracing.enabled).toBe(false);
    const traceId = randomBytes(16).toString('hex');
    const traceparent = `00-${traceId}-${randomBytes(8).toString('hex')}-01`;
    expect(tracing.tracer.startSpan('probe', {}, tracing.extract({ traceparent })).isRecording()).toBe(false);

    const token = await target.tokenFor({ sub: 'untraced-user', tenant: 'untraced-tenant' });
    const requestId = `untraced-${randomBytes(4).toString('hex')}`;
    const response = await rawRequest(target.mcpUrl, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        traceparent,
        'x-request-id': requestId,
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(response.status).toBe(200);
    // Logged on the response's 'finish' event, which the client may see the body before.
    await vi.waitFor(() => {
      const completed = logLines
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .find((entry) => entry.clientRequestId === requestId && entry.msg === 'request completed');
      expect(completed?.traceId).toBe(traceId);
    });
  });
});
