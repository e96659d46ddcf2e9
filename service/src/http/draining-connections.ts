import type { FastifyInstance } from 'fastify';
import type { Lifecycle } from './health-routes.js';

/**
 * From SIGTERM on, every response asks its client to close the connection after it. Requests on kept-alive
 * connections are still served through the drain, but no client is left holding an idle connection that the
 * server will close under its next request; each reconnects, reaching a replica that is still in the endpoints
 * (or, until the listener closes, this one again). Only responses whose head was written before the drain began
 * (a long event stream) still say keep-alive; those connections are closed once they turn idle.
 */
export function closeConnectionsWhileDraining(app: FastifyInstance, lifecycle: Lifecycle): void {
  app.addHook('onRequest', async (request, reply) => {
    if (lifecycle.draining && request.raw.httpVersionMajor === 1) reply.header('connection', 'close');
  });
}
