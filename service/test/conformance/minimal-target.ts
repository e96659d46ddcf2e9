/**
 * A stand-in for the real app while `buildApp` is being written: the same HTTP wiring the service uses
 * (Fastify, Host/Origin hooks, `createMcpHandler(factory, { legacy: 'stateless' })` behind
 * `toNodeHandler`, auth passed as `req.raw.auth`) with the conformance fixtures mounted.
 * `startConformanceTarget` in `conformance-target.ts` is the one place to swap it for `buildApp`.
 * The server is built with the fixtures' requestState codec as its verify hook, as the real app must be
 * in test mode for the tampered-state scenario.
 */
import { hostHeaderValidation, originValidation } from '@modelcontextprotocol/fastify';
import { type NodeIncomingMessageLike, toNodeHandler } from '@modelcontextprotocol/node';
import { type AuthInfo, createMcpHandler, type McpHttpHandler, McpServer } from '@modelcontextprotocol/server';
import Fastify from 'fastify';
import { MCP_SCOPES, PATHS } from '../../src/contract.js';
import { conformanceRequestStateCodec, registerConformanceFixtures } from './fixtures.js';

/** Loopback names only: the suite's DNS-rebinding scenario sends `Host: evil.example.com` and expects a 4xx. */
const LOOPBACK_HOSTNAMES = ['localhost', '127.0.0.1', '[::1]'];

/**
 * The fixed identity the conformance run acts as. The CLI cannot send an Authorization header, so the
 * test wiring sets this instead of verifying a token; production code has no path to it.
 */
export const CONFORMANCE_TEST_IDENTITY: AuthInfo = {
  token: 'conformance-suite-fixed-identity',
  clientId: 'conformance-suite',
  scopes: Object.values(MCP_SCOPES),
};

export interface RunningTarget {
  /** The MCP endpoint, on 127.0.0.1. */
  url: string;
  close(): Promise<void>;
}

export async function startMinimalConformanceTarget(): Promise<RunningTarget> {
  const handler: McpHttpHandler = createMcpHandler(
    () => {
      const server = new McpServer(
        { name: 'secure-mcp-conformance-target', version: '0.1.0' },
        { requestState: { verify: conformanceRequestStateCodec.verify } },
      );
      registerConformanceFixtures(server, { notifier: () => handler.notify });
      return server;
    },
    { legacy: 'stateless' },
  );
  const serveMcp = toNodeHandler(handler);

  const app = Fastify({ logger: false });
  app.addHook('onRequest', hostHeaderValidation(LOOPBACK_HOSTNAMES));
  app.addHook('onRequest', originValidation(LOOPBACK_HOSTNAMES));
  app.route({
    method: ['GET', 'POST', 'DELETE'],
    url: PATHS.mcp,
    handler: async (request, reply) => {
      const raw: NodeIncomingMessageLike = Object.assign(request.raw, { auth: CONFORMANCE_TEST_IDENTITY });
      // The SDK writes the response itself (JSON or SSE); Fastify must not touch it afterwards.
      reply.hijack();
      await serveMcp(raw, reply.raw, request.body);
    },
  });

  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') {
    await app.close();
    throw new Error('CONFORMANCE_TARGET_NO_PORT: the test server did not report a TCP port after listen()');
  }
  return {
    url: `http://127.0.0.1:${address.port}${PATHS.mcp}`,
    async close() {
      await handler.close();
      await app.close();
    },
  };
}
