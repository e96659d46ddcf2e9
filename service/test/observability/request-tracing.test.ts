import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ENV, PATHS } from '../../src/contract.js';
import { availableDatabaseBackends } from '../helpers/database.js';
import { rawRequest } from '../helpers/raw-http.js';
import { type ServiceUnderTest, startServiceUnderTest } from '../helpers/service-under-test.js';
import { type ServiceWithoutDatabase, startServiceWithoutDatabase } from '../helpers/service-without-database.js';
import { parsePrometheusText, sampleValue } from './prometheus-text.js';

const USER = 'trace-user-5b8e';
const TENANT = 'trace-tenant-0c4d';

function toolCallBody(name: string, args: Record<string, unknown>): string {
  return JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name, arguments: args } });
}

function mcpHeaders(token: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    ...extra,
  };
}

const byName = (spans: ReadableSpan[], name: string) => spans.filter((span) => span.name === name);
const onlyOne = (spans: ReadableSpan[], name: string): ReadableSpan => {
  const found = byName(spans, name);
  expect(found.map((span) => span.name)).toEqual([name]);
  return found[0] as ReadableSpan;
};
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

/**
 * The spans once the server span has ended. It ends on the response's 'finish' event, which the client may see
 * the body before; wait for it rather than race it.
 */
async function spansOfRequest(exporter: InMemorySpanExporter): Promise<ReadableSpan[]> {
  await vi.waitFor(() => expect(byName(exporter.getFinishedSpans(), `POST ${PATHS.mcp}`)).toHaveLength(1));
  return exporter.getFinishedSpans();
}

describe.each(availableDatabaseBackends())('traces of MCP requests (in-memory exporter, %s)', (backend) => {
  const exporter = new InMemorySpanExporter();
  const logLines: string[] = [];
  let target: ServiceUnderTest;
  let token: string;

  beforeAll(async () => {
    target = await startServiceUnderTest({
      backend,
      spanProcessors: [new SimpleSpanProcessor({ exporter })],
      env: { [ENV.logLevel]: 'info' },
      logDestination: { write: (line) => void logLines.push(line) },
    });
    token = await target.tokenFor({ sub: USER, tenant: TENANT });
  });
  afterAll(async () => {
    await target?.close();
  });
  beforeEach(() => {
    exporter.reset();
  });

  it('makes a server span, a tool span under it and a database span under that, with their attributes', async () => {
    const response = await rawRequest(target.mcpUrl, {
      method: 'POST',
      headers: mcpHeaders(token),
      body: toolCallBody('create_document', { title: 'Traced', body: 'secret body text 42' }),
    });
    expect(response.status).toBe(200);
    const spans = await spansOfRequest(exporter);

    const server = onlyOne(spans, `POST ${PATHS.mcp}`);
    expect(server.kind).toBe(SpanKind.SERVER);
    expect(server.parentSpanContext).toBeUndefined();
    expect(server.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': PATHS.mcp,
      'http.response.status_code': 200,
      'mcp.method.name': 'tools/call',
      'gen_ai.tool.name': 'create_document',
      'jsonrpc.request.id': '7',
    });
    expect(server.resource.attributes['service.name']).toBe('mcp-server');
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(server.resource.attributes['service.version']).toBe(manifest.version);

    const tool = onlyOne(spans, 'tools/call create_document');
    expect(parentOf(tool)).toBe(server.spanContext().spanId);
    expect(tool.attributes).toMatchObject({
      'mcp.method.name': 'tools/call',
      'gen_ai.tool.name': 'create_document',
      'audit.outcome': 'ok',
    });
    expect(tool.status.code).toBe(SpanStatusCode.UNSET);

    const database = onlyOne(spans, 'postgresql transaction');
    expect(parentOf(database)).toBe(tool.spanContext().spanId);
    expect(database.kind).toBe(SpanKind.CLIENT);
    expect(database.attributes['db.system.name']).toBe('postgresql');

    for (const span of [server, tool, database]) {
      expect(span.spanContext().traceId).toBe(server.spanContext().traceId);
    }
    // Nothing about who called, and no statement or data.
    const everything = JSON.stringify(spans.map((span) => ({ name: span.name, attributes: span.attributes })));
    for (const forbidden of [USER, TENANT, token, 'secret body text', 'enduser', 'db.query.text', 'SELECT', 'INSERT']) {
      expect(everything).not.toContain(forbidden);
    }
  });

  it('continues the trace of an incoming traceparent and writes the trace id on the request log line', async () => {
    const traceId = randomBytes(16).toString('hex');
    const parentSpanId = randomBytes(8).toString('hex');
    const requestId = `trace-log-${randomBytes(4).toString('hex')}`;
    const response = await rawRequest(target.mcpUrl, {
      method: 'POST',
      headers: mcpHeaders(token, { traceparent: `00-${traceId}-${parentSpanId}-01`, 'x-request-id': requestId }),
      body: toolCallBody('list_documents', {}),
    });
    expect(response.status).toBe(200);

    const spans = await spansOfRequest(exporter);
    const server = onlyOne(spans, `POST ${PATHS.mcp}`);
    expect(server.spanContext().traceId).toBe(traceId);
    expect(server.parentSpanContext?.spanId).toBe(parentSpanId);
    expect(server.parentSpanContext?.isRemote).toBe(true);
    const tool = onlyOne(spans, 'tools/call list_documents');
    expect(tool.spanContext().traceId).toBe(traceId);

    const completed = logLines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((entry) => entry.clientRequestId === requestId && entry.msg === 'request completed');
    expect(completed?.traceId).toBe(traceId);
  });

  it('traces a request refused by auth, saying which tool it wanted', async () => {
    const response = await rawRequest(target.mcpUrl, {
      method: 'POST',
      headers: mcpHeaders('not-a-valid-token'),
      body: toolCallBody('delete_document', { id: '00000000-0000-4000-8000-000000000000' }),
    });
    expect(response.status).toBe(401);
    const spans = await spansOfRequest(exporter);
    const server = onlyOne(spans, `POST ${PATHS.mcp}`);
    expect(server.attributes['http.response.status_code']).toBe(401);
    expect(server.attributes['gen_ai.tool.name']).toBe('delete_document');
    // A client error is not the server's: the status stays unset.
    expect(server.status.code).toBe(SpanStatusCode.UNSET);
    expect(byName(spans, 'tools/call delete_document')).toEqual([]);
  });

  it('traces a resource read as resources/read under the server span', async () => {
    const response = await rawRequest(target.mcpUrl, {
      method: 'POST',
      headers: mcpHeaders(token),
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 8,
        method: 'resources/read',
        params: { uri: 'document://00000000-0000-4000-8000-000000000000' },
      }),
    });
    expect(response.status).toBe(200);
    const spans = await spansOfRequest(exporter);
    const server = onlyOne(spans, `POST ${PATHS.mcp}`);
    expect(server.attributes['mcp.resource.uri']).toBe('document://00000000-0000-4000-8000-000000000000');
    const read = onlyOne(spans, 'resources/read document');
    expect(parentOf(read)).toBe(server.spanContext().spanId);
    expect(read.attributes).toMatchObject({ 'mcp.method.name': 'resources/read', 'audit.outcome': 'not_found' });
  });
});

