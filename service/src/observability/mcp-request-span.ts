import {
  type Context,
  context,
  isSpanContextValid,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { PATHS } from '../contract.js';
import { httpMethodLabel } from './metric-labels.js';
import {
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_JSONRPC_REQUEST_ID,
  ATTR_MCP_METHOD_NAME,
  ATTR_MCP_RESOURCE_URI,
} from './span-attributes.js';
import type { ServiceTracing } from './tracing.js';

/** The server span of one /mcp request: started before anything else runs, ended when the response is. */
export interface McpRequestTracing {
  /** First onRequest hook of the route: starts the span (continuing an incoming traceparent), logs its trace id. */
  onRequest: onRequestHookHandler;
  /** Runs the MCP handler with the request's span as the active one, so tool and database spans become children. */
  runInRequestSpan<T>(request: FastifyRequest, work: () => Promise<T>): Promise<T>;
}

interface RequestSpan {
  span: Span;
  context: Context;
}

/** Attribute values from the client's JSON-RPC body are capped: a span is no place for an arbitrary payload. */
const MAX_ATTRIBUTE_LENGTH = 128;

export function createMcpRequestTracing(tracing: ServiceTracing): McpRequestTracing {
  const spans = new WeakMap<FastifyRequest, RequestSpan>();

  return {
    onRequest(request, reply, done) {
      const method = httpMethodLabel(request.method);
      const parent = tracing.extract(request.headers);
      const span = tracing.tracer.startSpan(
        `${method} ${PATHS.mcp}`,
        { kind: SpanKind.SERVER, attributes: { [ATTR_HTTP_REQUEST_METHOD]: method, [ATTR_HTTP_ROUTE]: PATHS.mcp } },
        parent,
      );
      spans.set(request, { span, context: trace.setSpan(parent, span) });
      logTraceId(request, reply, span);
      endWithResponse(request, reply, span);
      done();
    },

    runInRequestSpan(request, work) {
      const current = spans.get(request);
      if (!current) return work();
      return context.with(current.context, work);
    },
  };
}

/** Every later line of this request (including Fastify's "request completed") carries the trace id. */
function logTraceId(request: FastifyRequest, reply: FastifyReply, span: Span): void {
  const spanContext = span.spanContext();
  if (!isSpanContextValid(spanContext)) return;
  request.log = request.log.child({ traceId: spanContext.traceId });
  reply.log = request.log;
}

function endWithResponse(request: FastifyRequest, reply: FastifyReply, span: Span): void {
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    // Read at the end, so a message refused by auth (e.g. a tools/call without its scope) still says what it was.
    span.setAttributes(jsonRpcAttributes(request.body));
    const status = reply.raw.statusCode;
    if (reply.raw.writableFinished) {
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
      // Semconv for server spans: 5xx is the server's error; 4xx is the client's and leaves the status unset.
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    } else {
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'client closed the connection before the response ended' });
    }
    span.end();
  };
  reply.raw.once('finish', end);
  reply.raw.once('close', end);
}

/** What the JSON-RPC message says it is; a batch or anything unparsed says nothing. */
export function jsonRpcAttributes(body: unknown): Record<string, string> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return {};
  const message = body as { method?: unknown; id?: unknown; params?: unknown };
  const attributes: Record<string, string> = {};
  if (typeof message.method === 'string') attributes[ATTR_MCP_METHOD_NAME] = capped(message.method);
  if (typeof message.id === 'string' || typeof message.id === 'number') {
    attributes[ATTR_JSONRPC_REQUEST_ID] = capped(String(message.id));
  }
  const params = typeof message.params === 'object' && message.params !== null ? message.params : {};
  const { name, uri } = params as { name?: unknown; uri?: unknown };
  if (message.method === 'tools/call' && typeof name === 'string') attributes[ATTR_GEN_AI_TOOL_NAME] = capped(name);
  if (message.method === 'resources/read' && typeof uri === 'string') attributes[ATTR_MCP_RESOURCE_URI] = capped(uri);
  return attributes;
}

function capped(value: string): string {
  return value.length > MAX_ATTRIBUTE_LENGTH ? value.slice(0, MAX_ATTRIBUTE_LENGTH) : value;
}
