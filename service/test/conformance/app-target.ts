/**
 * The real app (`buildApp`) as the conformance target: our Fastify instance, security plugins, Host/Origin
 * hooks, error handlers and MCP route, with the suite's fixtures mounted through `registerExtras`.
 *
 * Two test-only substitutions, both outside what the suite measures: authentication is a hook that sets
 * a fixed identity (the CLI cannot send an Authorization header), and the database pool points at a
 * closed port (no scenario calls the document tools, so it is never used; a call would fail fast).
 */
import type { FastifyRequest } from 'fastify';
import pg from 'pg';
import { buildApp } from '../../src/app.js';
import { PATHS } from '../../src/contract.js';
import { freePort } from '../helpers/free-port.js';
import type { RunningTarget } from './conformance-target.js';
import { CONFORMANCE_TEST_IDENTITY } from './fixed-identity.js';
import { conformanceRequestStateCodec, registerConformanceFixtures } from './fixtures.js';

const LOOPBACK_HOSTNAMES = ['localhost', '127.0.0.1', '[::1]'];

export async function startAppConformanceTarget(): Promise<RunningTarget> {
  // Origins are compared whole (scheme, host and port): the suite's browser-like requests come from the server's own
  // origin, so the port must be known before the app is built.
  const port = await freePort();
  const pool = new pg.Pool({ host: '127.0.0.1', port: 1, max: 1, connectionTimeoutMillis: 1_000 });
  const app = await buildApp({
    pool,
    authenticate: async (request: FastifyRequest) => {
      // A copy per request: the MCP route adds the request's correlation id to it.
      request.raw.auth = { ...CONFORMANCE_TEST_IDENTITY };
    },
    registerMetadataRoutes: () => {},
    readinessChecks: [],
    lifecycle: { draining: false },
    allowedOrigins: LOOPBACK_HOSTNAMES.map((hostname) => `http://${hostname}:${port}`),
    allowedHosts: LOOPBACK_HOSTNAMES,
    trustProxy: false,
    logLevel: 'silent',
    registerExtras: (server) =>
      registerConformanceFixtures(server, { requestStateCodec: conformanceRequestStateCodec }),
    requestState: { verify: conformanceRequestStateCodec.verify },
  });
  try {
    await app.listen({ host: '127.0.0.1', port });
  } catch (error) {
    await app.close();
    await pool.end();
    throw error;
  }
  const address = app.server.address();
  if (address === null || typeof address === 'string') {
    await app.close();
    await pool.end();
    throw new Error('CONFORMANCE_TARGET_NO_PORT: the app did not report a TCP port after listen()');
  }
  return {
    url: `http://127.0.0.1:${address.port}${PATHS.mcp}`,
    async close() {
      await app.close();
      await pool.end();
    },
  };
}
