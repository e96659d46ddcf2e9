import { context, type Span, SpanKind, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import type { AuditOutcome } from '../data/audit-log.js';
import type { ServiceMetrics } from './service-metrics.js';
import {
  ATTR_AUDIT_OUTCOME,
  ATTR_DB_NAMESPACE,
  ATTR_DB_SYSTEM_NAME,
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_MCP_METHOD_NAME,
  DB_SYSTEM_NAME_VALUE_POSTGRESQL,
} from './span-attributes.js';

/**
 * What runAudited reports about each data access: a span (child of the request's server span) with the audit
 * outcome, the mcp_tool_* series, and a child span per database transaction. No SQL text, no identity, no values.
 */
export interface OperationTelemetry {
  observeOperation<T>(operation: string, run: () => Promise<T>, outcomeOf: (result: T) => AuditOutcome): Promise<T>;
  traceTransaction<T>(purpose: string, run: () => Promise<T>): Promise<T>;
}

export interface OperationTelemetryOptions {
  tracer: Tracer;
  metrics?: ServiceMetrics;
  /** The database name, for db.namespace. */
  databaseName?: string;
}

/** Resource reads go through runAudited as `read_resource:<name>`; everything else is a tool. */
const RESOURCE_PREFIX = 'read_resource:';

export function createOperationTelemetry(options: OperationTelemetryOptions): OperationTelemetry {
  const { tracer, metrics } = options;

  return {
    async observeOperation(operation, run, outcomeOf) {
      const started = process.hrtime.bigint();
      const isResource = operation.startsWith(RESOURCE_PREFIX);
      const span = tracer.startSpan(
        isResource ? `resources/read ${operation.slice(RESOURCE_PREFIX.length)}` : `tools/call ${operation}`,
        {
          kind: SpanKind.INTERNAL,
          attributes: {
            [ATTR_MCP_METHOD_NAME]: isResource ? 'resources/read' : 'tools/call',
            ...(isResource ? {} : { [ATTR_GEN_AI_TOOL_NAME]: operation }),
          },
        },
      );
      let outcome: AuditOutcome = 'error';
      try {
        const result = await withSpan(span, run);
        outcome = outcomeOf(result);
        return result;
      } catch (error) {
        span.setAttribute(ATTR_ERROR_TYPE, errorType(error));
        throw error;
      } finally {
        span.setAttribute(ATTR_AUDIT_OUTCOME, outcome);
        if (outcome === 'error') span.setStatus({ code: SpanStatusCode.ERROR, message: `${operation} failed` });
        span.end();
        const labels = { tool: operation, outcome };
        metrics?.toolCalls.inc(labels);
        metrics?.toolDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
      }
    },

    async traceTransaction(purpose, run) {
      const span = tracer.startSpan(`${DB_SYSTEM_NAME_VALUE_POSTGRESQL} ${purpose}`, {
        kind: SpanKind.CLIENT,
        attributes: {
          [ATTR_DB_SYSTEM_NAME]: DB_SYSTEM_NAME_VALUE_POSTGRESQL,
          ...(options.databaseName ? { [ATTR_DB_NAMESPACE]: options.databaseName } : {}),
        },
      });
      try {
        return await withSpan(span, run);
      } catch (error) {
        span.setAttribute(ATTR_ERROR_TYPE, errorType(error));
        // The error's class or code only: a driver message may quote the values of a failed statement.
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw error;
      } finally {
        span.end();
      }
    },
  };
}

/** Runs `run` with `span` active, so spans it starts are its children. */
function withSpan<T>(span: Span, run: () => Promise<T>): Promise<T> {
  return context.with(trace.setSpan(context.active(), span), run);
}

/** A Postgres SQLSTATE or Node system error code when there is one, else the error's class. */
function errorType(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Za-z0-9_]{1,40}$/.test(code)) return code;
    if (error instanceof Error) return error.name;
  }
  return '_OTHER';
}

/** For callers built without telemetry (unit tests of the tools): runs the work as it is. */
export const NO_OPERATION_TELEMETRY: OperationTelemetry = {
  observeOperation: (_operation, run) => run(),
  traceTransaction: (_purpose, run) => run(),
};