describe('traces and metrics when the database is down', () => {
  const exporter = new InMemorySpanExporter();
  let target: ServiceWithoutDatabase;

  beforeAll(async () => {
    target = await startServiceWithoutDatabase({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  });
  afterAll(async () => {
    await target?.close();
  });

  it('marks the tool span and its database spans ERROR, and counts the call as outcome error', async () => {
    const response = await rawRequest(target.mcpUrl, {
      method: 'POST',
      headers: mcpHeaders(await target.issuer.mintToken()),
      body: toolCallBody('list_documents', {}),
    });
    expect(response.status).toBe(200);
    expect(response.body).toContain('"isError":true');

    const spans = await spansOfRequest(exporter);
    const tool = onlyOne(spans, 'tools/call list_documents');
    expect(tool.status.code).toBe(SpanStatusCode.ERROR);
    expect(tool.attributes['audit.outcome']).toBe('error');
    const database = byName(spans, 'postgresql transaction');
    expect(database).toHaveLength(1);
    expect(database[0]?.status.code).toBe(SpanStatusCode.ERROR);
    expect(database[0]?.attributes['error.type']).toBe('ECONNREFUSED');
    expect(parentOf(database[0] as ReadableSpan)).toBe(tool.spanContext().spanId);
    // The server span is a 200 (the error is in the tool result), so it is not itself an error.
    expect(onlyOne(spans, `POST ${PATHS.mcp}`).status.code).toBe(SpanStatusCode.UNSET);

    const scrape = parsePrometheusText((await rawRequest(`${target.service.metricsAddress}${PATHS.metrics}`)).body);
    expect(sampleValue(scrape, 'mcp_tool_calls_total', { tool: 'list_documents', outcome: 'error' })).toBe(1);
    expect(sampleValue(scrape, 'mcp_tool_calls_total', { tool: 'list_documents', outcome: 'ok' })).toBe(undefined);
  });
});
