import type { FastifyInstance } from 'fastify';
import { httpMethodLabel, UNMATCHED_ROUTE } from './metric-labels.js';
import type { ServiceMetrics } from './service-metrics.js';

/**
 * Counts and times every request on the service port. It listens on the raw response rather than using Fastify's
 * onResponse hook so that hijacked requests (/mcp hands its raw response to the MCP SDK) are measured the same way,
 * and a client that disconnects first is counted as `aborted` instead of being lost.
 */
export function registerHttpMetrics(
  app: FastifyInstance,
  metrics: Pick<ServiceMetrics, 'httpRequests' | 'httpRequestDuration' | 'inflightRequests'>,
): void {
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
