import type { SpanProcessor } from '@opentelemetry/sdk-trace';
import type { Pool } from 'pg';
import { createMcpRequestTracing, type McpRequestTracing } from './mcp-request-span.js';
import { createOperationTelemetry, type OperationTelemetry } from './operation-telemetry.js';
import { createServiceMetrics, type ServiceMetrics } from './service-metrics.js';
import { createTracing, type ServiceTracing } from './tracing.js';

/** Metrics and traces of one service instance, built once and handed to the parts that report. */
export interface ServiceTelemetry {
  readonly metrics: ServiceMetrics;
  readonly tracing: ServiceTracing;
  /** For runAudited: the tool/resource span, the mcp_tool_* series, database transaction spans. */
  readonly operations: OperationTelemetry;
  /** For the /mcp route: the server span of each request. */
  readonly mcpRequests: McpRequestTracing;
}

export interface ServiceTelemetryOptions {
  pool?: Pool;
  /** For db.namespace on database spans. */
  databaseName?: string;
  otlpEndpoint?: string;
  /** Test-only: span processors instead of the OTLP exporter. */
  spanProcessors?: SpanProcessor[];
}

export function createServiceTelemetry(options: ServiceTelemetryOptions = {}): ServiceTelemetry {
  const metrics = createServiceMetrics({ pool: options.pool });
  const tracing = createTracing({ otlpEndpoint: options.otlpEndpoint, spanProcessors: options.spanProcessors });
  return {
    metrics,
    tracing,
    operations: createOperationTelemetry({ tracer: tracing.tracer, metrics, databaseName: options.databaseName }),
    mcpRequests: createMcpRequestTracing(tracing),
  };
}

/** The database name of a postgres:// URL, if it names one. */
export function databaseNameOf(connectionString: string): string | undefined {
  try {
    return decodeURIComponent(new URL(connectionString).pathname.replace(/^\//, '')) || undefined;
  } catch {
    return undefined;
  }
}
