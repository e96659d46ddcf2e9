import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { httpMethodLabel, UNMATCHED_ROUTE } from './metric-labels.js';

/**
 * Counts and times every request on the service port. It listens on the raw response rather than using Fastify's
 * onResponse hook so that hijacked requests (/mcp hands its raw response to the MCP SDK) are measured the same way,
 * and a client that disconnects first is counted as `aborted` instead of being lost.
 */
export function registerHttpMetrics(app: FastifyInstance, metrics: HttpMetrics): void {
  app.addHook('onRequest', (request, reply, done) => {
    const started = process.hrtime.bigint();
    metrics.inflightRequests.inc();
    let recorded = false;
    const record = () => {
      if (recorded) return;
      recorded = true;
      metrics.inflightRequests.dec();
      const labels = {
        method: httpMethodLabel(request.method),
        // The pattern the router matched (e.g. /mcp), never the URL the client sent.
        route: request.routeOptions.url ?? UNMATCHED_ROUTE,
        status: reply.raw.writableFinished ? String(reply.raw.statusCode) : 'aborted',
      };
      metrics.httpRequests.inc(labels);
      metrics.httpRequestDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    };
    reply.raw.once('finish', record);
    reply.raw.once('close', record);
    done();
  });
}

/** What registerHttpMetrics records: requests and their durations by method, route pattern and status, and in flight. */
export interface HttpMetrics {
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpRequestDuration: Histogram<'method' | 'route' | 'status'>;
  readonly inflightRequests: Gauge;
}

export const DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The HTTP metrics of one server, named `<prefix>_http_requests_total`, `<prefix>_http_request_duration_seconds` and
 * `<prefix>_inflight_requests`; `where` ends their help ("on the service port", "by the authorization server").
 */
export function createHttpMetrics(prefix: string, where: string, registers: Registry[]): HttpMetrics {
  return {
    httpRequests: new Counter({
      name: `${prefix}_http_requests_total`,
      help: `HTTP requests answered ${where}, by method, route pattern and status.`,
      labelNames: ['method', 'route', 'status'] as const,
      registers,
    }),
    httpRequestDuration: new Histogram({
      name: `${prefix}_http_request_duration_seconds`,
      help: 'Time from receiving an HTTP request to the end of its response.',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: DURATION_BUCKETS,
      registers,
    }),
    inflightRequests: new Gauge({
      name: `${prefix}_inflight_requests`,
      help: `HTTP requests being served ${where}.`,
      registers,
    }),
  };
}
