import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import {
  type Context,
  context,
  defaultTextMapGetter,
  ProxyTracerProvider,
  ROOT_CONTEXT,
  type Tracer,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { WORKLOAD } from '../contract.js';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from './span-attributes.js';

/** The tracer the service's spans come from, with what it needs to continue a caller's trace and to flush. */
export interface ServiceTracing {
  readonly tracer: Tracer;
  /** False when no exporter is configured: spans are no-ops (they still carry an incoming trace id). */
  readonly enabled: boolean;
  /** The caller's W3C trace context (`traceparent`, `tracestate`), or the root context when it sent none. */
  extract(headers: IncomingHttpHeaders): Context;
  /** Exports the spans still buffered, then stops. Safe to call more than once. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  /** OTLP/HTTP base endpoint (OTEL_EXPORTER_OTLP_ENDPOINT); spans go to `<endpoint>/v1/traces`. */
  otlpEndpoint?: string;
  /** Instead of the OTLP exporter (tests: SimpleSpanProcessor over an InMemorySpanExporter). */
  spanProcessors?: SpanProcessor[];
}

const TRACER_NAME = '@secure-mcp/service';
const EXPORT_TIMEOUT_MS = 5_000;
const propagator = new W3CTraceContextPropagator();

/**
 * One tracer provider per service instance, handed to the code that makes spans rather than registered as the
 * global provider: several services run in one test process, each with its own exporter. Spans are explicit
 * (@opentelemetry/api), no auto-instrumentation: the service is ESM, where monkey-patching needs loader hooks.
 */
export function createTracing(options: TracingOptions = {}): ServiceTracing {
  const processors = options.spanProcessors ?? (options.otlpEndpoint ? [otlpBatchProcessor(options.otlpEndpoint)] : []);
  const extract = (headers: IncomingHttpHeaders) => propagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);

  if (processors.length === 0) {
    // A provider with no delegate hands out the API's no-op tracer: nothing is recorded, nothing allocated per span
    // beyond a non-recording wrapper of the parent's context.
    return {
      tracer: new ProxyTracerProvider().getTracer(TRACER_NAME),
      enabled: false,
      extract,
      shutdown: async () => {},
    };
  }

  registerContextManager();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: WORKLOAD.name,
      [ATTR_SERVICE_VERSION]: serviceVersion(),
    }),
    spanProcessors: processors,
  });
  let shutdown: Promise<void> | undefined;
  return {
    tracer: provider.getTracer(TRACER_NAME, serviceVersion()),
    enabled: true,
    extract,
    shutdown: () => {
      shutdown ??= provider.shutdown();
      return shutdown;
    },
  };
}

/**
 * Exports in the background, in batches. A collector that does not answer costs at most EXPORT_TIMEOUT_MS per batch,
 * so the flush on shutdown stays well inside the pod's termination grace period.
 */
function otlpBatchProcessor(endpoint: string): SpanProcessor {
  const exporter = new OTLPTraceExporter({ url: otlpTracesUrl(endpoint), timeoutMillis: EXPORT_TIMEOUT_MS });
  return new BatchSpanProcessor({ exporter, exportTimeoutMillis: EXPORT_TIMEOUT_MS });
}

/** The signal path is appended to the base endpoint, as the OTLP exporter specification says for this variable. */
export function otlpTracesUrl(endpoint: string): string {
  const url = new URL(endpoint);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/v1/traces`;
  return url.toString();
}

let contextManagerRegistered = false;

/**
 * Parent/child links between spans follow the async call chain through AsyncLocalStorage. The context manager is
 * per process (the API keeps one), stateless, and shared by every service instance in it.
 */
function registerContextManager(): void {
  if (contextManagerRegistered) return;
  contextManagerRegistered = true;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
}

let version: string | undefined;

/** From the package.json next to src/ (or dist/ in the image, which ships it). */
function serviceVersion(): string {
  if (version === undefined) {
    try {
      const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
        version?: unknown;
      };
      version = typeof manifest.version === 'string' ? manifest.version : 'unknown';
    } catch {
      version = 'unknown';
    }
  }
  return version;
}
